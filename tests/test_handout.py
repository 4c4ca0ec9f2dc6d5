"""The printable discussion handout: every prompt, in course order, escaped, nothing external."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat

from kit.course import handout
from kit.course.content import load_course

FIXTURES = Path(__file__).parent / "fixtures" / "content" / "valid"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_shipped_handout_lists_every_lesson_prompt_in_course_order() -> None:
    course = load_course()
    page = _page(handout.render_handout(course))
    text = " ".join(page.text)
    headings = [f"{step}. {lesson.title}" for step, lesson in enumerate(course.lessons, start=1)]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    for lesson in course.lessons:
        for prompt in lesson.facilitator_notes.discussion_prompts:
            assert prompt in text
    assert "script" not in page.tags and page.urls == []


def test_handout_shows_the_cases_a_lesson_shows_and_escapes_text(tmp_path: Path) -> None:
    """A lesson showing one case gets that case's questions; markup in a prompt stays text."""
    course = load_course(FIXTURES)
    first = course.lessons_by_id["fx_first"]
    first.facilitator_notes.discussion_prompts[0] = "Is <b>this</b> new?"
    notebooks = tmp_path / "notebooks"
    for lesson in course.lessons:
        path = notebooks / lesson.notebook
        path.parent.mkdir(parents=True, exist_ok=True)
        code = 'case_study("fx_bakery")' if lesson is first else "1 + 1"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), path)
    rows = handout.lesson_prompts(course, notebooks, FIXTURES)
    assert [len(row.cases) for row in rows] == [1, 0]
    html = handout.render_handout(course, notebooks, FIXTURES)
    assert "Is &lt;b&gt;this&lt;/b&gt; new?" in html
    assert "<b>" not in html


def test_write_handout_creates_the_folder(tmp_path: Path) -> None:
    out = handout.write_handout(tmp_path / "print" / "prompts.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
