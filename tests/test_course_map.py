"""The course map is computed from course.yaml: are its tables and timetables right?"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.course import course_map
from kit.course.content import load_course
from kit.errors import UnknownContentError

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
    with pytest.raises(UnknownContentError, match="unknown workshop id 'evening'; known ids: "
                                                  "fx_morning"):
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
        "First lesson (30 min)", "Second lesson (45 min)", "-"]
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
    assert "- **Timings:** 10 min reading, 20 min exercise" in notes
    assert "  - What was new?" in notes
    assert "  - The first exercise." in notes


def test_shipped_workshops_fit_their_slots() -> None:
    """Does the half-day plan fit in four hours and the full day in eight?"""
    course = load_course()
    for workshop_id, limit in (("half_day", 240), ("full_day", 480)):
        assert course_map.workshop_schedule(course, workshop_id)["Minutes"].sum() <= limit
