"""The text sources and the two editions built from them.

One MyST text notebook per lesson lives in ``notebook_sources/``; the committed participant
notebooks in ``notebooks/`` must be exactly what ``make notebooks`` writes from them, and must
never carry a worked answer (a cell tagged ``solution``), which only the facilitator edition has.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import nbformat
import pytest

from kit.course import build_notebooks as bn
from kit.course.content import Lesson, case_study_by_id, load_course
from kit.paths import NOTEBOOKS_DIR

SOURCES = bn.sources()


def _id(path: Path) -> str:
    return str(path.relative_to(bn.SOURCES_DIR))


def _write_source(folder: Path, name: str, cells: list[nbformat.NotebookNode]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=cells)
    path.write_text(bn.jupytext.writes(notebook, fmt=bn.SOURCE_FORMAT), encoding="utf-8")
    return path


def _solution(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text, metadata={"tags": [bn.SOLUTION_TAG]})


def test_every_committed_notebook_matches_its_source() -> None:
    """Is notebooks/ exactly what `make notebooks` writes, with no notebook lacking a source?"""
    problems = bn.out_of_sync()
    assert not problems, "\n".join([*problems, "Rebuild with: make notebooks"])


def test_every_course_notebook_has_a_text_source() -> None:
    expected = {
        "00_start_here.md",
        "apps/assessment.md",
        "apps/dashboard.md",
        "reports/business_report.md",
    }
    assert expected <= {_id(path) for path in SOURCES}
    assert len([p for p in SOURCES if p.parent.name == "lessons"]) == 15


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_no_worked_answer_reaches_the_participant_edition(source: Path) -> None:
    """No solution-tagged cell, nor the text of any, in the notebook participants open."""
    solutions = [
        cell.source.strip() for cell in bn.read_source(source).cells if bn.is_solution(cell)
    ]
    participant = nbformat.read(bn.target(source, NOTEBOOKS_DIR), as_version=4)
    assert not [cell for cell in participant.cells if bn.is_solution(cell)]
    shown = "\n".join(cell.source for cell in participant.cells)
    leaked = [text[:60] for text in solutions if text and text in shown]
    assert not leaked, f"worked answers visible to participants: {leaked}"


def test_facilitator_edition_keeps_what_participants_lose(tmp_path: Path) -> None:
    """Both editions from one source: the participant's lacks exactly the tagged cells."""
    folder = tmp_path / "sources"
    _write_source(
        folder,
        "lessons/demo.md",
        [
            nbformat.v4.new_markdown_cell("**Your turn.** Which task would you automate first?"),
            _solution("**Worked answer.** Invoicing: it repeats weekly and follows rules."),
            nbformat.v4.new_code_cell("total = 2 + 2"),
        ],
    )
    bn.build(bn.PARTICIPANT, tmp_path / "participant", folder)
    bn.build(bn.FACILITATOR, tmp_path / "facilitator", folder)
    participant = nbformat.read(tmp_path / "participant/lessons/demo.ipynb", as_version=4)
    facilitator = nbformat.read(tmp_path / "facilitator/lessons/demo.ipynb", as_version=4)
    assert [c.source for c in participant.cells] == [
        "**Your turn.** Which task would you automate first?",
        "total = 2 + 2",
    ]
    assert facilitator.cells[0].source.startswith("> **Facilitator edition.**")
    assert [c.source for c in facilitator.cells][2] == (
        "**Worked answer.** Invoicing: it repeats weekly and follows rules."
    )
    assert facilitator.cells[2].metadata["tags"] == ["solution"]
    assert all(not cell.get("outputs") for cell in participant.cells + facilitator.cells)


def test_check_names_a_stale_a_missing_and_an_orphan_notebook(tmp_path: Path) -> None:
    folder, out = tmp_path / "sources", tmp_path / "notebooks"
    first = _write_source(folder, "a.md", [nbformat.v4.new_markdown_cell("First")])
    _write_source(folder, "b.md", [nbformat.v4.new_markdown_cell("Second")])
    assert len(bn.build(bn.PARTICIPANT, out, folder)) == 2
    assert bn.out_of_sync(out, folder) == []
    assert bn.build(bn.PARTICIPANT, out, folder) == []  # a rebuild changes nothing

    _write_source(folder, "a.md", [nbformat.v4.new_markdown_cell("First, edited")])
    (out / "b.ipynb").unlink()
    (out / "old.ipynb").write_text("{}", encoding="utf-8")
    problems = bn.out_of_sync(out, folder)
    assert problems == [
        f"{out / 'a.ipynb'}: differs from {first}",
        f"{out / 'b.ipynb'}: missing (built from {folder / 'b.md'})",
        f"{out / 'old.ipynb'}: no text source in {folder} (write one, or delete the notebook)",
    ]


def test_cell_tags_other_than_solution_survive() -> None:
    """The report template's `parameters` tag is what papermill looks for."""
    participant = nbformat.read(NOTEBOOKS_DIR / "reports/business_report.ipynb", as_version=4)
    assert [cell.metadata.get("tags") for cell in participant.cells][1:3] == [
        ["parameters"],
        ["report"],
    ]


# --- lessons follow the course plan, and every prompt has its worked answer -------------------

LESSONS = load_course().lessons


def _lesson_id(lesson: Lesson) -> str:
    return lesson.id


def _lesson_source(lesson: Lesson) -> nbformat.NotebookNode:
    return bn.read_source(bn.SOURCES_DIR / Path(lesson.notebook).with_suffix(".md"))


def _markdown_lines(notebook: nbformat.NotebookNode, prefix: str) -> list[str]:
    return [
        line.removeprefix(prefix)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith(prefix)
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=_lesson_id)
def test_lesson_follows_its_plan_in_course_yaml(lesson: Lesson) -> None:
    """Title and headings (with their minutes) as planned; objectives rendered, not typed."""
    notebook = _lesson_source(lesson)
    assert _markdown_lines(notebook, "# ") == [lesson.title]
    assert _markdown_lines(notebook, "## ") == [
        f"{section.title} ({section.minutes} min)" for section in lesson.sections
    ]
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert f'lesson_intro("{lesson.id}")' in code
    assert f'discussion("{lesson.id}")' in code
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "you will be able to" not in prose, "objectives are typed in; use lesson_intro()"


def _prompts_in(cell: nbformat.NotebookNode, lesson: Lesson) -> int | None:
    """How many numbered prompts a cell puts to participants (0: one open task; None: none)."""
    if cell.cell_type == "markdown":
        return 0 if "**Your turn.**" in cell.source and not bn.is_solution(cell) else None
    cases = re.findall(r'case_study\("(\w+)"\)', cell.source)
    if cases:
        return sum(len(case_study_by_id(case).discussion) for case in cases)
    if f'discussion("{lesson.id}")' in cell.source:
        return len(lesson.facilitator_notes.discussion_prompts)
    return None


@pytest.mark.parametrize("lesson", LESSONS, ids=_lesson_id)
def test_every_prompt_is_followed_by_a_worked_answer(lesson: Lesson) -> None:
    """After each "Your turn", case study and discussion, the next prose is a worked answer that
    answers every numbered prompt."""
    cells = _lesson_source(lesson).cells
    missing = []
    for index, cell in enumerate(cells):
        prompts = _prompts_in(cell, lesson)
        if prompts is None:
            continue
        answer = next(
            (later for later in cells[index + 1 :] if later.cell_type == "markdown"), None
        )
        if answer is None or not bn.is_solution(answer):
            missing.append(f"cell {index}: no worked answer follows")
        elif not answer.source.startswith("**Worked answer"):
            missing.append(f"cell {index}: the answer does not start with **Worked answer")
        elif len(re.findall(r"^\d+\. ", answer.source, flags=re.M)) < prompts:
            missing.append(f"cell {index}: {prompts} prompts, fewer numbered answers")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("source", SOURCES, ids=_id)
def test_worked_answers_are_prose(source: Path) -> None:
    """The facilitator edition then runs exactly as the executed participant edition does; a
    code answer would need an execution test of its own."""
    code = [
        index
        for index, cell in enumerate(bn.read_source(source).cells)
        if bn.is_solution(cell) and cell.cell_type != "markdown"
    ]
    assert not code, f"solution-tagged code cells {code}: make them markdown or test them"


def test_next_links_follow_the_course_order() -> None:
    """Does every 'Next: *title*' line name the lesson that follows in course.yaml?"""
    lessons = load_course().lessons
    following = {
        lesson.notebook.removesuffix(".ipynb"): after.title for lesson, after in pairwise(lessons)
    }
    checked = 0
    for source in SOURCES:
        found = re.search(r"^Next: \*(.+?)\*", source.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            key = str(source.relative_to(bn.SOURCES_DIR)).removesuffix(".md")
            assert found.group(1) == following[key], source.name
            checked += 1
    assert checked >= 2
