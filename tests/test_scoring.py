"""Hand-computed placements on the small three-area fixture (thresholds 1.75 / 2.75 / 3.75,
gate one level above the weakest part, half the questions needed, don't know counts as 1)."""

from __future__ import annotations

import pytest

from kit.core.scoring import score_answers, score_valid_answers
from kit.errors import AnswerError

LETTER = {1: "a", 2: "b", 3: "c", 4: "d"}


def answers(alpha=(), beta=(), gamma=()):
    """Answer each area's questions in order; ints are option levels, strings pass through."""
    out = {}
    for area, values in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        for number, value in enumerate(values, start=1):
            if value is not None:
                out[f"{area}_q{number}"] = LETTER.get(value, value)
    return out


# (name, answers, expected area levels, expected area scores, overall level, overall score)
CASES = [
    ("all level 1", answers([1] * 4, [1] * 2, [1] * 2), (1, 1, 1), (1, 1, 1), 1, 1.0),
    ("all level 2", answers([2] * 4, [2] * 2, [2] * 2), (2, 2, 2), (2, 2, 2), 2, 2.0),
    ("all level 3", answers([3] * 4, [3] * 2, [3] * 2), (3, 3, 3), (3, 3, 3), 3, 3.0),
    ("all level 4", answers([4] * 4, [4] * 2, [4] * 2), (4, 4, 4), (4, 4, 4), 4, 4.0),
    # don't know counts as level 1 everywhere
    (
        "all don't know",
        answers(["dont_know"] * 4, ["dont_know"] * 2, ["dont_know"] * 2),
        (1, 1, 1),
        (1, 1, 1),
        1,
        1.0,
    ),
    # (1+4+4)/3 = 3.0 reaches Strategic, but alpha is Reactive so the gate holds it at 2
    (
        "one Reactive area among Transformative ones",
        answers([1] * 4, [4] * 2, [4] * 2),
        (1, 4, 4),
        (1, 4, 4),
        2,
        3.0,
    ),
    # alpha (1+2+2+2)/4 = 1.75 exactly on the level 2 threshold
    (
        "on the Proactive threshold",
        answers([1, 2, 2, 2], [2, 2], [2, 2]),
        (2, 2, 2),
        (1.75, 2, 2),
        2,
        1.92,
    ),
    # alpha (1+1+2+2)/4 = 1.5 is below 1.75; overall (1.5+2+2)/3 = 1.83 reaches 2, gate 1+1=2
    (
        "just under the Proactive threshold",
        answers([1, 1, 2, 2], [2, 2], [2, 2]),
        (1, 2, 2),
        (1.5, 2, 2),
        2,
        1.83,
    ),
    # alpha (2+3+3+3)/4 = 2.75 on the Strategic threshold; overall (2.75+3+3)/3 = 2.92
    (
        "on the Strategic threshold",
        answers([2, 3, 3, 3], [3, 3], [3, 3]),
        (3, 3, 3),
        (2.75, 3, 3),
        3,
        2.92,
    ),
    # alpha (3+4+4+4)/4 = 3.75 on the Transformative threshold, weakest 3 allows 4
    (
        "on the Transformative threshold",
        answers([3, 4, 4, 4], [4, 4], [4, 4]),
        (4, 4, 4),
        (3.75, 4, 4),
        4,
        3.92,
    ),
    # alpha (1+4+4+4)/4 = 3.25 reaches Strategic but its weakest answer (1) caps it at 2;
    # overall (3.25+4+4)/3 = 3.75 reaches 4 but the weakest area (2) caps it at 3
    (
        "a weak answer caps its area",
        answers([1, 4, 4, 4], [4, 4], [4, 4]),
        (2, 4, 4),
        (3.25, 4, 4),
        3,
        3.75,
    ),
    # beta not applicable: overall is the mean of alpha and gamma only, (3+2)/2 = 2.5
    (
        "a whole area not applicable",
        answers([3] * 4, ["not_applicable"] * 2, [2, 2]),
        (3, None, 2),
        (3, None, 2),
        2,
        2.5,
    ),
    # one beta question not applicable: beta is placed on the other one alone
    (
        "one question not applicable",
        answers([2] * 4, ["not_applicable", 4], [2, 2]),
        (2, 4, 2),
        (2, 4, 2),
        2,
        2.67,
    ),
    # half the questions are enough: alpha 2 of 4, beta 1 of 2, gamma 1 of 2
    (
        "the fewest answers that still place",
        answers([3, 3, None, None], [3, None], [3, None]),
        (3, 3, 3),
        (3, 3, 3),
        3,
        3.0,
    ),
]


@pytest.mark.parametrize(
    ("name", "given", "levels", "scores", "overall", "overall_score"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_hand_computed_placements(small_defs, name, given, levels, scores, overall, overall_score):
    """Does each answer set land on the levels worked out by hand?"""
    placement = score_answers(small_defs, given)
    assert tuple(d.level for d in placement.dimensions) == levels
    assert (
        tuple(None if d.score is None else round(float(d.score), 2) for d in placement.dimensions)
        == scores
    )
    assert placement.overall_level == overall
    assert round(float(placement.overall_score), 2) == overall_score
    assert placement.model_version == "9.0.0"
    assert placement.questionnaire_version == "9.1.0"


def test_gate_names_the_area_that_holds_the_business_back(small_defs):
    """When the weakest area caps the overall level, is that area named?"""
    placement = score_answers(small_defs, answers([1] * 4, [4] * 2, [4] * 2))
    assert placement.capped_by == ["alpha"]
    assert placement.focus == ["alpha"]
    assert placement.overall_label == "Proactive"


def test_too_few_answers_give_no_overall_placement(small_defs):
    """One of alpha's four questions answered is below half: alpha and the whole stay unplaced."""
    placement = score_answers(small_defs, answers([4, None, None, None], [4, 4], [4, 4]))
    alpha = placement.dimension("alpha")
    assert alpha.status == "insufficient"
    assert alpha.more_answers_needed == 1
    assert placement.overall_level is None
    assert not placement.complete


def test_nothing_applies(small_defs):
    """Only beta allows 'not applicable'; with nothing else answered nothing can be placed."""
    placement = score_answers(small_defs, answers(beta=["not_applicable"] * 2))
    assert placement.dimension("beta").status == "not_applicable"
    assert placement.dimension("alpha").status == "insufficient"
    assert placement.overall_level is None


def test_steps_to_next_level_are_the_fewest_raises(small_defs):
    """alpha 1,1,2,2 (1.5) needs one more point to reach 1.75: raise the first lowest answer."""
    placement = score_answers(small_defs, answers([1, 1, 2, 2], [2, 2], [2, 2]))
    steps = placement.dimension("alpha").steps_to_next
    assert [(s.question.id, s.from_level, s.to_level) for s in steps] == [("alpha_q1", 1, 2)]
    assert steps[0].practice == "alpha practice 1 at level 2"


def test_dont_know_is_a_step_to_find_out(small_defs):
    """alpha dk,4,4,4 = 3.25 capped at 2 by the don't know; finding out at level 2 lifts it."""
    placement = score_answers(small_defs, answers(["dont_know", 4, 4, 4], [4, 4], [4, 4]))
    alpha = placement.dimension("alpha")
    assert alpha.level == 2 and alpha.capped_by_weakest
    assert [q.id for q in alpha.dont_know] == ["alpha_q1"]
    assert [(s.question.id, s.to_level, s.was_dont_know) for s in alpha.steps_to_next] == [
        ("alpha_q1", 2, True)
    ]


def test_recommendations_are_for_the_next_level(small_defs):
    """A Proactive area is offered the recommendations that lead to Strategic."""
    placement = score_answers(small_defs, answers([2] * 4, [2] * 2, [4] * 2))
    assert [r.id for r in placement.dimension("alpha").recommendations] == ["alpha_to_3"]
    assert placement.dimension("gamma").recommendations == []


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"alpha_q11": "a"}, "question 'alpha_q11': unknown question (did you mean 'alpha_q1'?)"),
        (
            {"alpha_q1": "e"},
            "question 'alpha_q1': unknown answer 'e' (allowed: a, b, c, d, dont_know)",
        ),
        (
            {"alpha_q1": "not_applicable"},
            "question 'alpha_q1': 'not applicable' is not offered for this question",
        ),
        ({"alpha_q1": 3}, "question 'alpha_q1': unknown answer 3"),
    ],
)
def test_bad_answers_are_named(small_defs, given, message):
    """Does an unknown question or answer raise an error naming the question and the reason?"""
    with pytest.raises(AnswerError) as caught:
        score_answers(small_defs, given)
    assert message in str(caught.value)


def test_valid_answers_are_kept_when_others_are_rejected(small_defs):
    """A typo in one answer must not throw away the rest."""
    given = answers([3] * 4, [3] * 2, [3] * 2) | {"gamma_q22": "a"}
    placement = score_valid_answers(small_defs, given)
    assert placement.overall_level == 3
    assert placement.rejected == [
        "question 'gamma_q22': unknown question (did you mean 'gamma_q2'?)"
    ]
