"""Two people answer for one business in the Voila app, each under their own code and role.

The owner adds a note with markup in it and a link (a `javascript:` one first, refused at its
question, then a web address), submits and sets a target; a member of staff then joins the same
business in another browser, starts from an empty draft of their own, and submits. The store
holds both submissions, the note exactly as typed, the target; the markup never ran. Real
`eakit serve`, Debian's Chromium, axe-core on the note with its message showing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kit.core.records import AnswerNote
from kit.store.database import Store
from tests.apps_support import (
    AXE,
    agree,
    answer,
    axe_violations,
    open_area,
    open_form,
    start_app,
    submit,
)
from tests.conftest import require_system_tool

pytestmark = pytest.mark.slow

WORKSHOP = "team-test"
BUSINESS = "team-1"
QUESTIONS = 36
HOSTILE = '<img src=x onerror="window.pwned = 1"> Checked by the accountant'


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("team")


@pytest.fixture(scope="module")
def database(workdir) -> str:
    return f"sqlite:///{workdir / 'team.sqlite'}"


@pytest.fixture(scope="module")
def assessment(workdir, database):
    server = start_app("assessment", WORKSHOP, database, workdir, "--preheat", "2")
    yield server
    server.stop()


def _page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    return context.new_page()


def _enter_as(page, respondent: str, role: str) -> None:
    page.fill(".eakit-workshop input", WORKSHOP)
    page.fill(".eakit-business-id input", BUSINESS)
    page.fill(".eakit-respondent input", respondent)
    page.select_option(".eakit-role select", role)
    page.click(".eakit-start")


def test_two_respondents_answer_one_business(assessment, database, browser):
    require_system_tool(str(AXE), "axe-core checks the note; `npm ci --prefix tests` installs it")
    owner = _page(browser)
    open_form(owner, assessment.url)
    _enter_as(owner, "team-1-anna", "owner")
    agree(owner)
    assert answer(owner, 1) == QUESTIONS
    first = open_area(owner, 0).locator(".eakit-question").first
    question = first.get_attribute("data-question")
    first.locator(".eakit-evidence summary").click()
    first.locator(".eakit-note").fill(HOSTILE)
    first.locator(".eakit-link").fill("javascript:alert(1)")
    first.locator(".eakit-link").press("Tab")  # leaving the field sends it
    problem = first.locator(".eakit-note-problem")
    problem.wait_for(state="visible")
    assert "must start with http:// or https://" in problem.inner_text()
    assert axe_violations(owner) == []
    first.locator(".eakit-link").fill("https://example.org/plan")
    first.locator(".eakit-link").press("Tab")
    problem.wait_for(state="hidden")
    submit(owner)
    assert "So far 1 person has submitted" in owner.inner_text(".eakit-team-note")
    target = owner.locator(".eakit-target select").first
    target.select_option("3")
    owner.click(".eakit-save-targets")
    owner.wait_for_selector(".eakit-targets-message >> text=Saved.")
    assert owner.evaluate("() => window.pwned") is None
    owner.context.close()

    staff = _page(browser)
    open_form(staff, assessment.url)
    _enter_as(staff, "team-1-ben", "staff")
    agree(staff)  # the business agreed, but each person reads the notice for themselves
    assert "0 of 36 questions answered" in staff.inner_text(".eakit-progress")  # own draft
    assert answer(staff, 2) == QUESTIONS
    submit(staff)
    assert "So far 2 people have submitted" in staff.inner_text(".eakit-team-note")
    staff.context.close()

    with Store.open(database) as store:
        records = store.history(BUSINESS)
        first_area_id = next(iter(store.definitions.dimensions))
        assert store.targets(BUSINESS) == {first_area_id: 3}
        expected = {qid: "b" for qid in store.definitions.questions}
    assert [(r.respondent, r.role) for r in records] == [
        ("team-1-anna", "owner"),
        ("team-1-ben", "staff"),
    ]
    assert records[0].answers == expected
    assert set(records[1].answers.values()) == {"c"}
    assert records[0].notes == {question: AnswerNote(HOSTILE, "https://example.org/plan")}
    assert records[1].notes == {}


def _draft_note(database: str, respondent: str, question: str) -> str:
    with Store.open(database) as store:
        notes = store.load_draft_notes(WORKSHOP, BUSINESS, respondent=respondent)
    return notes[question].note if question in notes else ""


def test_a_note_is_kept_without_leaving_its_box(assessment, database, browser):
    """A participant types a note and never leaves the box (then closes the tab): is the
    note in their draft anyway, and back in the box when they return with the same code?"""
    typed = "Asked the team on Monday; two of them use the chatbot"
    page = _page(browser)
    open_form(page, assessment.url)
    _enter_as(page, "team-1-carl", "staff")
    agree(page)
    first = open_area(page, 0).locator(".eakit-question").first
    question = first.get_attribute("data-question")
    first.locator(".eakit-evidence summary").click()
    first.locator(".eakit-note").press_sequentially(typed)
    deadline = time.monotonic() + 20
    while _draft_note(database, "team-1-carl", question) != typed:
        assert time.monotonic() < deadline, "the note never reached the draft"
        time.sleep(0.25)
    page.context.close()

    again = _page(browser)
    open_form(again, assessment.url)
    _enter_as(again, "team-1-carl", "staff")
    again.wait_for_selector(".eakit-questions")  # agreed already: straight to the draft
    box = open_area(again, 0).locator(".eakit-question").first.locator(".eakit-note")
    assert box.input_value() == typed
    again.context.close()
