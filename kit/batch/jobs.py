"""One business's report as a unit of work, and what comes back from running it.

Both are plain, picklable values, so a Dask cluster can ship them (local worker threads just
pass them along). A job carries the notebook's text so that a remote worker needs no copy of
the file, and a result carries the finished files' bytes so that only the machine running
``eakit batch`` writes to the output folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 120.0
# What every report kernel has imported before its business is known (``kit.batch.warmup``).
WARMUP_MODULE = "kit.batch.warmup"


def default_workers() -> int:
    """One worker thread per CPU: a report is CPU work, two thirds of it in its kernel."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ReportJob:
    """What a worker needs for one business: the three ids, what the batch worked out about
    the workshop once (``kit.reports.business.cohort_parameter``), the notebook, how to
    render."""

    business_id: str
    workshop: str
    database_url: str
    notebook: str
    formats: tuple[str, ...]
    paper: str
    timeout: float
    cohort: dict[str, Any] | None = None
    language: str | None = None  # the workshop's (a business's own choice comes first)

    @property
    def parameters(self) -> dict[str, Any]:
        """The only values the report notebook receives (the ids checked before the batch ran,
        the cohort's numbers checked again by the notebook)."""
        return {
            "database_url": self.database_url,
            "workshop": self.workshop,
            "business_id": self.business_id,
            "cohort": self.cohort,
            "language": self.language,
        }


@dataclass(frozen=True)
class JobResult:
    """How one business went: ``files`` maps a format to its bytes; ``notebook`` is the
    executed notebook (also on failure, as far as it ran) for the audit trail."""

    business_id: str
    ok: bool
    seconds: float
    error: str = ""
    attempts: int = 1
    notebook: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
