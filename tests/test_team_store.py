"""Several respondents, notes, targets and reviews in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from kit.core.records import AnswerNote
from kit.core.respondents import place_business
from kit.errors import AnswerError, StoreError
from kit.store.database import Store
from tests.postgres import BACKENDS, postgres_server, url_for_backend  # noqa: F401

ALPHA = ("alpha_q1", "alpha_q2", "alpha_q3", "alpha_q4")
GAMMA = ("gamma_q1", "gamma_q2")
BETA = ("beta_q1", "beta_q2")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path, small_defs):
    with Store.open(url_for_backend(request, tmp_path), definitions=small_defs) as opened:
        yield opened


def _answers(option, questions=ALPHA + GAMMA):
    return dict.fromkeys(questions, option)


def test_respondents_keep_their_own_drafts_and_are_combined(store, small_defs):
    """Three people answer one business; drafts stay apart and the newest of each combines
    by the lower median: alpha 1,3,4 -> 3 and gamma 2,3,4 -> 3; beta is not applicable (the
    only one to answer it said so), so level 3 overall."""
    store.join_respondent("w1", "smb-1", "smb-1-a", "owner")
    store.join_respondent("w1", "smb-1", "smb-1-b", "staff")
    store.save_draft("w1", "smb-1", {"alpha_q1": "a"}, respondent="smb-1-a")
    store.save_draft("w1", "smb-1", {"alpha_q1": "d"}, respondent="smb-1-b")
    assert store.load_draft("w1", "smb-1", respondent="smb-1-a") == {"alpha_q1": "a"}
    assert store.load_draft("w1", "smb-1", respondent="smb-1-b") == {"alpha_q1": "d"}
    assert store.load_draft("w1", "smb-1") is None
    store.submit("w1", "smb-1", _answers("d"), "a-1", respondent="smb-1-a")
    store.submit(
        "w1", "smb-1", _answers("a", ALPHA) | _answers("c", GAMMA), "a-2", respondent="smb-1-a"
    )
    assert store.load_draft("w1", "smb-1", respondent="smb-1-a") is None
    assert store.load_draft("w1", "smb-1", respondent="smb-1-b") == {"alpha_q1": "d"}
    store.submit(
        "w1", "smb-1", _answers("c", ALPHA) | _answers("d", GAMMA), "b-1", respondent="smb-1-b"
    )
    store.submit(
        "w1",
        "smb-1",
        _answers("d", ALPHA) | _answers("b", GAMMA) | _answers("not_applicable", BETA),
        "c-1",
        respondent="smb-1-c",
        role="partner",
    )  # joins as it submits
    latest = store.latest_by_respondent("w1", "smb-1")
    assert [(r.respondent, r.role, r.submission_key) for r in latest] == [
        ("smb-1-a", "owner", "a-2"),
        ("smb-1-b", "staff", "b-1"),
        ("smb-1-c", "partner", "c-1"),
    ]
    assert [r.submission_key for r in store.history("smb-1")] == ["a-1", "a-2", "b-1", "c-1"]
    assert store.progress("w1").submitted == 1  # businesses, not respondents
    result = place_business(small_defs, store.history("smb-1"))
    assert result.respondents == 3
    assert result.placement.dimension("alpha").level == 3
    assert result.placement.dimension("gamma").level == 3
    assert result.placement.overall_level == 3
    assert list(store.latest_by_business("w1")) == ["smb-1"]


def test_bad_respondents_are_refused_and_nothing_else_is_lost(store, small_defs):
    store.submit("w1", "smb-1", _answers("b"), "k-1")
    with pytest.raises(AnswerError, match='"boss" is not one of the roles'):
        store.join_respondent("w1", "smb-1", "smb-1-a", "boss")
    with pytest.raises(AnswerError, match="choose who you are"):
        store.save_draft("w1", "smb-1", {"alpha_q1": "a"}, respondent="smb-1-a")
    with pytest.raises(AnswerError, match='"smb-1" is already the code of a business'):
        store.join_respondent("w1", "smb-1", "smb-1", "owner")
    store.join_respondent("w1", "smb-1", "smb-1-a", "owner")
    with pytest.raises(AnswerError, match='"smb-1-a" already answers for another business'):
        store.join_respondent("w1", "smb-2", "smb-1-a", "owner")
    with pytest.raises(AnswerError, match="already the code of someone answering"):
        store.ensure_business("w1", "smb-1-a")
    with pytest.raises(AnswerError, match="Business smb-1 is being answered in workshop w1"):
        store.join_respondent("w2", "smb-1", "smb-1-b", "staff")
    with pytest.raises(AnswerError, match="single word"):
        store.join_respondent("w1", "smb-1", "has spaces", "staff")
    # what was valid is all still there
    assert [r.submission_key for r in store.history("smb-1")] == ["k-1"]
    assert store.export_business("smb-1")["respondents"] == [
        {
            "respondent": "smb-1-a",
            "role": "owner",
            "workshop": "w1",
            "joined_at": store.export_business("smb-1")["respondents"][0]["joined_at"],
        }
    ]
    assert store.workshops() == ["w1"]
    # once everyone in w1 has submitted, the business can be answered again in w2
    store.submit("w1", "smb-1", _answers("c"), "a-1", respondent="smb-1-a")
    store.join_respondent("w2", "smb-1", "smb-1-b", "staff")
    store.join_respondent("w2", "smb-1", "smb-1-a", "adviser")  # moves, and changes role
    store.submit("w2", "smb-1", _answers("d"), "a-2", respondent="smb-1-a")
    assert [r.role for r in store.latest_by_respondent("w2", "smb-1")] == ["adviser"]


def test_notes_travel_with_answers_and_bad_ones_are_refused(store):
    notes = {"alpha_q1": AnswerNote("We tell customers on the website", "https://example.org/ai")}
    store.save_draft("w1", "smb-1", {"alpha_q1": "c"}, notes=notes)
    store.save_draft("w1", "smb-1", {"alpha_q1": "d"})  # notes=None keeps them
    assert store.load_draft_notes("w1", "smb-1") == notes
    with pytest.raises(AnswerError, match=r"Question alpha_q2: Only web links"):
        store.save_draft(
            "w1", "smb-1", {"alpha_q1": "d"}, notes={"alpha_q2": {"link": "javascript:alert(1)"}}
        )
    with pytest.raises(AnswerError, match=r"Question alpha_q1: This note is 501 characters"):
        store.submit("w1", "smb-1", _answers("b"), "k-1", notes={"alpha_q1": "x" * 501})
    assert store.load_draft("w1", "smb-1") == {"alpha_q1": "d"}  # the draft survived both
    assert store.history("smb-1") == []
    record = store.submit("w1", "smb-1", _answers("b"), "k-1", notes=notes)
    assert record.notes == notes
    assert store.history("smb-1")[0].notes == notes
    exported = json.loads(json.dumps(store.export_business("smb-1")))
    assert exported["submissions"][0]["notes"] == {
        "alpha_q1": {"note": "We tell customers on the website", "link": "https://example.org/ai"}
    }


def test_targets_keep_their_history(store):
    store.ensure_business("w1", "smb-1")
    assert store.set_targets("smb-1", {"alpha": 3, "gamma": "2"}) == {"alpha": 3, "gamma": 2}
    assert store.set_targets("smb-1", {"alpha": 3, "gamma": 4}) == {"alpha": 3, "gamma": 4}
    assert [(t.area, t.level) for t in store.target_history("smb-1")] == [
        ("alpha", 3),
        ("gamma", 2),
        ("gamma", 4),
    ]  # the unchanged alpha target added no row
    with pytest.raises(AnswerError) as refused:
        store.set_targets("smb-1", {"alpha": 5, "omega": 2, "beta": 4})
    assert len(refused.value.problems) == 2
    assert store.targets("smb-1") == {"alpha": 3, "gamma": 4}  # nothing half-written
    with pytest.raises(StoreError, match="no data is held on business 'smb-9'"):
        store.set_targets("smb-9", {"alpha": 2})
    assert store.targets("smb-9") == {}
    assert [t["level"] for t in store.export_business("smb-1")["targets"]] == [3, 2, 4]


def test_a_removed_target_is_gone_but_stays_in_the_history(store):
    store.ensure_business("w1", "smb-1")
    store.set_targets("smb-1", {"alpha": 3, "gamma": 2})
    assert store.clear_targets("smb-1", ["gamma", "beta"]) == {"alpha": 3}  # beta had none
    assert store.targets("smb-1") == {"alpha": 3}
    assert [(t.area, t.level) for t in store.target_history("smb-1")] == [
        ("alpha", 3),
        ("gamma", 2),
        ("gamma", None),
    ]
    assert store.set_targets("smb-1", {"gamma": 4}) == {"alpha": 3, "gamma": 4}  # set again


def test_a_review_signs_off_one_submission(store):
    first = store.submit("w1", "smb-1", _answers("b"), "k-1")
    assert first.review is None
    store.review(first.id, "Ana Ruiz", "First look")
    review = store.review(first.id, "  Ana Ruiz ", "Checked the links together")
    assert review.reviewer == "Ana Ruiz"
    (stored,) = store.history("smb-1")
    assert (stored.review.reviewer, stored.review.note) == (
        "Ana Ruiz",
        "Checked the links together",
    )
    later = store.submit("w1", "smb-1", _answers("c"), "k-2")
    assert [r.review is None for r in store.history("smb-1")] == [False, True]
    assert later.review is None
    with pytest.raises(StoreError, match="there is no submission 999"):
        store.review(999, "Ana", "x")
    with pytest.raises(StoreError, match="needs the name"):
        store.review(later.id, "  ", "x")
    with pytest.raises(StoreError, match="review note: This note is 501"):
        store.review(later.id, "Ana", "x" * 501)
    exported = store.export_business("smb-1")
    assert [r["note"] for r in exported["reviews"]] == ["First look", "Checked the links together"]
