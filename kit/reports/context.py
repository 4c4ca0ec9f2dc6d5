"""What a business report says, as plain data: levels, ladder, reasons, plan, progress.

Everything is computed from stored records (submissions, targets, reviews), so the report
notebook, the batch's no-kernel floor and the tests build the very same report; the layout lives
in the templates. A business answered by several respondents is placed on their combined answers
(``kit.core.respondents``); the report says how many it rests on and lists the questions where
they differ widely, never who answered what. An assessment is one workshop's round: the newest
submission of each respondent there. The comparison with the cohort follows the dashboard's
rule: no median is shown for a group smaller than ``MIN_GROUP``, so nobody can work out another
business's answers from it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from kit.core.cohort_stats import MIN_GROUP, business_placements
from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions, Recommendation
from kit.core.explain import dimension_status, humans_decide, level_name, overall_sentence
from kit.core.language import SOURCE, current_language
from kit.core.messages import say
from kit.core.records import ReviewRecord, SubmissionRecord
from kit.core.respondents import BusinessPlacement, combine_answers, place_business
from kit.core.scoring import CountedAnswer, DimensionResult, Placement, Step
from kit.core.targets import target_gaps
from kit.core.translations import localize
from kit.core.versions import answers_now, incomparable_areas

DETAILED_STEPS = 3  # the plan spells out this many areas in full, and lists the rest
ROUNDS_SHOWN = 4  # progress towards the targets: this many assessments, the newest last
LINK_SCHEMES = ("http", "https")  # any other link is shown as text, never as a link


@dataclass(frozen=True)
class Rung:
    """One level of the four-level ladder, marked where the business stands."""

    number: int
    label: str
    summary: str
    here: bool


@dataclass(frozen=True)
class AreaRow:
    dimension_id: str
    name: str
    status: str
    level: int | None
    score: float | None
    cohort_median: float | None
    target: int | None = None
    target_label: str = ""
    gap: int | None = None  # levels still to climb to the target; 0 at or above it


@dataclass(frozen=True)
class Reason:
    """Why one area sits where it does: the answers that hold it back."""

    name: str
    status: str
    capped_by_weakest: bool
    held_back_by: list[CountedAnswer]


@dataclass(frozen=True)
class PlanItem:
    """One area's move to its next level: the answers to raise and the suggested actions."""

    priority: int
    name: str
    from_label: str
    to_label: str
    start_here: bool
    detailed: bool
    steps: list[Step]
    recommendations: list[Recommendation]
    target_label: str = ""
    gap: int | None = None


@dataclass(frozen=True)
class AreaChange:
    name: str
    before: str
    after: str
    direction: str  # "up", "down" or "same"


@dataclass(frozen=True)
class Progress:
    """How the business moved since its previous assessment (any workshop)."""

    previous_date: datetime
    previous_workshop: str
    before: str
    after: str
    changes: list[AreaChange]
    not_comparable: str = ""  # which areas changed too much between questionnaire versions

    @property
    def moved(self) -> list[AreaChange]:
        return [c for c in self.changes if c.direction != "same"]


@dataclass(frozen=True)
class TargetRound:
    """One assessment measured against today's targets: the level in each targeted area."""

    date: datetime
    workshop: str
    levels: list[str]
    to_go: int  # levels still to climb, summed over the targeted areas placed then
    current: bool


@dataclass(frozen=True)
class TargetProgress:
    """The targeted areas (name, target label) and the assessments measured against them."""

    areas: list[tuple[str, str]]
    rounds: list[TargetRound]


@dataclass(frozen=True)
class Disagreement:
    """A question whose respondents' answers lie two levels or more apart: who said what is
    never part of it."""

    question: str
    area: str
    counted: str  # the answer the placement counts (the lower median)


@dataclass(frozen=True)
class Evidence:
    """A note and a link someone gave with an answer; ``linked`` only for an http(s) link."""

    note: str
    link: str
    linked: bool


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    question: str
    answer: str
    evidence: list[Evidence]


@dataclass(frozen=True)
class AnswerGroup:
    name: str
    rows: list[AnswerRow]


@dataclass(frozen=True)
class ReviewState:
    """The facilitator's sign-off of the submissions the report rests on."""

    reviews: list[ReviewRecord]  # newest first
    unreviewed: int  # submissions used that no one has reviewed yet

    @property
    def reviewed(self) -> bool:
        return bool(self.reviews) and not self.unreviewed


@dataclass(frozen=True)
class BusinessReport:
    """Everything one business's report shows, in reading order."""

    business_id: str
    name: str
    workshop: str
    assessed_at: datetime
    generated_at: datetime
    answers: dict[str, str]
    placement: Placement
    summary: str
    ladder: list[Rung]
    areas: list[AreaRow]
    reasons: list[Reason]
    plan: list[PlanItem]
    progress: Progress | None
    cohort_size: int
    answered_version: str
    respondents: int = 1
    targets: dict[str, int] = field(default_factory=dict)
    at_target: list[str] = field(default_factory=list)
    target_progress: TargetProgress | None = None
    disagreements: list[Disagreement] = field(default_factory=list)
    answer_groups: list[AnswerGroup] = field(default_factory=list)
    review: ReviewState = ReviewState([], 1)
    humans_decide: str = ""  # in the report's language (build_business_report)
    language: str = SOURCE

    @property
    def medians(self) -> dict[str, float]:
        return {
            area.dimension_id: area.cohort_median
            for area in self.areas
            if area.cohort_median is not None
        }

    @property
    def comparison_shown(self) -> bool:
        return bool(self.medians)

    @property
    def targets_shown(self) -> bool:
        return bool(self.targets)

    @property
    def level_label(self) -> str:
        return level_name(self.placement, self.placement.overall_level)


def cohort_medians(placements: Sequence[Placement], minimum: int = MIN_GROUP) -> dict[str, float]:
    """Median level per area over the businesses placed in it, for groups of ``minimum`` or
    more only (a smaller group would let a business work out its neighbours' levels)."""
    if len(placements) < minimum:
        return {}
    levels: dict[str, list[int]] = {}
    for placement in placements:
        for result in placement.dimensions:
            if result.level is not None:
                levels.setdefault(result.dimension_id, []).append(result.level)
    return {
        dim: float(statistics.median(values))
        for dim, values in levels.items()
        if len(values) >= minimum
    }


@dataclass(frozen=True)
class CohortView:
    """What a report needs from its workshop: how many businesses took part and the median
    level per area (only for groups of ``MIN_GROUP`` or more). A batch works it out once for
    all its reports instead of scoring the whole workshop again for each business."""

    size: int
    medians: dict[str, float]

    @classmethod
    def of(cls, definitions: Definitions, cohort: Sequence[SubmissionRecord]) -> CohortView:
        """From the newest submission of each respondent (one or more per business)."""
        placed = business_placements(definitions, cohort)
        return cls(len(placed), cohort_medians([p.placement for p in placed.values()]))


def _ladder(definitions: Definitions, level: int | None) -> list[Rung]:
    return [
        Rung(lvl.number, lvl.label, lvl.plain_summary, lvl.number == level)
        for lvl in definitions.model.levels
    ]


def _areas(
    placement: Placement, medians: dict[str, float], targets: Mapping[str, int]
) -> list[AreaRow]:
    gaps = target_gaps(placement, targets)
    return [
        AreaRow(
            d.dimension_id,
            d.name,
            dimension_status(placement, d),
            d.level,
            round(float(d.score), 2) if d.score is not None else None,
            medians.get(d.dimension_id),
            targets.get(d.dimension_id),
            level_name(placement, targets.get(d.dimension_id)) if d.dimension_id in targets else "",
            gaps.get(d.dimension_id),
        )
        for d in placement.dimensions
    ]


def _below_top(placement: Placement, gaps: Mapping[str, int]) -> list[DimensionResult]:
    """Placed areas that can still rise, in the order to work on them: with targets, the
    furthest from its target first (an area at or above its target is left out), then the
    areas without a target; otherwise (and among equals) the focus areas first, then weakest
    first."""
    focus = [placement.dimension(dim) for dim in placement.focus]
    others = sorted(
        (d for d in placement.dimensions if d.below_top and d not in focus),
        key=lambda d: (d.level, d.score),
    )
    by_default = focus + others
    aimed = sorted(
        (d for d in by_default if gaps.get(d.dimension_id)), key=lambda d: -gaps[d.dimension_id]
    )  # stable: ties keep the default order
    return aimed + [d for d in by_default if d.dimension_id not in gaps]


def _reasons(placement: Placement, areas: list[DimensionResult]) -> list[Reason]:
    return [
        Reason(d.name, dimension_status(placement, d), d.capped_by_weakest, d.held_back_by)
        for d in areas
    ]


def _starting_points(
    placement: Placement, areas: list[DimensionResult], gaps: Mapping[str, int]
) -> set[str]:
    """The areas marked "start here" (among those the plan spells out): the furthest from
    their targets, else the focus."""
    widest = max((gaps.get(d.dimension_id, 0) for d in areas), default=0)
    if widest:
        return {d.dimension_id for d in areas if gaps.get(d.dimension_id) == widest}
    return set(placement.focus)


def _plan(
    placement: Placement, areas: list[DimensionResult], detailed: int, targets: Mapping[str, int]
) -> list[PlanItem]:
    gaps = target_gaps(placement, targets)
    start = _starting_points(placement, areas, gaps)
    return [
        PlanItem(
            priority,
            d.name,
            level_name(placement, d.level),
            level_name(placement, d.next_level),
            d.dimension_id in start and priority <= detailed,
            priority <= detailed,
            d.steps_to_next,
            d.recommendations,
            level_name(placement, targets[d.dimension_id]) if d.dimension_id in targets else "",
            gaps.get(d.dimension_id),
        )
        for priority, d in enumerate(areas, start=1)
    ]


def _direction(before: int | None, after: int | None) -> str:
    if before is None or after is None or before == after:
        return "same"
    return "up" if after > before else "down"


def _when(record: SubmissionRecord) -> tuple[datetime, int]:
    return record.submitted_at, record.id


@dataclass(frozen=True)
class _Round:
    """One assessment: a workshop's newest submission per respondent, placed together."""

    workshop: str
    date: datetime  # when its newest submission came in
    placed: BusinessPlacement


def _rounds(
    definitions: Definitions, current: SubmissionRecord, history: Sequence[SubmissionRecord]
) -> list[_Round]:
    """The assessments up to ``current``'s, oldest first (the current one last)."""
    upto = [r for r in history if _when(r) <= _when(current)]
    by_workshop: dict[str, list[SubmissionRecord]] = {}
    for record in sorted(upto, key=_when):
        by_workshop.setdefault(record.workshop, []).append(record)
    by_workshop.pop(current.workshop, None)
    rounds = [
        _Round(workshop, max(records, key=_when).submitted_at, place_business(definitions, records))
        for workshop, records in by_workshop.items()
    ]
    return sorted(rounds, key=lambda r: r.date)


def _progress(
    definitions: Definitions, rounds: list[_Round], placement: Placement
) -> Progress | None:
    if not rounds:
        return None
    previous = rounds[-1]
    before = previous.placed.placement
    areas, versions = incomparable_areas(definitions, previous.placed.submissions)
    names = [definitions.dimensions[area].name for area in areas]
    changes = [
        AreaChange(
            now.name,
            dimension_status(before, then),
            dimension_status(placement, now),
            _direction(then.level, now.level),
        )
        for then, now in zip(before.dimensions, placement.dimensions, strict=True)
        if now.dimension_id not in areas
    ]
    return Progress(
        previous.date,
        previous.workshop,
        level_name(before, before.overall_level),
        level_name(placement, placement.overall_level),
        changes,
        say("versions.not_comparable", area=", ".join(names), version=", ".join(versions))
        if names
        else "",
    )


def _target_round(
    date: datetime, workshop: str, placement: Placement, targets: Mapping[str, int], current: bool
) -> TargetRound:
    targeted = [d for d in placement.dimensions if d.dimension_id in targets]
    return TargetRound(
        date,
        workshop,
        [dimension_status(placement, d) for d in targeted],
        sum(target_gaps(placement, targets).values()),
        current,
    )


def _target_progress(
    rounds: list[_Round],
    current: SubmissionRecord,
    placement: Placement,
    targets: Mapping[str, int],
) -> TargetProgress | None:
    """Each assessment measured against today's targets (the last ``ROUNDS_SHOWN``)."""
    if not targets:
        return None
    areas = [
        (d.name, level_name(placement, targets[d.dimension_id]))
        for d in placement.dimensions
        if d.dimension_id in targets
    ]
    measured = [
        _target_round(r.date, r.workshop, r.placed.placement, targets, False) for r in rounds
    ]
    measured.append(_target_round(current.submitted_at, current.workshop, placement, targets, True))
    return TargetProgress(areas, measured[-ROUNDS_SHOWN:])


def _answer_text(definitions: Definitions, question_id: str, answer: str) -> str:
    if answer == DONT_KNOW:
        return say("questions.dont_know")
    if answer == NOT_APPLICABLE:
        return say("questions.not_applicable")
    option = definitions.questions[question_id].option(answer)
    return option.text if option else answer


def _disagreements(
    definitions: Definitions, placed: BusinessPlacement, answers: Mapping[str, str]
) -> list[Disagreement]:
    return [
        Disagreement(
            definitions.questions[qid].text,
            definitions.dimensions[definitions.questions[qid].dimension].name,
            _answer_text(definitions, qid, answers[qid]),
        )
        for qid in placed.disagreements
        if qid in answers
    ]


def _web_link(link: str) -> bool:
    """An http(s) address with a host: the only kind a report makes clickable."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.hostname)


def _evidence(submissions: Sequence[SubmissionRecord], question_id: str) -> list[Evidence]:
    """Every respondent's note on one answer (the same note once), with no name attached."""
    given = dict.fromkeys(
        (s.notes[question_id].note.strip(), s.notes[question_id].link.strip())
        for s in submissions
        if question_id in s.notes
    )
    return [Evidence(note, link, _web_link(link)) for note, link in given if note or link]


def _answer_groups(
    definitions: Definitions, answers: Mapping[str, str], submissions: Sequence[SubmissionRecord]
) -> list[AnswerGroup]:
    groups = []
    for dimension in definitions.model.dimensions:
        rows = [
            AnswerRow(
                q.id,
                q.text,
                _answer_text(definitions, q.id, answers[q.id]),
                _evidence(submissions, q.id),
            )
            for q in definitions.questions_by_dimension[dimension.id]
            if q.id in answers
        ]
        if rows:
            groups.append(AnswerGroup(dimension.name, rows))
    return groups


def _review(submissions: Sequence[SubmissionRecord]) -> ReviewState:
    reviews = sorted(
        (s.review for s in submissions if s.review is not None),
        key=lambda r: r.reviewed_at,
        reverse=True,
    )
    return ReviewState(reviews, sum(s.review is None for s in submissions))


def build_business_report(
    definitions: Definitions,
    current: SubmissionRecord,
    history: Sequence[SubmissionRecord],
    cohort: Sequence[SubmissionRecord] | CohortView,
    generated_at: datetime | None = None,
    targets: Mapping[str, int] | None = None,
) -> BusinessReport:
    """The report on ``current`` (a business's latest submission in a workshop) and the other
    respondents' newest submissions there (all in its ``history``: every submission of the
    business), compared with the ``cohort`` (the newest submission of every respondent there,
    or a ``CohortView`` of them) and with the business's current ``targets``."""
    definitions = localize(definitions, current_language())
    targets = dict(targets or {})
    same_round = [
        r
        for r in history
        if r.workshop == current.workshop and _when(r) <= _when(current) and r.id != current.id
    ]
    placed = place_business(definitions, [*same_round, current])
    placement = placed.placement
    answers = combine_answers(
        definitions, [answers_now(definitions, s) for s in placed.submissions]
    ).answers
    if not isinstance(cohort, CohortView):
        cohort = CohortView.of(definitions, cohort)
    medians = cohort.medians
    gaps = target_gaps(placement, targets)
    rising = _below_top(placement, gaps)
    detailed = rising[: max(len(placement.focus), DETAILED_STEPS)]
    rounds = _rounds(definitions, current, history)
    return BusinessReport(
        business_id=current.business_id,
        name=current.display_name or current.business_id,
        workshop=current.workshop,
        assessed_at=current.submitted_at,
        generated_at=generated_at or datetime.now(UTC),
        answers=answers,
        placement=placement,
        summary=overall_sentence(placement),
        ladder=_ladder(definitions, placement.overall_level),
        areas=_areas(placement, medians, targets),
        reasons=_reasons(placement, detailed),
        plan=_plan(placement, rising, len(detailed), targets),
        progress=_progress(definitions, rounds, placement),
        cohort_size=cohort.size,
        answered_version=current.questionnaire_version,
        respondents=placed.respondents,
        targets=targets,
        at_target=[d.name for d in placement.dimensions if gaps.get(d.dimension_id) == 0],
        target_progress=_target_progress(rounds, current, placement, targets),
        disagreements=_disagreements(definitions, placed, answers),
        answer_groups=_answer_groups(definitions, answers, placed.submissions),
        review=_review(placed.submissions),
        humans_decide=humans_decide(),
        language=current_language(),
    )
