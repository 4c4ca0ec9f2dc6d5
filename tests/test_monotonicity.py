"""Property: raising any single answer never lowers any level (overall or per area)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, bundled_definitions
from kit.core.scoring import score_answers

DEFS = bundled_definitions()
QUESTIONS = DEFS.questionnaire.questions


def _answer_for(question):
    choices = [*question.allowed_answers, None]
    return st.sampled_from(choices)


ANSWER_SETS = st.tuples(*[_answer_for(q) for q in QUESTIONS]).map(
    lambda values: {q.id: v for q, v in zip(QUESTIONS, values, strict=True) if v is not None}
)


def _rank(answer: str, question) -> int:
    return 1 if answer == DONT_KNOW else question.option(answer).level


@settings(max_examples=300, deadline=None)
@given(answers=ANSWER_SETS, data=st.data())
def test_raising_one_answer_never_lowers_a_level(answers, data):
    """Pick a counted answer, raise it to a higher option, and compare every level."""
    raisable = [
        q
        for q in QUESTIONS
        if q.id in answers and answers[q.id] != NOT_APPLICABLE and _rank(answers[q.id], q) < 4
    ]
    if not raisable:
        return
    question = data.draw(st.sampled_from(raisable))
    current = _rank(answers[question.id], question)
    higher = data.draw(st.sampled_from([o for o in question.options if o.level > current]))
    before = score_answers(DEFS, answers)
    after = score_answers(DEFS, {**answers, question.id: higher.id})
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert (new.level or 0) >= (old.level or 0), (old.name, question.id)
    assert (after.overall_level or 0) >= (before.overall_level or 0)
