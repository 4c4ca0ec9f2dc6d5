"""Where a batch puts its files, and how it writes them so none is ever left half-written.

    OUT/summary.html            the cohort summary (and .pdf)
    OUT/businesses/<id>.html    one report per business (and .pdf)
    OUT/notebooks/<id>.ipynb    each executed notebook, kept for the audit trail
    OUT/manifest.csv, .json     what happened to every business
    OUT/cohort.sqlite           the store a cohort file is imported into (unless --database)

Every file is written to a hidden temporary name in the same folder and then renamed over the
real one, which the file system does in one step: a reader sees the old file or the new one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kit.errors import BatchError
from kit.reports.renderers import RENDERERS

TEMP_SUFFIX = ".partial"


@dataclass(frozen=True)
class OutputFolder:
    root: Path

    @property
    def businesses(self) -> Path:
        return self.root / "businesses"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def database(self) -> Path:
        return self.root / "cohort.sqlite"

    @property
    def manifest_csv(self) -> Path:
        return self.root / "manifest.csv"

    @property
    def manifest_json(self) -> Path:
        return self.root / "manifest.json"

    def report(self, business_id: str, fmt: str) -> Path:
        return self.businesses / f"{business_id}{RENDERERS[fmt].suffix}"

    def summary(self, fmt: str) -> Path:
        return self.root / f"summary{RENDERERS[fmt].suffix}"

    def notebook(self, business_id: str) -> Path:
        return self.notebooks / f"{business_id}.ipynb"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def prepare(self) -> None:
        """Create the folders and clear temporary files an interrupted run left behind."""
        try:
            for folder in (self.root, self.businesses, self.notebooks):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BatchError(
                f"{self.root}: cannot create the output folder ({exc.strerror})"
            ) from None
        for folder in (self.root, self.businesses, self.notebooks):
            for leftover in folder.glob(f".*{TEMP_SUFFIX}.*"):
                leftover.unlink(missing_ok=True)

    def write_with(self, path: Path, writer: Callable[[Path], object]) -> None:
        """Let ``writer`` fill a temporary file (same suffix), then rename it over ``path``."""
        temporary = path.with_name(f".{path.stem}.{os.getpid()}{TEMP_SUFFIX}{path.suffix}")
        try:
            writer(temporary)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)

    def write(self, path: Path, data: bytes) -> None:
        """Replace ``path`` with ``data`` in one step."""
        self.write_with(path, lambda temporary: temporary.write_bytes(data))
