"""Executing is the test: every course notebook runs top to bottom in a fresh python3 kernel.

Committed notebooks carry no outputs, no execution counts and no widget state, so diffs show
only what an author wrote. They are built from the MyST text sources in ``notebook_sources/``
(``make notebooks``); ``tests/test_notebook_sources.py`` checks that they are in sync.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from kit.paths import NOTEBOOKS_DIR
from kit.settings import URL_VARIABLE
from tests.notebook_runner import execute_notebook

NOTEBOOK_TIMEOUT = 300
COURSE_NOTEBOOKS = [
    NOTEBOOKS_DIR / "00_start_here.ipynb",
    *sorted((NOTEBOOKS_DIR / "lessons").glob("*.ipynb")),
]


def _id(path: Path) -> str:
    return str(path.relative_to(NOTEBOOKS_DIR))


def _leftovers(notebook: nbformat.NotebookNode) -> list[str]:
    problems = [
        f"cell {index}: {what}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for what, present in (
            ("has outputs", bool(cell.get("outputs"))),
            ("has an execution_count", cell.get("execution_count") is not None),
        )
        if present
    ]
    if "widgets" in notebook.metadata:
        problems.append("metadata: saved widget state ('widgets')")
    return problems


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=_id)
def test_notebook_is_committed_stripped(path: Path) -> None:
    """Does the committed notebook hold only sources (no outputs, counts or widget state)?"""
    problems = _leftovers(nbformat.read(path, as_version=4))
    assert not problems, (
        f"{path}: not stripped:\n  "
        + "\n  ".join(problems)
        + "\nEdit its source in notebook_sources/ and rebuild it with: make notebooks"
    )


@pytest.mark.slow
@pytest.mark.timeout(NOTEBOOK_TIMEOUT)
@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=_id)
def test_notebook_runs_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does the notebook execute without error in a fresh kernel, from its own folder?"""
    # Lessons that embed the self-assessment save answers; keep them out of the checkout.
    monkeypatch.setenv(URL_VARIABLE, f"sqlite:///{tmp_path / 'eakit.sqlite'}")
    execute_notebook(path, NOTEBOOK_TIMEOUT)  # raises CellExecutionError, naming the cell
