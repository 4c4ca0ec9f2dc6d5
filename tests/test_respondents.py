"""Several respondents for one business: the lower-median rule, disagreements, targets, notes.

Every expected value below is worked out by hand from the small test definitions (options a-d
are levels 1-4; thresholds 1.75 / 2.75 / 3.75; a level sits at most one above the weakest part).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kit.core.evidence import LINK_MAX_CHARS, NOTE_MAX_CHARS, check_link, check_note, check_notes
from kit.core.records import AnswerNote, SubmissionRecord
from kit.core.respondents import check_respondent, combine_answers, place_business
from kit.core.scoring import score_valid_answers
from kit.core.targets import check_targets, target_gaps

ALPHA = ("alpha_q1", "alpha_q2", "alpha_q3", "alpha_q4")
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _all(questions, option):
    return dict.fromkeys(questions, option)


def _record(pk, respondent, answers, minutes=0, role="owner"):
    return SubmissionRecord(
        id=pk,
        workshop="w1",
        business_id="smb-1",
        display_name="",
        answers=answers,
        model_version="1.0.0",
        questionnaire_version="1.0.0",
        submitted_at=T0 + timedelta(minutes=minutes),
        submission_key=f"k{pk}",
        respondent=respondent,
        role=role,
    )


def test_three_respondents_take_the_middle_level(small_defs):
    """Levels 1, 3, 4 on one question combine to 3 (option c), and the spread of 3 is flagged."""
    combined = combine_answers(
        small_defs, [{"alpha_q1": "a"}, {"alpha_q1": "c"}, {"alpha_q1": "d"}]
    )
    assert combined.answers == {"alpha_q1": "c"}
    assert combined.respondents == 3
    assert combined.answered_by == {"alpha_q1": 3}
    assert combined.disagreements == ["alpha_q1"]


def test_two_respondents_take_the_lower_of_the_two(small_defs):
    """Levels 2 and 3 combine to 2; one level apart is not a disagreement."""
    combined = combine_answers(small_defs, [{"alpha_q2": "c"}, {"alpha_q2": "b"}])
    assert combined.answers == {"alpha_q2": "b"}
    assert combined.disagreements == []


def test_a_spread_of_two_levels_is_flagged(small_defs):
    combined = combine_answers(small_defs, [{"alpha_q3": "a"}, {"alpha_q3": "c"}])
    assert combined.answers == {"alpha_q3": "a"}
    assert combined.disagreements == ["alpha_q3"]


def test_dont_know_and_not_applicable(small_defs):
    """A "don't know" sorts just below a level-1 practice and is no stated practice for the flag;
    "not applicable" counts only when everyone who answered said so."""
    combined = combine_answers(
        small_defs,
        [
            {"alpha_q4": "dont_know", "alpha_q1": "a", "beta_q1": "not_applicable"},
            {"alpha_q4": "d", "alpha_q1": "dont_know", "beta_q1": "not_applicable"},
            {"alpha_q4": "d", "beta_q2": "b"},
        ],
    )
    assert combined.answers == {
        "alpha_q1": "dont_know",  # [don't know, a]: the lower of the two
        "alpha_q4": "d",  # [don't know, d, d]: the middle one
        "beta_q1": "not_applicable",
        "beta_q2": "b",  # one respondent answered; the others left it
    }
    assert combined.disagreements == []  # don't know is not a level anyone claimed
    assert "gamma_q1" not in combined.answers  # nobody answered it


def test_a_business_placed_on_three_respondents(small_defs):
    """alpha: 1,3,4 -> 3 on each question -> level 3; gamma: 3,4,2 -> 3 -> level 3; beta is
    not applicable; overall mean 3 -> level 3. An older submission of the first respondent is
    replaced by their newer one."""
    submissions = [
        _record(1, "r-1", _all(ALPHA, "d") | _all(("gamma_q1", "gamma_q2"), "d"), minutes=0),
        _record(2, "r-1", _all(ALPHA, "a") | _all(("gamma_q1", "gamma_q2"), "c"), minutes=5),
        _record(3, "r-2", _all(ALPHA, "c") | _all(("gamma_q1", "gamma_q2"), "d"), minutes=1),
        _record(
            4,
            "r-3",
            _all(ALPHA, "d")
            | _all(("gamma_q1", "gamma_q2"), "b")
            | _all(("beta_q1", "beta_q2"), "not_applicable"),
            minutes=2,
        ),
    ]
    result = place_business(small_defs, submissions)
    assert result.respondents == 3
    assert [s.id for s in result.submissions] == [2, 3, 4]
    assert result.placement.dimension("alpha").level == 3
    assert result.placement.dimension("gamma").level == 3
    assert result.placement.dimension("beta").status == "not_applicable"
    assert result.placement.overall_level == 3
    assert result.disagreements == [*ALPHA, "gamma_q1", "gamma_q2"]


def test_one_respondent_is_placed_as_today(small_defs):
    answers = _all(ALPHA, "b") | {"gamma_q1": "c", "gamma_q2": "x", "beta_q1": "a"}
    result = place_business(small_defs, [_record(1, "", answers)])
    assert result.placement == score_valid_answers(small_defs, answers)
    assert result.respondents == 1
    assert result.disagreements == []


def test_targets_are_checked_and_gaps_counted(small_defs):
    valid, problems = check_targets(
        small_defs, {"alpha": 4, "beta": "3", "gamma": 5, "delta": 2, "omega": None}
    )
    assert valid == {"alpha": 4, "beta": 3}
    assert len(problems) == 3
    assert "gamma" in problems[0].lower() and "5" in problems[0] and "1 to 4" in problems[0]
    assert "delta" in problems[1]
    assert "omega" in problems[2]
    valid, problems = check_targets(small_defs, {"alpha": 2.5, "gamma": True})
    assert valid == {} and len(problems) == 2

    placement = score_valid_answers(
        small_defs, _all(ALPHA, "b") | {"gamma_q1": "d", "gamma_q2": "d"}
    )  # alpha at 2, gamma at 4, beta not placed (too few answers)
    assert target_gaps(placement, {"alpha": 4, "gamma": 3, "beta": 4}) == {"alpha": 2, "gamma": 0}


def test_notes_and_links_are_checked(small_defs):
    assert check_note("x" * NOTE_MAX_CHARS) is None
    assert str(NOTE_MAX_CHARS) in check_note("x" * (NOTE_MAX_CHARS + 1))
    assert check_note("two\nlines") is None
    assert check_note("bell\x07") is not None
    assert check_link("") is None
    assert check_link("https://example.org/policy.pdf") is None
    assert check_link("HTTP://Example.org") is None
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>",
        "ftp://example.org/x",
        "https://",
        "example.org/page",
        "https://exa mple.org",
        "https://" + "a" * LINK_MAX_CHARS + ".org",
    ):
        assert check_link(bad) is not None, bad
    assert "http://" in check_link("javascript:alert(1)")

    valid, problems = check_notes(
        small_defs,
        {
            "alpha_q1": AnswerNote("We publish it", "https://example.org"),
            "alpha_q2": AnswerNote("Kept note", "javascript:alert(1)"),
            "alpha_q3": AnswerNote("y" * 501, "https://example.org/ok"),
            "alpha_q9": AnswerNote("lost"),
            "gamma_q1": {"note": "  ", "link": ""},
        },
    )
    assert valid == {
        "alpha_q1": AnswerNote("We publish it", "https://example.org"),
        "alpha_q2": AnswerNote("Kept note", ""),
        "alpha_q3": AnswerNote("", "https://example.org/ok"),
    }
    assert [p.split(":")[0] for p in problems] == [
        "Question alpha_q2",
        "Question alpha_q3",
        "There is no question alpha_q9 in this assessment.",
    ]


def test_roles_come_from_the_data(small_defs):
    assert {"owner", "staff", "partner", "adviser"} <= set(small_defs.roles)
    assert small_defs.roles["owner"].label


def test_respondent_codes_and_roles_are_checked(small_defs):
    assert check_respondent(small_defs, "", "") == []
    assert check_respondent(small_defs, "smb-1-b", "staff") == []
    (problem,) = check_respondent(small_defs, "smb-1-b", "boss")
    assert '"boss"' in problem and "owner" in problem
    (problem,) = check_respondent(small_defs, "no spaces please", "owner")
    assert "respondent code" in problem
    assert len(check_respondent(small_defs, "bad code", "")) == 2  # bad code, no role
    assert check_respondent(small_defs, "", "staff") == []
