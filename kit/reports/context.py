"""What a business report says, as plain data: levels, ladder, reasons, plan, progress.

Everything is computed from stored submission records, so the report notebook, the batch's
no-kernel floor and the tests build the very same report; the layout lives in the templates.
The comparison with the cohort follows the dashboard's rule: no median is shown for a group
smaller than ``MIN_GROUP``, so nobody can work out another business's answers from it.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kit.core.cohort_stats import MIN_GROUP
from kit.core.definitions import Definitions, Recommendation
from kit.core.explain import HUMANS_DECIDE, dimension_status, level_name, overall_sentence
from kit.core.scoring import TOP_LEVEL, CountedAnswer, DimensionResult, Placement, Step
from kit.core.scoring import score_valid_answers as score

if TYPE_CHECKING:
    from kit.core.records import SubmissionRecord

DETAILED_STEPS = 3  # the plan spells out this many areas in full, and lists the rest


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

    @property
    def moved(self) -> list[AreaChange]:
        return [c for c in self.changes if c.direction != "same"]


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
    humans_decide: str = HUMANS_DECIDE

    @property
    def medians(self) -> dict[str, float]:
        return {area.dimension_id: area.cohort_median for area in self.areas
                if area.cohort_median is not None}

    @property
    def comparison_shown(self) -> bool:
        return bool(self.medians)

    @property
    def level_label(self) -> str:
        return level_name(self.placement, self.placement.overall_level)


def cohort_medians(placements: Sequence[Placement],
                   minimum: int = MIN_GROUP) -> dict[str, float]:
    """Median level per area over the businesses placed in it, for groups of ``minimum`` or
    more only (a smaller group would let a business work out its neighbours' levels)."""
    if len(placements) < minimum:
        return {}
    levels: dict[str, list[int]] = {}
    for placement in placements:
        for result in placement.dimensions:
            if result.level is not None:
                levels.setdefault(result.dimension_id, []).append(result.level)
    return {dim: float(statistics.median(values)) for dim, values in levels.items()
            if len(values) >= minimum}


@dataclass(frozen=True)
class CohortView:
    """What a report needs from its workshop: how many businesses took part and the median
    level per area (only for groups of ``MIN_GROUP`` or more). A batch works it out once for
    all its reports instead of scoring the whole workshop again for each business."""

    size: int
    medians: dict[str, float]

    @classmethod
    def of(cls, definitions: Definitions, cohort: Sequence[SubmissionRecord]) -> CohortView:
        return cls(len(cohort), cohort_medians([score(definitions, r.answers) for r in cohort]))


def _ladder(definitions: Definitions, level: int | None) -> list[Rung]:
    return [Rung(lvl.number, lvl.label, lvl.plain_summary, lvl.number == level)
            for lvl in definitions.model.levels]


def _areas(placement: Placement, medians: dict[str, float]) -> list[AreaRow]:
    return [AreaRow(d.dimension_id, d.name, dimension_status(placement, d), d.level,
                    round(float(d.score), 2) if d.score is not None else None,
                    medians.get(d.dimension_id))
            for d in placement.dimensions]


def _below_top(placement: Placement) -> list[DimensionResult]:
    """Placed areas that can still rise, the focus areas first, then weakest first."""
    focus = [placement.dimension(dim) for dim in placement.focus]
    others = sorted((d for d in placement.dimensions
                     if d.below_top and d not in focus),
                    key=lambda d: (d.level, d.score))
    return focus + others


def _reasons(placement: Placement, areas: list[DimensionResult]) -> list[Reason]:
    return [Reason(d.name, dimension_status(placement, d), d.capped_by_weakest, d.held_back_by)
            for d in areas]


def _plan(placement: Placement, areas: list[DimensionResult], detailed: int) -> list[PlanItem]:
    focus = set(placement.focus)
    return [PlanItem(priority, d.name, level_name(placement, d.level),
                     level_name(placement, d.next_level), d.dimension_id in focus,
                     priority <= detailed, d.steps_to_next, d.recommendations)
            for priority, d in enumerate(areas, start=1)]


def _direction(before: int | None, after: int | None) -> str:
    if before is None or after is None or before == after:
        return "same"
    return "up" if after > before else "down"


def _progress(definitions: Definitions, current: SubmissionRecord, placement: Placement,
              history: Sequence[SubmissionRecord]) -> Progress | None:
    earlier = [r for r in history if r.id != current.id and
               (r.submitted_at, r.id) < (current.submitted_at, current.id)]
    if not earlier:
        return None
    previous = earlier[-1]
    before = score(definitions, previous.answers)
    changes = [AreaChange(now.name, dimension_status(before, then),
                          dimension_status(placement, now), _direction(then.level, now.level))
               for then, now in zip(before.dimensions, placement.dimensions, strict=True)]
    return Progress(previous.submitted_at, previous.workshop,
                    level_name(before, before.overall_level),
                    level_name(placement, placement.overall_level), changes)


def build_business_report(definitions: Definitions, current: SubmissionRecord,
                          history: Sequence[SubmissionRecord],
                          cohort: Sequence[SubmissionRecord] | CohortView,
                          generated_at: datetime | None = None) -> BusinessReport:
    """The report on ``current`` (a business's latest submission in a workshop), compared with
    the ``cohort`` (the latest submission of every business there, or a ``CohortView`` of
    them) and its own ``history``."""
    placement = score(definitions, current.answers)
    if not isinstance(cohort, CohortView):
        cohort = CohortView.of(definitions, cohort)
    medians = cohort.medians
    rising = _below_top(placement)
    detailed = rising[:max(len(placement.focus), DETAILED_STEPS)]
    return BusinessReport(
        business_id=current.business_id,
        name=current.display_name or current.business_id,
        workshop=current.workshop,
        assessed_at=current.submitted_at,
        generated_at=generated_at or datetime.now(UTC),
        answers=dict(current.answers),
        placement=placement,
        summary=overall_sentence(placement),
        ladder=_ladder(definitions, placement.overall_level),
        areas=_areas(placement, medians),
        reasons=_reasons(placement, detailed),
        plan=_plan(placement, rising, len(detailed)),
        progress=_progress(definitions, current, placement, history),
        cohort_size=cohort.size,
        answered_version=current.questionnaire_version,
    )
