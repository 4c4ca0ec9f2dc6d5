"""Further reading per lesson: the works the source articles cite and standard references,
kept as data in ``content/further_reading.yaml`` and shown at the end of each lesson."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from kit.core.definitions import Identifier, Prose, Strict
from kit.core.yamlio import load_model
from kit.course.content import load_course
from kit.errors import DefinitionError
from kit.paths import CONTENT_DIR

READING_FILE = CONTENT_DIR / "further_reading.yaml"
MIN_WORKS_PER_LESSON = 2


class Work(Strict):
    """One book, paper, law or guide, cited so a reader can find it in a library."""

    cite: Prose = Field(description="authors, year, title, where published")
    why: Prose = Field(description="what the lesson's reader gets from it")
    cited_by_source: bool = Field(default=False, description="listed by a source article")


class LessonReading(Strict):
    lesson: Identifier
    works: Annotated[list[Work], Field(min_length=MIN_WORKS_PER_LESSON)]


class ReadingList(Strict):
    schema_version: Literal[1]
    lessons: list[LessonReading] = Field(min_length=1)


def reading_problems(reading: ReadingList, lesson_ids: list[str]) -> list[str]:
    """Lessons listed twice, unknown lessons, and lessons with no reading."""
    listed = [entry.lesson for entry in reading.lessons]
    problems = [
        f"lesson {lesson!r} is listed more than once"
        for lesson in sorted({x for x in listed if listed.count(x) > 1})
    ]
    problems += [
        f"lesson {lesson!r} is not in course.yaml" for lesson in listed if lesson not in lesson_ids
    ]
    problems += [
        f"lesson {lesson!r} has no further reading" for lesson in lesson_ids if lesson not in listed
    ]
    return problems


@lru_cache(maxsize=2)
def load_reading(path: Path = READING_FILE) -> dict[str, list[Work]]:
    """Each lesson's works, checked against the course plan."""
    reading = load_model(path, ReadingList)
    problems = reading_problems(reading, [lesson.id for lesson in load_course().lessons])
    if problems:
        raise DefinitionError([f"{path}: {problem}" for problem in problems])
    return {entry.lesson: entry.works for entry in reading.lessons}


def reading_markdown(works: list[Work]) -> str:
    """The list as a lesson shows it; works a source article cites are marked."""
    lines = ["### Further reading", ""]
    for work in works:
        mark = " *(cited by the source article)*" if work.cited_by_source else ""
        lines.append(f"- {work.cite}{mark}. {work.why}")
    return "\n".join(lines)
