"""Reports as people read them: on a 390-pixel phone in Chromium, and as printed PDF pages.

The pages are built in-process from a real SQLite store holding the sample cohort (the batch
tests run the same code through papermill); Chromium is Debian's, driven by Playwright.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from kit.core.definitions import Definitions, Question, bundled_definitions
from kit.core.records import AnswerNote
from kit.core.scoring import score_valid_answers
from kit.paths import SAMPLE_COHORT
from kit.reports.business import business_report
from kit.reports.html import page
from kit.reports.renderers import close_renderers, render_page
from kit.reports.summary import build_summary, cohort_priorities, summary_page
from kit.store.database import Store
from kit.tables.cohort_file import read_cohort
from tests.conftest import require_system_tool
from tests.test_reports import answers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
WORKSHOP = "pages"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The report of the sample business with the longest name, and the cohort summary."""
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'store.sqlite'}"
    rows = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows
    with Store.open(url) as store:
        for row in rows:
            store.ensure_business(WORKSHOP, row.business_id, row.business_name)
            store.submit(WORKSHOP, row.business_id, row.answers, f"key-{row.business_id}")
        labels = {level.number: level.label for level in store.definitions.model.levels}
        summary = summary_page(build_summary(store, WORKSHOP), labels)
        question, area = _disagreeing_team(store, rows[0].answers)
    longest = max(rows, key=lambda row: len(row.business_name))
    view = business_report(url, WORKSHOP, longest.business_id)
    team = business_report(url, WORKSHOP, TEAM)
    return {
        "report": page(view.title, view.html),
        "summary": summary,
        "name": longest.business_name,
        "team": page(team.title, team.html),
        "flagged": f"{question.text} ({area}; counted: {question.option_at(1).text})",
    }


TEAM = "team-pages"


def _disagreeing_team(store: Store, answers: dict[str, str]) -> tuple[Question, str]:
    """A business answered by two respondents who agree on everything but the first question,
    where one names its level-1 practice and the other its level-4 one (three levels apart:
    flagged; the lower median of two is the lower answer)."""
    question = store.definitions.questionnaire.questions[0]
    store.ensure_business(WORKSHOP, TEAM, "Team of two")
    for number, level in enumerate((1, 4), start=1):
        code = f"pages-r{number}"
        store.join_respondent(WORKSHOP, TEAM, code, "staff")
        given = {**answers, question.id: question.option_at(level).id}
        note = AnswerNote(
            "Our policy, agreed at the spring staff meeting and kept on the wiki",
            "https://intranet.example.org/policies/automation/" + "x" * 80,
        )
        store.submit(
            WORKSHOP,
            TEAM,
            given,
            f"key-team-{number}",
            respondent=code,
            role="staff",
            notes={question.id: note},
        )
    store.set_targets(TEAM, dict.fromkeys(store.definitions.dimensions, 4))
    return question, store.definitions.dimensions[question.dimension].name


@pytest.fixture(scope="module")
def browser():
    require_system_tool("/usr/bin/chromium", "the page tests look at reports in Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("which", ["report", "team", "summary"])
def test_pages_fit_a_phone_without_sideways_scrolling(pages, browser, which, tmp_path: Path):
    """Opened on a 390-pixel-wide phone, is the page no wider than the screen, with a main
    landmark and every chart announced as an image with a title?"""
    path = tmp_path / f"{which}.html"
    path.write_text(pages[which], encoding="utf-8")
    tab = browser.new_page(viewport=PHONE, java_script_enabled=True)
    tab.goto(path.as_uri())
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert tab.locator("main").count() == 1
    charts = tab.locator("svg")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        assert (chart.locator("title").text_content() or "").strip()
    tab.close()


def test_every_pdf_page_names_the_business_and_its_number(pages):
    """Printed to PDF, does each page carry the business's name and 'page i of n'?"""
    require_system_tool("/usr/bin/chromium", "PDF reports are printed by headless Chromium")
    from pypdf import PdfReader

    try:
        pdf = render_page(pages["report"], ("pdf",), "a4")["pdf"]
    finally:
        close_renderers()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for number, sheet in enumerate(reader.pages, start=1):
        text = " ".join(unicodedata.normalize("NFKC", sheet.extract_text()).split())
        assert pages["name"] in text
        assert f"page {number} of {len(reader.pages)}" in text


@pytest.mark.parametrize(("letters", "moving"), [("aaaaab", 5), ("aaabb", None)])
def test_priority_says_what_its_numbers_count(small_defs: Definitions, letters, moving):
    """Businesses at the top level in beta and gamma, so alpha alone holds each back: is alpha
    the starting point for all of them, with the most common step (level 1 to 2) counted,
    and that count left out when it is under five?"""
    placements = [score_valid_answers(small_defs, answers(x, "d", "d")) for x in letters]
    [alpha] = cohort_priorities(small_defs, placements)
    assert (alpha.name, alpha.businesses) == ("Alpha area", len(letters))
    assert (alpha.from_label, alpha.to_label, alpha.moving) == ("Reactive", "Proactive", moving)


@pytest.mark.parametrize("which", ["report", "team", "summary"])
def test_pages_pass_axe_core(pages, browser, which, tmp_path: Path):
    """Does axe-core find no serious or critical barrier in a business report or the cohort
    summary, on a phone and on a laptop? (The page's own policy forbids scripts, so the check
    is let in past it.)"""
    from tests.apps_support import AXE, axe_violations

    require_system_tool(str(AXE), "axe-core: `npm ci --prefix tests` installs it, as .ci/run does")
    path = tmp_path / f"{which}.html"
    path.write_text(pages[which], encoding="utf-8")
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        tab = context.new_page()
        tab.goto(path.as_uri())
        assert axe_violations(tab) == [], (which, viewport)
        context.close()


def test_flagged_disagreement_shows_in_that_business_report(pages, browser, tmp_path: Path):
    """Opened in Chromium, does the team's report show "Worth talking through" with the one
    question its respondents answered three levels apart (and no respondent's code), while
    another business's report has no such section? Printed, does the PDF say it too?"""
    require_system_tool("/usr/bin/chromium", "PDF reports are printed by headless Chromium")
    from pypdf import PdfReader

    for which, expected in (("team", [pages["flagged"]]), ("report", [])):
        path = tmp_path / f"{which}.html"
        path.write_text(pages[which], encoding="utf-8")
        tab = browser.new_page(viewport=PHONE)
        tab.goto(path.as_uri())
        heading = tab.get_by_role("heading", name="Worth talking through")
        assert heading.count() == len(expected)
        items = [" ".join(text.split()) for text in tab.locator(".disagreement").all_inner_texts()]
        assert items == expected
        assert "pages-r1" not in tab.content() and "pages-r2" not in tab.content()
        tab.close()
    try:
        pdf = render_page(pages["team"], ("pdf",), "a4")["pdf"]
    finally:
        close_renderers()
    text = " ".join(
        " ".join(unicodedata.normalize("NFKC", sheet.extract_text()).split())
        for sheet in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Worth talking through" in text
    assert " ".join(pages["flagged"].split()) in text
