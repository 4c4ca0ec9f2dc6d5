"""docs/source_coverage.md, the facilitators' map of each source concept to where it is taught:
every lesson and section it names must exist, and every source must have its table."""

from __future__ import annotations

import re
from pathlib import Path

from kit.course.content import load_course

COVERAGE = Path(__file__).parents[1] / "docs" / "source_coverage.md"
REFERENCE = re.compile(r"\b([a-z_]+) §(\d+)\b")


def _rows() -> list[tuple[str, str, str]]:
    """(source heading, concept, where taught) for every table row under a ``## NNN`` heading."""
    rows, source = [], ""
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            source = line[3:6]
        elif line.startswith("| ") and not line.startswith(("| Concept", "| ---")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows.append((source, cells[0], cells[1]))
    return rows


def test_every_source_of_the_course_has_a_table() -> None:
    """Are the five sources' numbers (000-004) the ones the table covers, each with rows?"""
    sources = {topic.source[:3] for topic in load_course().topics}
    covered = {source for source, _, _ in _rows()}
    assert covered == sources


def test_every_lesson_and_section_named_exists() -> None:
    """Does each 'lesson §N' point at a lesson in course.yaml with a section numbered N?"""
    course = load_course()
    sections = {
        lesson.id: {section.title.split(".")[0] for section in lesson.sections}
        for lesson in course.lessons
    }
    missing = []
    for source, concept, where in _rows():
        references = REFERENCE.findall(where)
        if not references:
            missing.append(f"{source} {concept!r}: names no lesson")
        missing += [
            f"{source} {concept!r}: {lesson} §{number}"
            for lesson, number in references
            if number not in sections.get(lesson, set())
        ]
    assert not missing, "docs/source_coverage.md points nowhere:\n" + "\n".join(missing)
