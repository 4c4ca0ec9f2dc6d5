"""The self-assessment widget driven as a participant would: set values, click, read the screen.

Uses the small three-area definitions (tests/fixtures/definitions) so every level shown can be
worked out by hand, and a real SQLite file so closing and reopening is real too.
"""

from __future__ import annotations

import re

import pytest

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE
from kit.core.privacy import load_privacy_notice
from kit.errors import DefinitionError, StoreError
from kit.forms.assessment import AssessmentForm, self_assessment
from kit.store.database import Store


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'widget.sqlite'}"


@pytest.fixture
def store(db_url, small_defs):
    with Store.open(db_url, definitions=small_defs) as opened:
        yield opened


def open_form(store, small_defs, business_id="smb-001") -> AssessmentForm:
    return AssessmentForm(small_defs, store, workshop="w1", business_id=business_id)


def agree(form: AssessmentForm) -> None:
    form.consent.agree.value = True
    form.consent.proceed.click()


def browser_sends(widget, content: object) -> None:
    """A custom message from the browser, as the kernel's comm hands it to the widget."""
    widget._handle_msg(
        {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    )


def answer(form: AssessmentForm, answers: dict[str, str]) -> None:
    for question_id, value in answers.items():
        form.questions.choose(question_id, value)


# Hand-computed with the small model (thresholds 1.75/2.75/3.75, gate 1, don't know = 1):
# alpha b,b,c,c -> 2.5 Proactive; beta c,c -> 3.0 Strategic; gamma c,don't know -> 2.0, but the
# weakest answer (1) caps it at 2: Proactive. Overall mean (2.5+3+2)/3 = 2.5 -> Proactive.
ANSWERS = {
    "alpha_q1": "b",
    "alpha_q2": "b",
    "alpha_q3": "c",
    "alpha_q4": "c",
    "beta_q1": "c",
    "beta_q2": "c",
    "gamma_q1": "c",
    "gamma_q2": DONT_KNOW,
}


def test_entry_consent_questions_result(store, small_defs):
    """Entry -> consent -> questions -> submit: the stored row and the levels shown agree."""
    form = AssessmentForm(small_defs, store, workshop="w1")
    assert form.stage == "entry"
    form.entry.fields.fill(business_id="smb-001", display_name="Corner Bakery")
    form.entry.fields.press("start")
    assert form.stage == "consent"
    assert form.consent.proceed.disabled
    assert store.workshops() == []  # nothing is written before the participant agrees
    agree(form)
    assert form.stage == "questions"
    assert store.consent("w1", "smb-001").privacy_version == load_privacy_notice().version
    answer(form, ANSWERS)
    assert "8 of 8 questions answered" in form.questions.progress_text.value
    form.submit_button.click()
    assert form.stage == "result"
    [record] = store.history("smb-001")
    assert record.answers == ANSWERS
    assert record.display_name == "Corner Bakery"
    summary = form.result.summary.value
    assert "Overall: Proactive (level 2 of 4), with an average of 2.50" in summary
    assert "stored under the business code smb-001" in summary  # what happens next
    table = form.result.table.value
    assert "<td>Alpha area</td><td>Proactive</td>" in table
    assert "<td>Beta area</td><td>Strategic</td>" in table
    assert "<td>Gamma area</td><td>Proactive</td>" in table
    assert "Lift alpha to 3" in form.result.explanation.value
    assert "not a verdict" in form.result.explanation.value
    chart = form.result.chart.value
    assert "role='img' aria-label='Overall Proactive (level 2)" in chart and "<svg" in chart
    assert "<title id='eakit-profile-title'>Your maturity profile</title>" in chart


@pytest.mark.parametrize(
    ("business", "message"),
    [
        ("", "Please type your business code"),
        ("../../etc", "A business code is a single word without spaces or accents"),
    ],
)
def test_entry_refuses_bad_business_codes(store, small_defs, business, message):
    """A code that could not be a file name is refused before anything is stored."""
    form = AssessmentForm(small_defs, store, workshop="w1")
    form.entry.fields.fill(business_id=business)
    form.entry.fields.press("start")
    assert form.stage == "entry"
    assert message in form.entry.fields.message
    assert store.workshops() == []


def test_consent_needs_the_box_ticked_in_the_kernel(store, small_defs):
    """A forged click on Continue without the box ticked records no consent."""
    form = open_form(store, small_defs)
    form.consent.proceed.disabled = False
    form.consent.proceed.click()
    assert form.stage == "consent"
    assert store.consent("w1", "smb-001") is None


def test_close_reopen_continue(db_url, small_defs):
    """Answers autosave; a new form (the notebook reopened) restores them, skips the consent
    already given, and the submission clears the draft."""
    with Store.open(db_url, definitions=small_defs) as store:
        form = open_form(store, small_defs)
        agree(form)
        answer(form, {"alpha_q1": "b", "beta_q1": NOT_APPLICABLE})
        assert form.saved.value == "<p><small>Saved (2 answers so far).</small></p>"
    with Store.open(db_url, definitions=small_defs) as store:
        again = open_form(store, small_defs)
        assert again.stage == "questions"
        assert again.questions.area_of("alpha_q1").values == {"alpha_q1": "b"}
        assert again.questions.area_of("beta_q1").values == {"beta_q1": NOT_APPLICABLE}
        assert again.questions.answered == 2
        assert (
            "Welcome back. Your 2 earlier answers are filled in again."
            in again.questions.notice.value
        )
        answer(again, ANSWERS)
        again.submit_button.click()
        assert store.load_draft("w1", "smb-001") is None
        assert len(store.history("smb-001")) == 1


def test_forged_value_is_refused(store, small_defs):
    """A value the form never offered (smuggled in as the browser could) is neither saved nor
    submitted, and the participant is told which answer was refused."""
    form = open_form(store, small_defs)
    agree(form)
    answer(form, {"alpha_q1": "b"})
    area = form.questions.area_of("alpha_q2")
    browser_sends(area, {"event": "answers", "values": {**area.answers, "alpha_q2": "z"}})
    assert "were not kept" in form.message.value
    assert "<li>Alpha question 2?</li>" in form.message.value
    assert store.load_draft("w1", "smb-001") == {"alpha_q1": "b"}
    answer(form, {k: v for k, v in ANSWERS.items() if k != "alpha_q2"})
    assert form.submit() is None
    assert form.stage == "questions"
    assert store.history("smb-001") == []


def test_malformed_values_from_the_browser_are_refused(store, small_defs):
    """A browser that sends a number, or a question the area does not hold, stores nothing."""
    form = open_form(store, small_defs)
    agree(form)
    area = form.questions.area_of("alpha_q1")
    browser_sends(area, {"event": "answers", "values": {"alpha_q1": 3}})
    assert "were not kept" in form.message.value
    browser_sends(area, {"event": "answers", "values": {"nonsense": "a"}})
    assert "<li>nonsense</li>" in form.message.value
    browser_sends(area, {"event": "answers", "values": ["alpha_q1"]})
    browser_sends(area, ["not", "a", "message"])
    assert store.load_draft("w1", "smb-001") is None


def test_start_acts_on_the_values_sent_with_it(store, small_defs):
    """Start carries the fields' values: the form opens for the code the browser sent, even
    when its own copy of the fields is older (keystrokes still on their way); a value that is
    not text counts as empty."""
    form = AssessmentForm(small_defs, store, workshop="w1")
    form.entry.fields.fill(business_id="s")
    browser_sends(
        form.entry.fields, {"event": "start", "values": {"workshop": "w1", "business_id": 7}}
    )
    assert form.stage == "entry"
    assert "Please type your business code" in form.entry.fields.message
    browser_sends(
        form.entry.fields, {"event": "start", "values": {"workshop": "w1", "business_id": "smb-9"}}
    )
    assert (form.stage, form.business_id) == ("consent", "smb-9")


def test_not_applicable_only_where_allowed(store, small_defs):
    """Every question offers "Don't know"; "Not applicable" only where the definition allows."""
    form = open_form(store, small_defs)
    values = {
        q["id"]: [v for _, v in q["options"]]
        for area in form.questions.areas
        for q in area.questions
    }
    assert all(DONT_KNOW in v for v in values.values())
    assert [qid for qid, v in values.items() if NOT_APPLICABLE in v] == ["beta_q1", "beta_q2"]


def test_missing_answers_are_flagged(store, small_defs):
    """Submitting early says how many are left, opens every area that has one, marks them and
    sends focus to the first; nothing is stored."""
    form = open_form(store, small_defs)
    agree(form)
    answer(form, {"alpha_q1": "a", "beta_q1": "a", "beta_q2": "a"})
    form.submit_button.click()
    assert form.stage == "questions"
    assert "5 questions still need an answer" in form.message.value
    alpha, beta, gamma = form.questions.areas
    assert (alpha.expanded, beta.expanded, gamma.expanded) == (True, False, True)
    assert alpha.flagged == ["alpha_q2", "alpha_q3", "alpha_q4"]
    assert gamma.flagged == ["gamma_q1", "gamma_q2"]
    assert (alpha.focus_question, alpha.focus_request) == ("alpha_q2", 1)
    answer(form, {"gamma_q2": "a"})
    assert gamma.flagged == ["gamma_q1"]
    assert store.history("smb-001") == []


def test_double_click_stores_one_row(store, small_defs):
    """A resent submit of the same form returns the stored row instead of adding one."""
    form = open_form(store, small_defs)
    agree(form)
    answer(form, ANSWERS)
    first = form.submit()
    form.submit_button.disabled = False
    assert form.submit() == first
    assert store.submission_count() == 1


def test_reassessment_keeps_history_and_shows_it(store, small_defs):
    """A second assessment later is stored next to the first, and the result lists the first."""
    first = open_form(store, small_defs)
    agree(first)
    answer(first, dict.fromkeys(ANSWERS, "a"))
    first.submit()
    later = open_form(store, small_defs)
    assert later.stage == "questions"
    assert "You took this assessment once before" in later.questions.notice.value
    answer(later, ANSWERS)
    later.submit()
    assert len(store.history("smb-001")) == 2
    assert "Your earlier assessments" in later.result.history.value
    assert "Reactive" in later.result.history.value


def test_one_business_never_sees_another(store, small_defs):
    """A form for one business restores nothing from another business's draft or results."""
    other = open_form(store, small_defs, business_id="smb-002")
    agree(other)
    answer(other, ANSWERS)
    other.submit()
    mine = open_form(store, small_defs, business_id="smb-001")
    agree(mine)
    assert mine.questions.answers() == {}
    assert "submitted" not in mine.message.value
    answer(mine, dict.fromkeys(ANSWERS, "d"))
    mine.submit()
    assert mine.result.history.value == ""


def test_hostile_display_name_is_escaped(store, small_defs):
    """A display name with markup is stored as typed but never rendered as HTML."""
    form = AssessmentForm(small_defs, store, workshop="w1")
    form.entry.fields.fill(business_id="smb-003", display_name="<script>alert(1)</script>")
    form.entry.fields.press("start")
    agree(form)
    answer(form, ANSWERS)
    form.submit()
    assert store.history("smb-003")[0].display_name == "<script>alert(1)</script>"
    shown = "".join(w.value for w in (form.result.summary, form.result.explanation, form.message))
    assert "<script>" not in shown


def test_stable_css_classes(store, small_defs):
    """Browser tests find the parts by their eakit-* classes."""
    form = open_form(store, small_defs)
    assert "eakit-assessment" in form._dom_classes
    assert "eakit-consent-agree" in form.consent.agree._dom_classes
    assert "eakit-submit" in form.submit_button._dom_classes
    assert "eakit-areas" in form.questions.widget.children[-1]._dom_classes
    assert "eakit-progress" in form.questions.progress_text._dom_classes


def test_one_liner_uses_the_configured_store(db_url, monkeypatch, small_defs):
    """`self_assessment()` opens the store EAKIT_DATABASE_URL names."""
    monkeypatch.setenv("EAKIT_DATABASE_URL", db_url)
    form = self_assessment(workshop="w1", business_id="smb-001", definitions=small_defs)
    agree(form)
    answer(form, {"alpha_q1": "c"})
    with Store.open(db_url, definitions=small_defs) as store:
        assert store.load_draft("w1", "smb-001") == {"alpha_q1": "c"}
    form.store.close()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("  - id: retention\n", "  - id: rights\n", 1),
            "missing section(s) ['retention']",
        ),
        (
            lambda t: re.sub(r'^version: ".*"$', 'version: "one"', t, count=1, flags=re.M),
            "version: String should match pattern",
        ),
    ],
)
def test_privacy_notice_is_validated(tmp_path, edit, message):
    """A notice that no longer says how long data is kept, or has no version, is refused."""
    from kit.core.privacy import PRIVACY_FILE

    broken = tmp_path / "privacy.yaml"
    broken.write_text(edit(PRIVACY_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DefinitionError, match=re.escape(message)):
        load_privacy_notice(broken)


def test_store_failure_is_shown_in_the_form(store, small_defs, monkeypatch):
    """If the database refuses a write, the participant reads why and can try again."""
    form = open_form(store, small_defs)
    agree(form)
    answer(form, ANSWERS)

    def refuse(*_args, **_kwargs):
        raise StoreError("cannot open database sqlite:///gone.sqlite: disk I/O error")

    monkeypatch.setattr(store, "submit", refuse)
    form.submit_button.click()
    assert form.stage == "questions"
    assert "Your answers are still here: please try again" in form.message.value
    assert "disk I/O error" not in form.message.value  # for the server's log, not the owner
    assert not form.submit_button.disabled


def test_new_notice_version_asks_again(store, small_defs):
    """Consent to notice 1.0.0 does not cover a reworded 2.0.0: the form asks again."""
    agree(open_form(store, small_defs))
    reworded = load_privacy_notice().model_copy(update={"version": "2.0.0"})
    form = AssessmentForm(small_defs, store, workshop="w1", business_id="smb-001", notice=reworded)
    assert form.stage == "consent"
    agree(form)
    assert store.consent("w1", "smb-001").privacy_version == "2.0.0"


def test_promised_time_is_the_reading_time():
    """The bundled questions, reasons and answers come to 3,588 words (a one-off count of the
    words in those fields, noted here); at 200 words a minute that is 17.9, so "About 18"."""
    from kit.core.definitions import bundled_definitions
    from kit.forms.assessment import QuestionsPanel

    panel = QuestionsPanel(bundled_definitions())
    assert "About 18 minutes of reading." in panel.widget.children[1].value
