"""Place a business on the maturity model from its answers: a pure function over plain data.

The algorithm (documented for humans in the README, "How scoring works"):

1. Each answered question counts at the level of the chosen option; "don't know" counts at the
   model's ``dont_know_level`` (1: a practice nobody can confirm cannot be relied on);
   "not applicable" removes the question from its dimension.
2. A dimension is placed when at least ``min_answered_share`` of its applicable questions are
   answered. Its score is the mean of its counted levels; its level is the highest level whose
   threshold the score reaches, but at most ``gate_margin`` above its weakest answer.
3. The overall score is the mean of the placed dimensions' scores; the overall level is the
   highest level whose threshold it reaches, but at most ``gate_margin`` above the weakest
   dimension. Every applicable dimension must be placed for an overall placement.

Every step is a minimum or a mean of levels, so raising any single answer never lowers any level.
This module imports neither Jupyter nor papermill: reports, widgets and the CLI all call it.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Literal

from kit.core.definitions import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Definitions,
    Question,
    Recommendation,
    ScoringRules,
)
from kit.core.messages import say
from kit.errors import AnswerError

TOP_LEVEL = 4
Status = Literal["placed", "not_applicable", "insufficient"]


@dataclass(frozen=True)
class CountedAnswer:
    """One answer that counts towards a dimension, at the level it counts as."""

    question: Question
    answer: str
    level: int

    @property
    def answer_text(self) -> str:
        if self.answer == DONT_KNOW:
            return say("questions.dont_know")
        option = self.question.option(self.answer)
        return option.text if option else self.answer


@dataclass(frozen=True)
class Step:
    """Raising one answer to a stated practice: a concrete move towards the next level."""

    question: Question
    from_level: int
    to_level: int
    was_dont_know: bool

    @property
    def practice(self) -> str:
        return self.question.option_at(self.to_level).text


@dataclass(frozen=True)
class DimensionResult:
    """One area's placement; ``score`` and ``level`` are set exactly when status is "placed"."""

    dimension_id: str
    name: str
    status: Status
    answered: int
    applicable: int
    needed: int
    score: Fraction | None = None
    level: int | None = None
    capped_by_weakest: bool = False
    held_back_by: list[CountedAnswer] = field(default_factory=list)
    dont_know: list[Question] = field(default_factory=list)
    steps_to_next: list[Step] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def more_answers_needed(self) -> int:
        return max(self.needed - self.answered, 0)

    @property
    def next_level(self) -> int | None:
        """The level to aim for: one above a placed level below the top, else None."""
        return self.level + 1 if self.level is not None and self.level < TOP_LEVEL else None

    @property
    def below_top(self) -> bool:
        """Placed, and below the top level: there is a next level to aim for."""
        return self.next_level is not None


@dataclass(frozen=True)
class Placement:
    """The result a report, widget or CLI shows: overall and per-dimension levels with reasons."""

    dimensions: list[DimensionResult]
    model_version: str
    questionnaire_version: str
    level_labels: dict[int, str]
    overall_score: Fraction | None = None
    overall_level: int | None = None
    capped_by: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.overall_level is not None

    @property
    def overall_label(self) -> str | None:
        return self.level_labels.get(self.overall_level) if self.overall_level else None

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension_id == dimension_id)


@functools.cache
def _exact(threshold: float) -> Fraction:
    """A threshold as the decimal the model file wrote (2.5, not the nearest binary float);
    a handful of values, each parsed once per process instead of for every comparison."""
    return Fraction(str(threshold))


def level_for_score(score: Fraction, rules: ScoringRules) -> int:
    """The highest level whose threshold the score reaches (level 1 needs none)."""
    reached = [lvl for lvl, minimum in rules.thresholds.items() if score >= _exact(minimum)]
    return max(reached, default=1)


def _gated_level(levels: list[int], score: Fraction, rules: ScoringRules) -> tuple[int, bool]:
    by_score = level_for_score(score, rules)
    cap = min(levels) + rules.gate_margin
    return min(by_score, cap), cap < by_score


def place_levels(levels: list[int], rules: ScoringRules) -> tuple[Fraction, int, bool]:
    """Score, level and whether the weakest part capped it, for a list of part levels."""
    score = Fraction(sum(levels), len(levels))
    level, capped = _gated_level(levels, score, rules)
    return score, level, capped


def _steps_to_next_level(
    counted: list[CountedAnswer], level: int, rules: ScoringRules
) -> list[Step]:
    """The fewest one-level raises that lift the dimension, lowest answers first.

    Every raise adds the same to the mean, and only raising the lowest answers lifts the gate,
    so raising the lowest answer first needs the fewest raises.
    """
    if level >= TOP_LEVEL:
        return []
    current = [answer.level for answer in counted]
    while place_levels(current, rules)[1] <= level:
        index = min(range(len(current)), key=lambda i: current[i])
        if current[index] >= TOP_LEVEL:
            return []
        current[index] += 1
    return [
        Step(answer.question, answer.level, new, answer.answer == DONT_KNOW)
        for answer, new in zip(counted, current, strict=True)
        if new > answer.level
    ]


Known = Definitions | Mapping[str, Question]


def _questions(known: Known) -> Mapping[str, Question]:
    """The questions of the definitions, or of an earlier questionnaire version given as such."""
    return known.questions if isinstance(known, Definitions) else known


def unknown_question_reason(known: Known, question_id: str) -> str:
    """Say a question id is unknown, suggesting the closest known id (typos are common)."""
    close = difflib.get_close_matches(str(question_id), list(_questions(known)), n=1)
    return "unknown question" + (f" (did you mean {close[0]!r}?)" if close else "")


def check_answers(known: Known, answers: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Split answers into the valid ones and a message for each invalid one (naming it)."""
    valid: dict[str, str] = {}
    problems: list[str] = []
    questions = _questions(known)
    for question_id, raw in answers.items():
        question = questions.get(question_id)
        if question is None:
            reason = unknown_question_reason(questions, question_id)
            problems.append(f"question {question_id!r}: {reason}")
            continue
        answer = raw.strip() if isinstance(raw, str) else raw
        if answer in (None, ""):
            continue
        if not isinstance(answer, str) or answer not in question.allowed_answers:
            allowed = ", ".join(question.allowed_answers)
            reason = (
                "'not applicable' is not offered for this question"
                if answer == NOT_APPLICABLE
                else f"unknown answer {raw!r}"
            )
            problems.append(f"question {question_id!r}: {reason} (allowed: {allowed})")
            continue
        valid[question_id] = answer
    return valid, problems


def _counted_level(question: Question, answer: str, rules: ScoringRules) -> int:
    if answer == DONT_KNOW:
        return rules.dont_know_level
    option = question.option(answer)
    assert option is not None, "answers are checked before scoring"
    return option.level


def _place_dimension(
    definitions: Definitions, dimension_id: str, answers: Mapping[str, str]
) -> DimensionResult:
    rules = definitions.model.scoring
    dimension = definitions.dimensions[dimension_id]
    questions = definitions.questions_by_dimension[dimension_id]
    applicable = [q for q in questions if answers.get(q.id) != NOT_APPLICABLE]
    counted = [
        CountedAnswer(q, answers[q.id], _counted_level(q, answers[q.id], rules))
        for q in applicable
        if q.id in answers
    ]
    needed = math.ceil(len(applicable) * rules.min_answered_share)
    unplaced = DimensionResult(
        dimension_id=dimension_id,
        name=dimension.name,
        status="not_applicable",
        answered=len(counted),
        applicable=len(applicable),
        needed=needed,
    )
    if not applicable:
        return unplaced
    if len(counted) < needed:
        return replace(unplaced, status="insufficient")
    score, level, capped = place_levels([a.level for a in counted], rules)
    return replace(
        unplaced,
        status="placed",
        score=score,
        level=level,
        capped_by_weakest=capped,
        held_back_by=[a for a in counted if a.level <= level and a.level < TOP_LEVEL],
        dont_know=[a.question for a in counted if a.answer == DONT_KNOW],
        steps_to_next=_steps_to_next_level(counted, level, rules),
        recommendations=definitions.recommendations_for(dimension_id, level + 1)
        if level < TOP_LEVEL
        else [],
    )


def score_answers(definitions: Definitions, answers: Mapping[str, object]) -> Placement:
    """Place a business; raises AnswerError naming every unknown question or answer."""
    valid, problems = check_answers(definitions, answers)
    if problems:
        raise AnswerError(problems)
    return _place(definitions, valid)


def score_valid_answers(definitions: Definitions, answers: Mapping[str, object]) -> Placement:
    """Place a business on its valid answers and list the rejected ones on the placement."""
    valid, problems = check_answers(definitions, answers)
    placement = _place(definitions, valid)
    return replace(placement, rejected=problems)


@dataclass(frozen=True)
class _PlacedArea:
    """A placed dimension's id, score and level, with the types a placed dimension has."""

    dimension_id: str
    score: Fraction
    level: int


def _place(definitions: Definitions, answers: Mapping[str, str]) -> Placement:
    rules = definitions.model.scoring
    results = [_place_dimension(definitions, d.id, answers) for d in definitions.model.dimensions]
    unplaced = Placement(
        dimensions=results,
        model_version=definitions.model.version,
        questionnaire_version=definitions.questionnaire.version,
        level_labels={lvl.number: lvl.label for lvl in definitions.model.levels},
    )
    placed = [
        _PlacedArea(r.dimension_id, r.score, r.level)
        for r in results
        if r.status == "placed" and r.score is not None and r.level is not None
    ]
    if not placed or any(r.status == "insufficient" for r in results):
        return unplaced
    levels = [r.level for r in placed]
    overall_score = sum((r.score for r in placed), Fraction(0)) / len(placed)
    overall_level, capped = _gated_level(levels, overall_score, rules)
    weakest = min(levels)
    capped_by = [r.dimension_id for r in placed if r.level == weakest] if capped else []
    below_next = sorted(
        (r for r in placed if r.level <= overall_level), key=lambda r: (r.level, r.score)
    )
    focus = capped_by or [r.dimension_id for r in below_next[:3]]
    return replace(
        unplaced,
        overall_score=overall_score,
        overall_level=overall_level,
        capped_by=capped_by,
        focus=focus if overall_level < TOP_LEVEL else [],
    )
