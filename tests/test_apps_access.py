"""The apps for everyone: the whole assessment by keyboard alone, axe-core on every step, a
phone's 390 px, and the dashboard on a 1920x1080 projector.

Real `eakit serve` servers, Debian's Chromium through Playwright, and axe-core from the npm
registry (tests/package.json; `.ci/run` installs it) injected into each page. Screenshots go
to test-artifacts/access/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.reports.renderers import CHROMIUM_ARGS
from kit.store.database import Store
from tests.apps_support import (
    AXE,
    CHROMIUM,
    ROOT,
    agree,
    answer,
    axe_violations,
    enter,
    open_area,
    open_form,
    screenshot,
    start_app,
    submit,
)
from tests.conftest import require_system_tool

pytestmark = [pytest.mark.slow]

WORKSHOP = "access-test"
ARTIFACTS = ROOT / "test-artifacts" / "access"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
AREAS = 9
QUESTIONS = 36

FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', cls: e.className || '',
          name: e.name || '', checked: !!e.checked, text: (e.innerText || '').trim(),
          question: e.closest('fieldset')?.dataset.question || '',
          expanded: e.getAttribute('aria-expanded')}; }"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("access")


@pytest.fixture(scope="module")
def database(workdir) -> str:
    return f"sqlite:///{workdir / 'access.sqlite'}"


@pytest.fixture(scope="module")
def assessment(workdir, database):
    server = start_app("assessment", WORKSHOP, database, workdir, "--preheat", "2")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dashboard(workdir, database):
    server = start_app(
        "dashboard", WORKSHOP, database, workdir, "--join-url", "http://10.1.2.3:8866/"
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    require_system_tool(CHROMIUM, "the browser tests drive the Voila apps in headless Chromium")
    require_system_tool(
        str(AXE),
        "axe-core checks each page; `npm ci --prefix tests` installs "
        "it from the npm registry, as .ci/run does",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(90_000)
    return page


def _focused(page) -> dict:
    return page.evaluate(FOCUSED)


def _wait_focus_on_heading(page, text: str) -> None:
    page.wait_for_function(
        "t => document.activeElement.classList.contains('eakit-step-heading') && "
        "document.activeElement.innerText.includes(t)",
        arg=text,
    )


def _tab(page, shift: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if shift else "Tab")
    return _focused(page)


def test_the_whole_assessment_by_keyboard_alone(assessment, database, browser):
    """Can someone who never touches a mouse enter, agree, answer all 36 questions and submit,
    with Tab, arrows, Space and Enter, each step taking focus to its heading?"""
    page = _page(browser, LAPTOP)
    open_form(page, assessment.url)
    assert page.title() == f"Workshop {WORKSHOP}: self-assessment"
    page.locator(".eakit-step-heading").focus()
    assert _tab(page)["tag"] == "input"  # the workshop code
    page.keyboard.type(WORKSHOP)
    _tab(page)
    page.keyboard.type("keys-1")
    assert _tab(page)["text"] == "I have no business code, give me one"
    assert _tab(page)["tag"] == "input"  # the optional name
    page.keyboard.press("Enter")  # Enter in a field starts, as the Start button would

    _wait_focus_on_heading(page, "Before you start")
    focus = _tab(page)
    while focus["type"] != "checkbox":  # the notice has no links: the box is next
        focus = _tab(page)
    page.keyboard.press("Space")
    page.wait_for_selector(".eakit-consent-continue:not([disabled])")  # the kernel agrees
    assert _tab(page)["text"] == "Continue"
    page.keyboard.press("Enter")

    _wait_focus_on_heading(page, "Your answers")
    answered = 0
    for index in range(AREAS):
        focus = _tab(page)
        assert "eakit-area-toggle" in focus["cls"] and focus["expanded"] == "false"
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.activeElement.getAttribute('aria-expanded') === 'true'"
        )
        questions = open_area(page, index).locator(".eakit-question")
        seen = set()
        for _ in range(questions.count()):
            focus = _tab(page)  # one stop per question: its first option
            assert focus["type"] == "radio" and focus["question"] not in seen
            seen.add(focus["question"])
            page.keyboard.press("ArrowDown")  # moves to the second option and chooses it
            assert _focused(page)["checked"]
            answered += 1
            note = _tab(page)  # the question's optional note and link, closed: one stop
            assert note["tag"] == "summary" and note["question"] == focus["question"]
    assert answered == QUESTIONS
    page.wait_for_selector(f"text={QUESTIONS} of {QUESTIONS} questions answered")
    assert _tab(page)["text"] == "Submit my answers"
    page.keyboard.press("Enter")

    _wait_focus_on_heading(page, "Your result")
    assert "Overall: Proactive (level 2 of 4)" in page.inner_text(".eakit-result-summary")
    with Store.open(database) as store:
        assert set(store.history("keys-1")[0].answers.values()) == {"b"}
    page.context.close()


def test_gaps_open_their_areas_and_take_focus(assessment, browser):
    """After Submit with questions left, are their areas open, is the first of them focused
    and marked, and is the message beside the button?"""
    page = _page(browser, PHONE)
    open_form(page, assessment.url)
    enter(page, WORKSHOP, "gaps-1")
    agree(page)
    assert answer(page, 0, limit=5) == 5  # area 1 (4 questions) and the first of area 2
    page.wait_for_selector("text=Saved (5 answers so far)")
    page.evaluate(
        "() => document.querySelectorAll('.eakit-area-toggle[aria-expanded=true]')"
        ".forEach(b => b.click())"
    )  # close them all again
    page.click(".eakit-submit")
    page.wait_for_selector("text=31 questions still need an answer")
    page.wait_for_function("() => document.activeElement.closest('.eakit-missing')")
    focus = _focused(page)
    assert focus["type"] == "radio"
    assert (
        page.locator(".eakit-area")
        .nth(1)
        .locator(".eakit-question")
        .nth(1)
        .get_attribute("data-question")
        == focus["question"]
    )  # the first unanswered one
    expanded = page.locator(".eakit-area-toggle[aria-expanded=true]").count()
    assert expanded == AREAS - 1  # every area but the first, which is complete
    message = page.locator(".eakit-message").bounding_box()
    button = page.locator(".eakit-submit").bounding_box()
    assert 0 <= button["y"] - (message["y"] + message["height"]) < 60  # right above Submit
    screenshot(page, ARTIFACTS / "phone" / "gaps.png")
    page.context.close()


STEP_SHOTS = ("1-entry", "2-consent", "3-questions", "4-result")


def _check_phone_step(page, name: str) -> None:
    """At 390 px: no serious axe finding, nothing wider than the screen, text of 16 px or
    more, and every control at least 44 px tall."""
    assert axe_violations(page) == [], name
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.eakit-assessment p, .eakit-assessment li, .eakit-assessment label, '
        + '.eakit-assessment legend, .eakit-assessment td, .eakit-assessment button')]
        .filter(e => e.offsetParent && e.innerText.trim())
        .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
        .map(e => e.innerText.slice(0, 40) + ' ' + getComputedStyle(e).fontSize)""")
    assert small == [], name
    tiny = page.evaluate("""() => [...document.querySelectorAll(
        '.eakit-assessment button, .eakit-assessment input[type=text], .eakit-option, '
        + '.eakit-assessment .widget-checkbox label')]
        .filter(e => e.offsetParent)
        .filter(e => e.getBoundingClientRect().height < 44)
        .map(e => (e.innerText || e.className).slice(0, 40))""")
    assert tiny == [], name
    screenshot(page, ARTIFACTS / "phone" / f"{name}.png")


def test_every_step_on_a_phone(assessment, browser):
    """Entry, notice, questions (an area open) and result on a 390x844 phone, checked with
    axe-core and for readable text and large enough targets; is the result headings and
    lists with three first steps on top, the business code and what happens next?"""
    page = _page(browser, PHONE)
    open_form(page, assessment.url)
    _check_phone_step(page, STEP_SHOTS[0])
    enter(page, WORKSHOP, "phone-1")
    page.wait_for_selector(".eakit-consent")
    _check_phone_step(page, STEP_SHOTS[1])
    agree(page)
    open_area(page, 0)
    _check_phone_step(page, STEP_SHOTS[2])
    answer(page, 1)
    submit(page)
    page.wait_for_selector(".eakit-chart-image svg")
    _check_phone_step(page, STEP_SHOTS[3])
    summary = page.locator(".eakit-result-summary")
    assert summary.locator("h2").inner_text() == "Your result"
    assert summary.locator("h3").all_inner_texts()[:2] == [
        "Your first three steps",
        "What happens next",
    ]
    assert summary.locator("ol.eakit-first-steps > li").count() == 3
    assert "business code phone-1" in summary.inner_text()
    chart = page.locator(".eakit-chart-image")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-label").startswith("Overall Proactive (level 2)")
    assert "dashed line marks your overall level" in page.inner_text(".eakit-chart-caption")
    box = chart.locator("svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # nothing clipped
    assert page.locator(".eakit-levels tbody tr").count() == AREAS
    page.context.close()


def test_dashboard_on_a_projector(dashboard, database, browser):
    """At 1920x1080: the full width at a readable size, the join panel (link, QR code,
    workshop code), started / in progress / submitted, the batch command above the fold,
    and no serious axe finding."""
    with Store.open(database) as store:
        for number in range(6):
            answers = dict.fromkeys(store.definitions.questions, "c")
            store.submit(WORKSHOP, f"proj-{number}", answers, f"proj-{number}")
        store.save_draft(WORKSHOP, "proj-draft", {next(iter(store.definitions.questions)): "a"})
    page = _page(browser, PROJECTOR)
    page.goto(dashboard.url)
    page.wait_for_selector(".eakit-dash >> text=Areas by level")
    assert page.title() == f"Workshop {WORKSHOP}: dashboard"
    dash = page.locator(".eakit-dash").bounding_box()
    assert dash["width"] >= 0.9 * PROJECTOR["width"]
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.eakit-dash td')).fontSize)"
    )
    assert size >= 18
    join = page.locator(".eakit-dash .join")
    assert "http://10.1.2.3:8866/" in join.inner_text() and WORKSHOP in join.inner_text()
    assert join.locator("svg.join-qr").bounding_box()["width"] >= 160
    stats = page.inner_text(".eakit-dash .stats")
    for figure in ("started", "in progress", "submitted"):
        assert figure in stats
    assert "last submission at" in page.inner_text(".eakit-dash")
    screenshot(page, ARTIFACTS / "projector" / "dashboard.png")
    command = page.locator(".eakit-dash code")
    assert f"--database {database}" in command.inner_text()
    box = command.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"], "the command is below the fold"
    assert axe_violations(page) == []
    page.context.close()


def test_dashboard_login_page_is_accessible(dashboard, browser):
    """Without the token: our own page, named after the workshop, with no serious finding."""
    page = _page(browser, PHONE)
    page.goto(dashboard.base)
    assert page.title() == f"Workshop {WORKSHOP}: dashboard"
    assert page.locator("label[for=password]").inner_text() == "Secret code"
    assert axe_violations(page) == []
    page.context.close()
