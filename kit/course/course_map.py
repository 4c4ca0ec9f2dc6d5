"""Tables and text for the course map and each lesson's opening, built from course.yaml.

Nothing here is typed by hand into a notebook: the path, the timings, the objectives, the
discussion prompts, the facilitator notes and the workshop timetables all come from
``content/course.yaml``, so the map and the lessons cannot drift apart. Pure pandas and strings;
the notebooks display them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from kit.course.content import LEVELS, Course, Lesson


def _level_title(level: str) -> str:
    return level.capitalize()


def topic_table(course: Course) -> pd.DataFrame:
    """The five topics, what each covers, and how long all its lessons take."""
    minutes = {topic.id: 0 for topic in course.topics}
    for lesson in course.lessons:
        minutes[lesson.topic] += lesson.minutes
    return pd.DataFrame(
        [
            {
                "Topic": topic.title,
                "What it covers": topic.summary,
                "Minutes, all levels": minutes[topic.id],
            }
            for topic in course.topics
        ]
    ).set_index("Topic")


def lesson_links(course: Course) -> str:
    """The suggested order as a numbered markdown list of links to the lesson notebooks."""
    return "\n".join(
        f"{step}. [{lesson.title}]({lesson.notebook}) - {lesson.minutes} min, "
        f"{course.topic(lesson.topic).title.lower()}, {lesson.level}"
        for step, lesson in enumerate(course.lessons, start=1)
    )


def lesson_table(course: Course) -> pd.DataFrame:
    """Every lesson in the suggested order, with time and prerequisites."""
    titles = {lesson.id: lesson.title for lesson in course.lessons}
    rows = [
        {
            "Step": step,
            "Lesson": lesson.title,
            "Topic": course.topic(lesson.topic).title,
            "Level": _level_title(lesson.level),
            "Minutes": lesson.minutes,
            "Do first": "; ".join(titles[p] for p in lesson.prerequisites) or "nothing",
            "Notebook": lesson.notebook,
        }
        for step, lesson in enumerate(course.lessons, start=1)
    ]
    return pd.DataFrame(rows).set_index("Step")


def path_table(course: Course) -> pd.DataFrame:
    """One row per topic, one column per level: the route from fundamentals to advanced."""
    cells = {
        (lesson.topic, lesson.level): f"{lesson.title} ({lesson.minutes} min)"
        for lesson in course.lessons
    }
    return pd.DataFrame(
        [[cells.get((topic.id, level), "-") for level in LEVELS] for topic in course.topics],
        index=pd.Index([topic.title for topic in course.topics], name="Topic"),
        columns=[_level_title(level) for level in LEVELS],
    )


def time_summary(course: Course) -> pd.DataFrame:
    """Minutes per topic and level, with totals, for planning a programme."""
    frame = pd.DataFrame(
        [
            {
                "Topic": course.topic(lesson.topic).title,
                "Level": _level_title(lesson.level),
                "Minutes": lesson.minutes,
            }
            for lesson in course.lessons
        ]
    )
    table = frame.pivot_table(
        index="Topic",
        columns="Level",
        values="Minutes",
        aggfunc="sum",
        fill_value=0,
        margins=True,
        margins_name="Total",
        sort=False,
    )
    return table.reindex(
        columns=[*[_level_title(level) for level in LEVELS], "Total"], fill_value=0
    )


def timings(lesson: Lesson) -> str:
    """How a lesson's minutes split over its sections, on one line."""
    return "; ".join(f"{section.title} {section.minutes} min" for section in lesson.sections)


def _lesson_notes(lesson: Lesson, course: Course) -> str:
    notes = lesson.facilitator_notes
    prompts = "\n".join(f"  - {prompt}" for prompt in notes.discussion_prompts)
    stuck = "\n".join(f"  - {point}" for point in notes.sticking_points)
    objectives = "\n".join(f"  - {objective}" for objective in lesson.objectives)
    return (
        f"#### {lesson.title} ({lesson.minutes} min)\n\n"
        f"*{course.topic(lesson.topic).title}, {lesson.level}; notebook "
        f"`{lesson.notebook}`*\n\n"
        f"- **Participants will be able to**\n{objectives}\n"
        f"- **Timings:** {timings(lesson)}\n"
        f"- **Discussion prompts**\n{prompts}\n"
        f"- **Where rooms get stuck**\n{stuck}\n"
    )


def facilitator_notes(course: Course, topic: str | None = None) -> str:
    """Markdown notes for every lesson (or one topic's), in course order."""
    return "\n".join(
        _lesson_notes(lesson, course)
        for lesson in course.lessons
        if topic is None or lesson.topic == topic
    )


def workshop_schedule(course: Course, workshop_id: str) -> pd.DataFrame:
    """A workshop's timetable: clock times from its start, lesson minutes from course.yaml."""
    workshop = course.workshop(workshop_id)
    lessons = course.lessons_by_id
    clock = datetime.strptime(workshop.start, "%H:%M")
    rows = []
    for item in workshop.agenda:
        lesson = lessons.get(item.lesson) if item.lesson else None
        minutes = item.minutes or (lesson.minutes if lesson else None)
        assert minutes is not None, "checked on load: an activity has minutes, a lesson exists"
        end = clock + timedelta(minutes=minutes)
        rows.append(
            {
                "Start": f"{clock:%H:%M}",
                "End": f"{end:%H:%M}",
                "Session": lesson.title if lesson else item.activity,
                "Notebook": lesson.notebook if lesson else "",
                "Minutes": minutes,
            }
        )
        clock = end
    return pd.DataFrame(rows)


def workshop_overview(course: Course, workshop_id: str) -> str:
    """A workshop's heading, audience and total length as markdown."""
    workshop = course.workshop(workshop_id)
    total = int(workshop_schedule(course, workshop_id)["Minutes"].sum())
    hours, minutes = divmod(total, 60)
    return (
        f"### {workshop.title}\n\n{workshop.audience}\n\n"
        f"Total: **{hours} h {minutes:02d} min**, starting at {workshop.start}."
    )


def lesson_intro(course: Course, lesson_id: str) -> str:
    """A lesson's opening as markdown: where it sits, what to do first, objectives and plan."""
    lesson = course.lesson(lesson_id)
    titles = {other.id: other.title for other in course.lessons}
    first = "; ".join(f'"{titles[p]}"' for p in lesson.prerequisites) or "nothing"
    objectives = "\n".join(f"- {objective}" for objective in lesson.objectives)
    plan = "\n".join(f"| {section.title} | {section.minutes} |" for section in lesson.sections)
    return (
        f"*{course.topic(lesson.topic).title} · {_level_title(lesson.level)} · "
        f"{lesson.minutes} minutes · do first: {first}*\n\n"
        f"**By the end of this lesson you will be able to**\n\n{objectives}\n\n"
        f"**Plan** (minutes per section, as in the course plan)\n\n"
        f"| Section | Minutes |\n| --- | ---: |\n{plan}\n| **Total** | **{lesson.minutes}** |"
    )


def discussion(course: Course, lesson_id: str) -> str:
    """A lesson's discussion prompts as a numbered markdown list."""
    prompts = course.lesson(lesson_id).facilitator_notes.discussion_prompts
    return "\n".join(f"{number}. {prompt}" for number, prompt in enumerate(prompts, start=1))
