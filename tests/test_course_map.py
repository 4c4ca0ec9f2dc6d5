"""The course map is computed from course.yaml: are its tables and timetables right?"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.course import course_map
from kit.course.content import load_course
from kit.errors import DefinitionError, UnknownContentError

COURSE = load_course(Path(__file__).parent / "fixtures" / "content" / "valid")


def test_workshop_schedule_adds_minutes_from_the_start_time() -> None:
    """Do clock times run on from 09:30, taking lesson minutes from course.yaml?"""
    schedule = course_map.workshop_schedule(COURSE, "fx_morning")
    # 09:30 + 10 (welcome) = 09:40; + 30 (fx_first) = 10:10; + 15 (break) = 10:25; + 45 = 11:10.
    assert schedule[["Start", "End", "Session", "Minutes"]].values.tolist() == [
        ["09:30", "09:40", "Welcome", 10],
        ["09:40", "10:10", "First lesson", 30],
        ["10:10", "10:25", "Break", 15],
        ["10:25", "11:10", "Second lesson", 45],
    ]


def test_workshop_overview_states_the_total_length() -> None:
    """Is the total 10 + 30 + 15 + 45 = 100 minutes, shown as 1 h 40 min?"""
    overview = course_map.workshop_overview(COURSE, "fx_morning")
    assert overview.startswith("### Morning\n\nFixture audience.")
    assert "Total: **1 h 40 min**, starting at 09:30." in overview


def test_unknown_workshop_is_named() -> None:
    """Does asking for a workshop that is not planned name it and list the real ones?"""
    with pytest.raises(
        UnknownContentError, match="unknown workshop id 'evening'; known ids: fx_morning"
    ):
        course_map.workshop_schedule(COURSE, "evening")


def test_lesson_table_follows_the_suggested_order_with_prerequisite_titles() -> None:
    """Are lessons numbered in list order, with prerequisites shown by title?"""
    table = course_map.lesson_table(COURSE)
    assert table.index.tolist() == [1, 2]
    assert table["Do first"].tolist() == ["nothing", "First lesson"]
    assert table["Minutes"].tolist() == [30, 45]


def test_path_and_time_tables_place_each_lesson_by_topic_and_level() -> None:
    """Does each lesson sit in its topic's row and level's column, with totals of minutes?"""
    path = course_map.path_table(COURSE)
    assert path.loc["Automation for social impact"].tolist() == [
        "First lesson (30 min)",
        "Second lesson (45 min)",
        "-",
    ]
    times = course_map.time_summary(COURSE)
    assert times.loc["Total"].tolist() == [30, 45, 0, 75]


def test_topic_table_and_links() -> None:
    """Does the topic table total each topic's minutes, and do links point at the notebooks?"""
    assert course_map.topic_table(COURSE)["Minutes, all levels"].tolist() == [75]
    assert course_map.lesson_links(COURSE).splitlines() == [
        "1. [First lesson](lessons/fx_first.ipynb) - 30 min, automation for social impact, "
        "fundamentals",
        "2. [Second lesson](lessons/fx_second.ipynb) - 45 min, automation for social impact, "
        "intermediate",
    ]


def test_facilitator_notes_carry_timings_prompts_and_sticking_points() -> None:
    """Do the notes for a lesson show its timings, prompts and where rooms get stuck?"""
    notes = course_map.facilitator_notes(COURSE, topic="social_impact")
    assert "#### First lesson (30 min)" in notes
    assert "- **Timings:** Reading 10 min; Exercise 20 min" in notes
    assert "  - What was new?" in notes
    assert "  - The first exercise." in notes


def test_shipped_workshops_fit_their_slots() -> None:
    """Does the half-day plan fit in four hours and the full day in eight?"""
    course = load_course()
    for workshop_id, limit in (("half_day", 240), ("full_day", 480)):
        assert course_map.workshop_schedule(course, workshop_id)["Minutes"].sum() <= limit


def test_lesson_intro_shows_prerequisites_objectives_and_minutes_per_section() -> None:
    """Is a lesson's opening rendered from course.yaml: place, objectives, plan adding to 45?"""
    intro = course_map.lesson_intro(COURSE, "fx_second")
    assert intro.splitlines()[0] == (
        '*Automation for social impact · Intermediate · 45 minutes · do first: "First lesson"*'
    )
    assert "- Learn the second thing." in intro
    assert intro.endswith("| Reading | 15 |\n| Exercise | 30 |\n| **Total** | **45** |")
    assert "do first: nothing" in course_map.lesson_intro(COURSE, "fx_first")


def test_discussion_prompts_are_numbered_and_unknown_lessons_named() -> None:
    assert course_map.discussion(COURSE, "fx_first") == "1. What was new?"
    with pytest.raises(
        UnknownContentError, match="unknown lesson id 'fx_third'; known ids: fx_first, fx_second"
    ):
        course_map.discussion(COURSE, "fx_third")


def test_sections_must_fill_the_lesson(tmp_path: Path) -> None:
    """A plan whose sections add up to 25 of a 30-minute lesson is refused, naming both."""
    text = (Path(__file__).parent / "fixtures/content/valid/course.yaml").read_text()
    (tmp_path / "course.yaml").write_text(
        text.replace("{title: Exercise, minutes: 20}", "{title: Exercise, minutes: 15}")
    )
    with pytest.raises(
        DefinitionError,
        match="the sections' minutes add up to 25, but the lesson is planned for 30",
    ):
        load_course(tmp_path)


def test_shipped_full_day_includes_advanced_material_and_one_self_assessment() -> None:
    course = load_course()
    levels = [course.lessons_by_id[item].level for item in course.workshop("full_day").lesson_ids]
    assert "advanced" in levels
    embeds_assessment = {"customer_relationships_intermediate", "customer_experience_advanced"}
    assert len(embeds_assessment & set(course.workshop("full_day").lesson_ids)) == 1
