"""The batch's record of what happened to each business, and what lets a re-run skip work.

Written as JSON (read back by the next run) and as CSV through ``kit.tables.writer``, which makes
cells a spreadsheet would run as formulas inert, since business names come from participants.
A report is up to date when the previous run made it from the same inputs: the same
submission, the same workshop (its median is on the page), the same notebook, templates and
report code, and the same formats. All of that goes into one fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from kit.batch.output import OutputFolder
from kit.core.records import SubmissionRecord
from kit.paths import PACKAGE_DIR
from kit.tables.writer import write_table

MANIFEST_FORMAT = "eakit-batch-manifest/1"
OK, FAILED, INVALID, UP_TO_DATE = "ok", "failed", "invalid", "up to date"
CSV_COLUMNS = [
    "business_id",
    "business_name",
    "status",
    "reports",
    "notebook",
    "seconds",
    "attempts",
    "error",
]
REPORT_CODE = [PACKAGE_DIR / "reports"]


@dataclass(frozen=True)
class Entry:
    """One line of the manifest; ``reports`` maps each format to a path inside OUT."""

    business_id: str
    business_name: str
    status: str
    reports: dict[str, str] = field(default_factory=dict)
    notebook: str = ""
    seconds: float | None = None
    attempts: int = 0
    error: str = ""
    fingerprint: str = ""

    def row(self) -> list[object]:
        seconds = "" if self.seconds is None else round(self.seconds, 2)
        return [
            self.business_id,
            self.business_name,
            self.status,
            " ".join(self.reports.values()),
            self.notebook,
            seconds,
            self.attempts,
            self.error,
        ]


def _digest(parts: Iterable[object]) -> str:
    return hashlib.sha256(json.dumps(list(parts), default=str).encode("utf-8")).hexdigest()


def code_digest(notebook_text: str) -> str:
    """Changes whenever the notebook, a template or the report code changes."""
    files = sorted(
        path
        for folder in REPORT_CODE
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in (".py", ".j2", ".css")
    )
    return _digest([notebook_text, *(path.read_bytes().hex() for path in files)])


def cohort_digest(cohort: Iterable[SubmissionRecord], versions: dict[str, str]) -> str:
    """Changes whenever any business in the workshop submits again (the median may move)."""
    return _digest([versions, *sorted((r.business_id, r.id) for r in cohort)])


def fingerprint(record: SubmissionRecord, shared: str, more: object = ()) -> str:
    """One business's inputs: its submission and name, what else its report reads (``more``:
    other respondents, reviews, targets), plus everything shared by the batch."""
    return _digest([record.id, record.submission_key, record.display_name, more, shared])


def read_previous(folder: OutputFolder) -> dict[str, Entry]:
    """The entries of the last run's manifest, by business (empty when there is none)."""
    try:
        data = json.loads(folder.manifest_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    entries = {}
    for item in data.get("businesses", []):
        try:
            entry = Entry(**item)
        except TypeError:
            continue
        if entry.business_id:
            entries[entry.business_id] = entry
    return entries


def is_up_to_date(
    previous: Entry | None, fingerprint_now: str, folder: OutputFolder, formats: Iterable[str]
) -> bool:
    """Did the last run make every requested file from these very inputs, still on disk?"""
    return (
        previous is not None
        and previous.status in (OK, UP_TO_DATE)
        and previous.fingerprint == fingerprint_now
        and all(
            fmt in previous.reports and (folder.root / previous.reports[fmt]).is_file()
            for fmt in formats
        )
    )


def write_manifest(folder: OutputFolder, entries: list[Entry], about: dict[str, Any]) -> None:
    """Write manifest.json (complete, for the next run) and manifest.csv (for people)."""
    data = {"format": MANIFEST_FORMAT, **about, "businesses": [asdict(e) for e in entries]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    folder.write(folder.manifest_json, text.encode("utf-8"))
    folder.write_with(
        folder.manifest_csv, lambda path: write_table(path, CSV_COLUMNS, [e.row() for e in entries])
    )


def forget_business(folder: OutputFolder, business_id: str) -> bool:
    """Take one business's line out of the manifest (its right to erasure), keeping every
    other line as it was; False when the manifest does not name it."""
    try:
        data = json.loads(folder.manifest_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return False
    items = [item for item in data.get("businesses", []) if isinstance(item, dict)]
    kept = [item for item in items if item.get("business_id") != business_id]
    if len(kept) == len(items):
        return False
    about = {key: value for key, value in data.items() if key not in ("format", "businesses")}
    write_manifest(folder, [Entry(**item) for item in kept], about)
    return True
