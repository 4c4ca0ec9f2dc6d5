"""The assessment app's layer over the form, and the two app notebooks, without a browser."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import nbformat
import pytest
from sqlalchemy.exc import OperationalError

from kit.apps.assessment import WorkshopAssessment, app_page
from kit.apps.launch import assessment_app
from kit.paths import NOTEBOOKS_DIR
from kit.store.database import Store
from tests.notebook_runner import execute_notebook

APP_NOTEBOOKS = sorted((NOTEBOOKS_DIR / "apps").glob("*.ipynb"))


@pytest.fixture
def store(tmp_path, small_defs):
    with Store.open(f"sqlite:///{tmp_path / 'app.sqlite'}", definitions=small_defs) as opened:
        yield opened


@pytest.fixture
def form(store):
    return WorkshopAssessment(store.definitions, store, "w1")


def _enter(form, workshop: str, business_id: str = "smb-1") -> None:
    form.entry.fields.fill(workshop=workshop, business_id=business_id)
    form.entry.fields.press("start")


def _answer_all(form, option: str = "b") -> None:
    for question_id in form.definitions.questions:
        form.questions.choose(question_id, option)


def test_participant_types_the_workshop_code(form):
    """Is the workshop field empty, so the code on the screen has to be typed, not guessed?"""
    assert form.entry.fields.values["workshop"] == ""
    assert form.stage == "entry"


def test_another_workshop_is_refused(form, store):
    """Does a code other than the server's keep the participant out, writing nothing?"""
    _enter(form, "w2")
    assert form.stage == "entry"
    assert '"w2" is not the code of this workshop' in form.entry.fields.message
    assert store.workshops() == [] and store.display_name("smb-1") is None


def test_code_in_another_case_opens_this_workshop(form, store):
    """Does 'W1' (a phone's capital letter) open workshop w1 and record consent there?"""
    _enter(form, "W1")
    assert form.stage == "consent"
    form.consent.agree.value = True
    form.consent.proceed.click()
    assert form.stage == "questions"
    assert store.consent("w1", "smb-1") is not None


def test_new_business_code(form, store):
    """Does the button hand out an unused, easy-to-read code and say to keep it?"""
    form.entry.fields.press("new_code")
    first = form.entry.fields.values["business_id"]
    assert re.fullmatch(r"p-[a-hj-km-np-z2-9]{6}", first)
    assert f"Your business code is <b>{first}</b>" in form.entry.fields.message
    assert store.display_name(first) is None
    form.entry.fields.press("new_code")
    assert form.entry.fields.values["business_id"] != first


def test_failed_submission_keeps_the_answers(form, store, monkeypatch):
    """When the database refuses the submission, is it said, are the answers kept and can the
    participant submit again once it works?"""
    _enter(form, "w1")
    form.consent.agree.value = True
    form.consent.proceed.click()
    _answer_all(form)

    def locked(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(store, "submit", locked)
    form.submit_button.click()
    assert form.stage == "questions"
    assert "Sorry, that did not work. Your answers are still here" in form.message.value
    assert "locked" not in form.message.value  # the reason is for the server's log
    assert not form.submit_button.disabled
    assert set(form.questions.answers().values()) == {"b"}
    assert store.history("smb-1") == []

    monkeypatch.undo()
    form.submit_button.click()
    assert form.stage == "result"
    assert [record.answers for record in store.history("smb-1")] == [
        dict.fromkeys(store.definitions.questions, "b")
    ]


def test_each_stage_moves_focus_to_its_heading(form):
    """Does every new stage ask the browser to focus (and scroll to) its own heading, and is
    the browser tab named after the workshop?"""
    app_page(form)
    assert form.page.title == "Workshop w1: self-assessment"
    assert form.page.focus_request == 0  # the first screen keeps the browser's own focus
    _enter(form, "w1")
    assert (form.stage, form.page.focus_request) == ("consent", 1)
    assert form.page.focus_selector == f".{form.uid} .eakit-step-heading"
    form.consent.agree.value = True
    form.consent.proceed.click()
    _answer_all(form)
    form.submit_button.click()
    assert (form.stage, form.page.focus_request) == ("result", 3)
    assert "class='eakit-step-heading' tabindex='-1'" in form.result.summary.value


def _execute(path: Path, environ: dict[str, str]) -> nbformat.NotebookNode:
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        return execute_notebook(path, 300)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _outputs(notebook: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=lambda p: p.name)
def test_app_notebook_is_committed_stripped(path):
    """Is each app notebook committed without outputs or execution counts?"""
    notebook = nbformat.read(path, as_version=4)
    assert all(
        not cell.get("outputs") and cell.get("execution_count") is None
        for cell in notebook.cells
        if cell.cell_type == "code"
    )
    assert "widgets" not in notebook.metadata


@pytest.mark.slow
@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=lambda p: p.name)
def test_app_notebook_runs(path, tmp_path):
    """Does each app notebook run top to bottom and end in one widget, given the settings
    `eakit serve` provides?"""
    notebook = _execute(
        path,
        {"EAKIT_WORKSHOP": "nb-test", "EAKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'nb.sqlite'}"},
    )
    views = [
        out
        for out in _outputs(notebook)
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    ]
    assert len(views) == 1


def test_app_without_settings_says_so():
    """Started outside `eakit serve`, does the assessment app explain itself, not fail?"""
    shown = assessment_app({})
    assert "This page is not ready yet" in shown.value
    assert "EAKIT_WORKSHOP is not set; EAKIT_DATABASE_URL is not set" in shown.value
