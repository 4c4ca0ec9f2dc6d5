"""A printable handout of every discussion prompt, in course order, for a room without screens.

Generated, never typed: each lesson's prompts come from ``content/course.yaml`` and its case
studies' "talk it through" prompts from the cases the lesson's notebook shows, so the handout
follows the lessons. One HTML file, no script and nothing loaded from elsewhere; it prints on
A4 and Letter alike.

    python -m kit.course.handout [--out FILE]       # `make handout`
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kit.course.content import Course, Lesson, load_case_studies, load_course
from kit.paths import CONTENT_DIR, NOTEBOOKS_DIR, ROOT

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_OUT = ROOT / "build" / "discussion_prompts.html"
TITLE = "Discussion prompts: ethical automation for small businesses"
INTRO = (
    "One section per lesson, in the suggested order. Each case study's questions follow "
    "the lesson's own; worked answers are in the facilitator edition (make facilitator)."
)
_CASE_CALL = re.compile(r'case_study\("(\w+)"\)')


@dataclass(frozen=True)
class CasePrompts:
    title: str
    prompts: list[str]


@dataclass(frozen=True)
class LessonPrompts:
    id: str
    title: str
    topic: str
    level: str
    minutes: int
    prompts: list[str]
    cases: list[CasePrompts]


def cases_shown(lesson: Lesson, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """The case studies a lesson's notebook displays, in the order it shows them."""
    notebook = nbformat.read(notebooks_dir / lesson.notebook, as_version=4)
    return [
        case
        for cell in notebook.cells
        if cell.cell_type == "code"
        for case in _CASE_CALL.findall(cell.source)
    ]


def lesson_prompts(
    course: Course, notebooks_dir: Path = NOTEBOOKS_DIR, content_root: Path = CONTENT_DIR
) -> list[LessonPrompts]:
    known = load_case_studies(content_root)
    rows = []
    for lesson in course.lessons:
        cases = [known[case] for case in cases_shown(lesson, notebooks_dir)]
        rows.append(
            LessonPrompts(
                id=lesson.id,
                title=lesson.title,
                topic=course.topic(lesson.topic).title,
                level=lesson.level,
                minutes=lesson.minutes,
                prompts=list(lesson.facilitator_notes.discussion_prompts),
                cases=[CasePrompts(case.title, list(case.discussion)) for case in cases],
            )
        )
    return rows


def render_handout(
    course: Course, notebooks_dir: Path = NOTEBOOKS_DIR, content_root: Path = CONTENT_DIR
) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    return environment.get_template("handout.html.j2").render(
        title=TITLE, intro=INTRO, lessons=lesson_prompts(course, notebooks_dir, content_root)
    )


def write_handout(out: Path = DEFAULT_OUT, course: Course | None = None) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_handout(course or load_course()), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kit.course.handout", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where to write it (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    path = write_handout(parser.parse_args(argv).out)
    print(f"Discussion handout: {path} (open it in a browser and print)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
