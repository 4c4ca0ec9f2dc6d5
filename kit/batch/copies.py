"""Where a batch left copies of one business's data, so ``eakit delete`` can remove or name them.

Only the exact files a batch writes for that business count (``OutputFolder.report`` and
``.notebook``, and what its manifest recorded), never a name that merely starts with the id:
``smb-1.5`` and ``smb-1_old`` are other businesses. Besides files, a batch folder keeps the
business in its manifest and, for a run from a spreadsheet, in ``cohort.sqlite``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kit.batch.manifest import forget_business, read_previous
from kit.batch.output import OutputFolder
from kit.errors import KitError
from kit.reports.renderers import RENDERERS


@dataclass
class Copies:
    """What remains of one business under a reports folder."""

    files: list[Path] = field(default_factory=list)
    manifests: list[OutputFolder] = field(default_factory=list)
    stores: list[Path] = field(default_factory=list)


def batch_folders(root: Path) -> list[OutputFolder]:
    """``root`` and every folder below it laid out as a batch's output."""
    if not root.is_dir():
        return []
    candidates = [root, *sorted(p for p in root.rglob("*") if p.is_dir())]
    return [
        OutputFolder(path)
        for path in candidates
        if (path / "manifest.json").is_file()
        or (path / "businesses").is_dir()
        or (path / "notebooks").is_dir()
    ]


def _files_for(folder: OutputFolder, business_id: str) -> list[Path]:
    expected = {folder.report(business_id, fmt) for fmt in RENDERERS}
    expected.add(folder.notebook(business_id))
    entry = read_previous(folder).get(business_id)
    if entry is not None:  # what the manifest says was written, if still inside the folder
        recorded = [*entry.reports.values(), entry.notebook]
        expected |= {
            folder.root / name
            for name in recorded
            if name and (folder.root / name).resolve().is_relative_to(folder.root)
        }
    return sorted(path for path in expected if path.is_file())


def _holds(database: Path, business_id: str, current_url: str) -> bool:
    from kit.store.database import Store

    try:
        with Store.open(str(database)) as store:
            return store.url != current_url and store.display_name(business_id) is not None
    except KitError:
        return False


def find_copies(business_id: str, root: Path, current_url: str) -> Copies:
    """Report files, manifest lines and other stores under ``root`` holding the business."""
    copies = Copies()
    for folder in batch_folders(root):
        copies.files += _files_for(folder, business_id)
        if business_id in read_previous(folder):
            copies.manifests.append(folder)
        if folder.database.is_file() and _holds(folder.database, business_id, current_url):
            copies.stores.append(folder.database)
    return copies


def remove_copies(copies: Copies, business_id: str) -> None:
    """Delete the files and take the business out of each manifest (stores are left for
    ``eakit delete --database`` to erase, with its own confirmation)."""
    for path in copies.files:
        path.unlink(missing_ok=True)
    for folder in copies.manifests:
        forget_business(folder, business_id)
