"""The course website: a real Sphinx build of two executed lessons, read offline in Chromium.

The build is the same code as `make site`, limited to two lessons so the test stays short; the
course map, glossary, case studies and maturity model pages are built in full. Every request
the pages make is recorded, and any that would leave the machine fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from kit.course import site
from kit.course.content import load_course
from kit.errors import UnknownContentError
from kit.reports.renderers import CHROMIUM_ARGS
from tests.apps_support import CHROMIUM
from tests.conftest import require_system_tool

LESSONS = ["service_automation_fundamentals", "customer_relationships_advanced"]
PHONE = {"width": 390, "height": 844}


def test_widget_outputs_become_a_note_and_printed_links_point_at_pages() -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("w"), nbformat.v4.new_code_cell('lesson_intro("a")')]
    )
    notebook.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={site.WIDGET_MIME: {"model_id": "x"}, "text/plain": "VBox(children=(...))"},
        ),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/markdown": "1. [First](lessons/a_b.ipynb) and [site](https://x.org/a.ipynb)"
            },
        ),
    ]
    assert site.for_the_web(notebook) == 1
    widget, links = notebook.cells[0].outputs
    assert widget.data == {"text/html": site.WIDGET_NOTE}
    assert links.data["text/markdown"] == (
        "1. [First](lessons/a_b.html) and [site](https://x.org/a.ipynb)"
    )
    assert "tags" not in notebook.cells[0].metadata
    assert notebook.cells[1].metadata["tags"] == ["remove-input"]


def test_unknown_lesson_is_named(tmp_path: Path) -> None:
    with pytest.raises(UnknownContentError, match=r"unknown lesson id\(s\): nope"):
        site.build_site(tmp_path / "site", ["nope"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    site.build_site(out, LESSONS, progress=lambda message: None)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_system_tool(CHROMIUM, "the site test reads the pages in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: object, path: Path) -> tuple[object, list[str]]:
    """A phone-sized page at a file:// URL; requests that would leave the machine are refused
    and listed."""
    page = browser.new_page(viewport=PHONE)  # type: ignore[attr-defined]
    outside: list[str] = []

    def route(request_route: object) -> None:
        url = request_route.request.url  # type: ignore[attr-defined]
        if urlparse(url).scheme in ("file", "data"):
            request_route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            request_route.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, outside


def _local_links(page: object) -> list[str]:
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "a[href]", "links => links.map(a => a.href)"
    )
    return sorted({href.split("#")[0] for href in hrefs if href.startswith("file://")})


@pytest.mark.slow
def test_front_page_lists_the_course_and_every_link_resolves(built: Path, browser: object) -> None:
    page, outside = _open(browser, built / "index.html")
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "make course" in text
    course = load_course()
    for lesson_id in LESSONS:
        assert course.lessons_by_id[lesson_id].title in text
    missing = [href for href in _local_links(page) if not Path(urlparse(href).path).is_file()]
    assert not missing, f"links to pages that were not built: {missing}"
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], "the front page scrolls sideways on a phone"
    assert outside == []


@pytest.mark.slow
def test_lesson_page_shows_its_chart_objectives_and_a_note_for_each_widget(
    built: Path, browser: object
) -> None:
    page, outside = _open(browser, built / "lessons" / "customer_relationships_advanced.html")
    text = page.inner_text("body")  # type: ignore[attr-defined]
    lesson = load_course().lessons_by_id["customer_relationships_advanced"]
    assert lesson.objectives[0] in text
    assert "Interactive in JupyterLab" in text
    assert "Worked answer" not in text
    charts = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "img[src$='.svg']", "images => images.map(i => i.naturalWidth)"
    )
    assert charts and all(width > 0 for width in charts), "a chart did not load"
    missing = [href for href in _local_links(page) if not Path(urlparse(href).path).is_file()]
    assert not missing
    assert outside == []


@pytest.mark.slow
def test_glossary_and_course_map_pages(built: Path, browser: object) -> None:
    page, outside = _open(browser, built / "glossary.html")
    assert "Churn rate" in page.inner_text("body")  # type: ignore[attr-defined]
    page, more = _open(browser, built / "00_start_here.html")
    lesson_links = [href for href in _local_links(page) if "/lessons/" in href]
    built_pages = {
        Path(urlparse(href).path).stem
        for href in lesson_links
        if Path(urlparse(href).path).is_file()
    }
    assert built_pages == set(LESSONS)
    assert all(href.endswith(".html") for href in lesson_links)
    assert outside == [] and more == []
