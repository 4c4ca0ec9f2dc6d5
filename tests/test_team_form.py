"""Several people answering for one business in the form: each with their own code, role and
draft; a note and link per answer; targets after the result; a plain message for every bad
input with nothing valid lost. Driven as the browser does (values sent with each action).

Uses the small three-area definitions (tests/fixtures/definitions) and a real SQLite file.
"""

from __future__ import annotations

from html import unescape

import pytest

from kit.core.records import AnswerNote
from kit.forms.assessment import AssessmentForm
from kit.store.database import Store
from tests.test_assessment_widget import ANSWERS  # levels worked out by hand there


@pytest.fixture
def store(tmp_path, small_defs):
    with Store.open(f"sqlite:///{tmp_path / 'team.sqlite'}", definitions=small_defs) as opened:
        yield opened


def _start(store, workshop="w1", business="smb-1", respondent="", role="") -> AssessmentForm:
    """A form, its fields typed and Start pressed (the values travel with the press)."""
    form = AssessmentForm(store.definitions, store, workshop=workshop)
    form.entry.fields.fill(
        workshop=workshop, business_id=business, respondent=respondent, role=role
    )
    form.entry.fields.press("start")
    return form


def _agree(form: AssessmentForm) -> None:
    form.consent.agree.value = True
    form.consent.proceed.click()


def _answer(form: AssessmentForm, answers: dict[str, str]) -> None:
    for question_id, value in answers.items():
        form.questions.choose(question_id, value)


def test_two_respondents_answer_one_business_with_their_own_drafts(store):
    """Does each respondent keep their own draft and submission, with their role, and does
    the result say how many have submitted for the business?"""
    anna = _start(store, respondent="anna-1", role="owner")
    _agree(anna)
    _answer(anna, {"alpha_q1": "a", "alpha_q2": "a"})
    ben = _start(store, respondent="ben-1", role="staff")
    assert ben.stage == "consent"  # the business agreed, but Ben reads the notice himself
    _agree(ben)
    assert ben.questions.answers() == {}  # Anna's draft is hers
    _answer(ben, ANSWERS)
    assert store.load_draft("w1", "smb-1", respondent="anna-1") == {
        "alpha_q1": "a",
        "alpha_q2": "a",
    }
    assert store.load_draft("w1", "smb-1", respondent="ben-1") == ANSWERS
    ben.submit()
    assert "So far 1 person has submitted for this business" in ben.result.team.value
    _answer(anna, dict(ANSWERS, alpha_q1="d"))
    anna.submit()
    assert "So far 2 people have submitted for this business" in anna.result.team.value
    records = store.history("smb-1")
    assert [(r.respondent, r.role) for r in records] == [("ben-1", "staff"), ("anna-1", "owner")]
    assert records[1].answers == dict(ANSWERS, alpha_q1="d")
    again = _start(store, respondent="anna-1", role="owner")
    assert again.stage == "questions"  # she has answered before: no notice again
    assert "You took this assessment once before" in again.questions.notice.value  # hers only


def test_one_person_works_as_before(store):
    """Left empty, the code and role change nothing: no respondent, no role, no team note."""
    form = _start(store)
    _agree(form)
    _answer(form, ANSWERS)
    record = form.submit()
    assert (record.respondent, record.role, record.notes) == ("", "", {})
    assert store.load_draft("w1", "smb-1") is None
    assert form.result.team.value == ""
    assert "Overall: Proactive (level 2 of 4)" in form.result.summary.value


@pytest.mark.parametrize(
    ("respondent", "role", "message"),
    [
        ("anna-1", "boss", '"boss" is not one of the roles on the list (owner, staff, partner'),
        ("anna-1", "", "Please choose who you are to the business (Owner or manager, Member"),
        ("", "owner", "please also type a code of your own"),
        ("anna 1", "owner", "A respondent code is a single word without spaces"),
    ],
)
def test_bad_respondent_or_role_is_refused_at_the_entry(store, respondent, role, message):
    """An unknown role (a forged list value), a role without a code or a code with a space:
    the entry stays, says why, and nothing is written."""
    form = _start(store, respondent=respondent, role=role)
    assert form.stage == "entry"
    assert message in unescape(form.entry.fields.message)
    assert store.workshops() == []


def test_respondent_code_that_is_a_business_code_is_refused(store):
    """A respondent code that is already a business's code sends the person back to the entry
    with the reason and their fields as typed; nothing is recorded for them."""
    store.ensure_business("w1", "smb-2")
    form = _start(store, respondent="smb-2", role="staff")
    _agree(form)
    assert form.stage == "entry"
    assert '"smb-2" is already the code of a business' in unescape(form.entry.fields.message)
    assert form.entry.fields.values["respondent"] == "smb-2"
    assert form.entry.fields.values["business_id"] == "smb-1"
    assert store.consent("w1", "smb-1") is None


def test_second_respondent_in_another_workshop_is_refused(store):
    """While a business is being answered in one workshop, a respondent joining it from
    another is told where it is answered; the first respondent's draft is untouched."""
    first = _start(store, respondent="anna-1", role="owner")
    _agree(first)
    _answer(first, {"alpha_q1": "b"})
    other = _start(store, workshop="w2", respondent="ben-1", role="staff")
    _agree(other)
    assert other.stage == "entry"
    assert "Business smb-1 is being answered in workshop w1" in other.entry.fields.message
    assert store.load_draft("w1", "smb-1", respondent="anna-1") == {"alpha_q1": "b"}


def test_notes_and_links_are_kept_with_the_answers(store):
    """A note and a link typed next to an answer are in the draft and in the submission;
    an empty note is no note."""
    form = _start(store)
    _agree(form)
    _answer(form, ANSWERS)
    form.questions.write_note("alpha_q1", "We review it monthly.", "https://example.org/plan")
    form.questions.write_note("beta_q1", "", "")
    expected = {"alpha_q1": AnswerNote("We review it monthly.", "https://example.org/plan")}
    assert store.load_draft_notes("w1", "smb-1") == expected
    record = form.submit()
    assert record.notes == expected
    again = _start(store)
    assert again.questions.area_of("alpha_q1").notes == {}  # submitted: the draft is gone


def test_a_draft_brings_its_notes_back(store):
    form = _start(store)
    _agree(form)
    _answer(form, {"alpha_q1": "b"})
    form.questions.write_note("alpha_q1", "Checked by Sam", "http://example.org")
    again = _start(store)
    assert again.questions.area_of("alpha_q1").notes == {
        "alpha_q1": {"note": "Checked by Sam", "link": "http://example.org"}
    }


@pytest.mark.parametrize(
    ("note", "link", "message", "kept"),
    [
        ("ok", "javascript:alert(1)", "must start with http:// or https://", AnswerNote("ok")),
        (
            "x" * 501,
            "https://example.org",
            "This note is 501 characters long. Please shorten it to 500",
            AnswerNote("", "https://example.org"),
        ),
        ("fine", "https://" + "a" * 300 + ".org", "of 300 characters or fewer", AnswerNote("fine")),
    ],
    ids=["javascript-link", "long-note", "long-link"],
)
def test_bad_note_or_link_is_named_at_its_question(store, note, link, message, kept):
    """A javascript: link, a note over 500 characters or a link over 300: the message sits at
    its question, the good half and every answer are saved, and Submit waits for a fix."""
    form = _start(store)
    _agree(form)
    _answer(form, ANSWERS)
    form.questions.write_note("alpha_q2", note, link)
    area = form.questions.area_of("alpha_q2")
    assert message in area.note_problems["alpha_q2"]
    assert store.load_draft("w1", "smb-1") == ANSWERS
    assert store.load_draft_notes("w1", "smb-1") == {"alpha_q2": kept}
    assert form.submit() is None
    assert "A note or link needs a change before you submit" in form.message.value
    assert (area.expanded, area.focus_question) == (True, "alpha_q2")
    form.questions.write_note("alpha_q2", "ok", "https://example.org")
    assert area.note_problems == {}
    assert form.submit().notes == {"alpha_q2": AnswerNote("ok", "https://example.org")}


def test_targets_after_the_result(store):
    """After the result each area can get a target; they are stored with the business, the
    gaps are said, a level outside 1-4 is refused by name while the others are kept."""
    form = _start(store)
    _agree(form)
    _answer(form, ANSWERS)
    form.submit()
    targets = form.targets.fields
    names = [item["label"] for item in targets.items if item["kind"] == "select"]
    assert names == [
        "Alpha area (now level 2, Proactive)",
        "Beta area (now level 3, Strategic)",
        "Gamma area (now level 2, Proactive)",
    ]
    targets.fill(alpha="4", beta="7", gamma="")  # 7: a value the list never offers
    targets.press("save_targets")
    assert store.targets("smb-1") == {"alpha": 4}
    assert "The target for Beta area must be a whole level from 1 to 4, not 7" in targets.message
    assert "Alpha area: 2 levels to go." in targets.message
    targets.fill(beta="3")
    targets.press("save_targets")
    assert store.targets("smb-1") == {"alpha": 4, "beta": 3}
    assert "Beta area" not in targets.message  # at its target: nothing to push
    later = _start(store)
    _answer(later, ANSWERS)
    later.submit()
    assert later.targets.fields.values == {"alpha": "4", "beta": "3", "gamma": ""}
    later.targets.fields.fill(alpha="")  # back to "No target"
    later.targets.fields.press("save_targets")
    assert store.targets("smb-1") == {"beta": 3}
    assert "Saved. Your business has a target in 1 area." in later.targets.fields.message
    later.targets.fields.fill(beta="")
    later.targets.fields.press("save_targets")
    assert store.targets("smb-1") == {}
    assert "Saved. Your business has no targets for now." in later.targets.fields.message
