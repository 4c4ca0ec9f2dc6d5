"""Property: raising any single answer (of any one respondent) never lowers any level."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, bundled_definitions
from kit.core.respondents import combine_answers
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


def _raise_one(answers, data):
    """The answers with one counted answer raised to a higher option, or None if none can be."""
    raisable = [
        q
        for q in QUESTIONS
        if q.id in answers and answers[q.id] != NOT_APPLICABLE and _rank(answers[q.id], q) < 4
    ]
    if not raisable:
        return None
    question = data.draw(st.sampled_from(raisable))
    current = _rank(answers[question.id], question)
    higher = data.draw(st.sampled_from([o for o in question.options if o.level > current]))
    return {**answers, question.id: higher.id}


def _assert_no_level_fell(before, after):
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert (new.level or 0) >= (old.level or 0), old.name
    assert (after.overall_level or 0) >= (before.overall_level or 0)


@settings(max_examples=300, deadline=None)
@given(answers=ANSWER_SETS, data=st.data())
def test_raising_one_answer_never_lowers_a_level(answers, data):
    """Pick a counted answer, raise it to a higher option, and compare every level."""
    raised = _raise_one(answers, data)
    if raised is not None:
        _assert_no_level_fell(score_answers(DEFS, answers), score_answers(DEFS, raised))


@settings(max_examples=200, deadline=None)
@given(answer_sets=st.lists(ANSWER_SETS, min_size=1, max_size=4), data=st.data())
def test_raising_one_respondents_answer_never_lowers_a_level(answer_sets, data):
    """Several respondents, combined by the lower median: raise one answer of one of them."""
    who = data.draw(st.sampled_from(range(len(answer_sets))))
    raised = _raise_one(answer_sets[who], data)
    if raised is None:
        return
    after_sets = [*answer_sets]
    after_sets[who] = raised
    before, after = combine_answers(DEFS, answer_sets), combine_answers(DEFS, after_sets)
    for question in QUESTIONS:  # the combined answer itself never falls...
        if question.id in before.answers and before.answers[question.id] != NOT_APPLICABLE:
            old = _rank(before.answers[question.id], question)
            assert _rank(after.answers[question.id], question) >= old, question.id
    # ...so neither does any level scored from it
    _assert_no_level_fell(score_answers(DEFS, before.answers), score_answers(DEFS, after.answers))
