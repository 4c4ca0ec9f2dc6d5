"""Further reading: every lesson has some, the file is checked against the course plan, and a
lesson shows it as a list with the works the sources cite marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.course.content import load_course
from kit.course.lessons import further_reading
from kit.course.reading import ReadingList, load_reading, reading_problems
from kit.errors import DefinitionError, UnknownContentError


def test_every_lesson_has_at_least_two_works() -> None:
    reading = load_reading()
    for lesson in load_course().lessons:
        assert len(reading[lesson.id]) >= 2, lesson.id


def test_a_lesson_shows_its_reading() -> None:
    shown = further_reading("customer_relationships_advanced").data
    assert shown.startswith("### Further reading\n\n- US Equal Employment Opportunity Commission")
    assert "Article 22" in shown
    cited = further_reading("community_engagement_advanced").data
    assert "The Second Machine Age. W. W. Norton *(cited by the source article)*." in cited


def test_unknown_lesson_is_named() -> None:
    with pytest.raises(UnknownContentError, match="no lesson 'cooking_basics'"):
        further_reading("cooking_basics")


def test_problems_name_unknown_missing_and_repeated_lessons() -> None:
    work = {"cite": "A. Author (2020). A book", "why": "It helps."}
    reading = ReadingList.model_validate(
        {
            "schema_version": 1,
            "lessons": [
                {"lesson": "known", "works": [work, work]},
                {"lesson": "known", "works": [work, work]},
                {"lesson": "stray", "works": [work, work]},
            ],
        }
    )
    assert reading_problems(reading, ["known", "forgotten"]) == [
        "lesson 'known' is listed more than once",
        "lesson 'stray' is not in course.yaml",
        "lesson 'forgotten' has no further reading",
    ]


def test_one_work_is_not_enough(tmp_path: Path) -> None:
    path = tmp_path / "further_reading.yaml"
    path.write_text(
        "schema_version: 1\nlessons:\n  - lesson: x\n    works:\n"
        "      - {cite: A book (2020), why: It helps.}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DefinitionError, match=r"further_reading.yaml:5: lessons\[0\].works: List should have"
    ):
        load_reading(path)
