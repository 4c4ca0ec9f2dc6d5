"""Build the course's .ipynb files from their text sources, in two editions.

Every notebook is written once, as a MyST markdown text notebook under ``notebook_sources/``
(jupytext reads and writes it; JupyterLab opens it as a notebook). This module derives:

- the **participant edition**, ``notebooks/<same path>.ipynb``: committed, outputs stripped, the
  cells tagged ``solution`` removed. This is what participants open and what the package ships.
- the **facilitator edition**, every cell kept (worked answers included), built on demand into
  ``build/facilitator/`` (not committed, so no participant stumbles on it in the checkout).

    python -m kit.course.build_notebooks            # rewrite notebooks/ (`make notebooks`)
    python -m kit.course.build_notebooks --check    # exit 1 if notebooks/ is out of date
    python -m kit.course.build_notebooks --facilitator [DIR]

Output is deterministic (cell ids derive from each cell's text), so a rebuild of an unchanged
source leaves the committed file byte for byte as it was.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from kit.paths import NOTEBOOKS_DIR, ROOT

SOURCES_DIR = ROOT / "notebook_sources"
FACILITATOR_DIR = ROOT / "build" / "facilitator"
SOLUTION_TAG = "solution"
SOURCE_FORMAT = "md:myst"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return SOLUTION_TAG in tags(cell)


@dataclass(frozen=True)
class Edition:
    """Which cells an edition keeps, and the note it opens with (if any)."""

    name: str
    keeps: Callable[[nbformat.NotebookNode], bool]
    banner: str = ""


PARTICIPANT = Edition("participant", lambda cell: not is_solution(cell))
FACILITATOR = Edition(
    "facilitator",
    lambda cell: True,
    banner="> **Facilitator edition.** A worked answer follows every prompt. Participants' "
    "notebooks (in `notebooks/`) do not have them; rebuild this copy with "
    "`make facilitator`.",
)


def sources(folder: Path = SOURCES_DIR) -> list[Path]:
    """Every text notebook, in a stable order (READMEs are prose, not notebooks)."""
    return sorted(path for path in folder.rglob("*.md") if path.name != "README.md")


def target(source: Path, out_dir: Path, folder: Path = SOURCES_DIR) -> Path:
    return out_dir / source.relative_to(folder).with_suffix(".ipynb")


def read_source(source: Path) -> nbformat.NotebookNode:
    return jupytext.read(source, fmt=SOURCE_FORMAT)


def _cell_id(cell: nbformat.NotebookNode, taken: set[str]) -> str:
    digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()
    base = digest[:8]
    cell_id, n = base, 1
    while cell_id in taken:
        cell_id, n = f"{base}-{n}", n + 1
    taken.add(cell_id)
    return cell_id


def _clean_cell(cell: nbformat.NotebookNode, taken: set[str]) -> nbformat.NotebookNode:
    """A cell as committed: its text and tags, a stable id, no outputs."""
    metadata = {"tags": tags(cell)} if tags(cell) else {}
    make = {
        "code": nbformat.v4.new_code_cell,
        "markdown": nbformat.v4.new_markdown_cell,
        "raw": nbformat.v4.new_raw_cell,
    }[cell.cell_type]
    clean = make(source=cell.source, metadata=metadata)
    clean["id"] = _cell_id(cell, taken)
    return clean


def edition_of(notebook: nbformat.NotebookNode, edition: Edition) -> nbformat.NotebookNode:
    """The notebook as one edition shows it: chosen cells only, no jupytext pairing data."""
    taken: set[str] = set()
    cells = [cell for cell in notebook.cells if edition.keeps(cell)]
    if edition.banner:
        cells.insert(0, nbformat.v4.new_markdown_cell(edition.banner))
    title = {"title": notebook.metadata["title"]} if "title" in notebook.metadata else {}
    built = nbformat.v4.new_notebook(  # a title names the browser tab of a Voila app
        cells=[_clean_cell(cell, taken) for cell in cells],
        metadata={
            "kernelspec": copy.deepcopy(KERNELSPEC),
            "language_info": {"name": "python"},
            **title,
        },
    )
    nbformat.validate(built)
    return built


def render(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def built_text(source: Path, edition: Edition) -> str:
    return render(edition_of(read_source(source), edition))


def build(edition: Edition, out_dir: Path, folder: Path = SOURCES_DIR) -> list[Path]:
    """Write one edition of every source into out_dir; returns the files that changed."""
    changed = []
    for source in sources(folder):
        path = target(source, out_dir, folder)
        text = built_text(source, edition)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def out_of_sync(out_dir: Path = NOTEBOOKS_DIR, folder: Path = SOURCES_DIR) -> list[str]:
    """Why the committed participant notebooks differ from their sources (empty: in sync)."""
    expected = {target(source, out_dir, folder): source for source in sources(folder)}
    problems = [
        f"{path}: missing (built from {source})"
        if not path.is_file()
        else f"{path}: differs from {source}"
        for path, source in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != built_text(source, PARTICIPANT)
    ]
    problems += [
        f"{path}: no text source in {folder} (write one, or delete the notebook)"
        for path in sorted(out_dir.rglob("*.ipynb"))
        if path not in expected and not _is_checkpoint(path, out_dir)
    ]
    return problems


def _is_checkpoint(path: Path, out_dir: Path) -> bool:
    return ".ipynb_checkpoints" in path.relative_to(out_dir).parts


def _report(paths: Iterable[Path], what: str) -> None:
    listed = [str(path) for path in paths]
    print(f"{what}: {len(listed)} notebook(s)" + "".join(f"\n  {p}" for p in listed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kit.course.build_notebooks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="only check that notebooks/ matches notebook_sources/"
    )
    parser.add_argument(
        "--facilitator",
        nargs="?",
        const=FACILITATOR_DIR,
        type=Path,
        metavar="DIR",
        help=f"build the facilitator edition (default {FACILITATOR_DIR.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    if not SOURCES_DIR.is_dir():
        print(
            f"{SOURCES_DIR}: no notebook sources here; building needs a source checkout.",
            file=sys.stderr,
        )
        return 2
    if args.check:
        problems = out_of_sync()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("Rebuild with: make notebooks", file=sys.stderr)
        return 1 if problems else 0
    if args.facilitator is not None:
        build(FACILITATOR, args.facilitator)
        print(f"Facilitator edition (worked answers included) in {args.facilitator}")
        return 0
    _report(build(PARTICIPANT, NOTEBOOKS_DIR), "Rewritten from notebook_sources/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
