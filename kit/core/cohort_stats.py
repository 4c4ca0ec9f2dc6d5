"""The cohort picture a facilitator watches during a workshop: counts, never one business.

Everything here is a pure function over stored submissions, so the dashboard app only draws what
these functions return and the tests check the numbers without a browser. Small groups are the
privacy risk in a room where people know each other: a count from 1 to ``MIN_GROUP - 1`` is
hidden, and when only one count of a distribution is hidden, the next smallest is hidden too so
the first cannot be worked out from the total.

A business answered by several respondents counts once, placed on its respondents' combined
answers (``kit.core.respondents``): the room is a count of businesses, never of people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from kit.core.definitions import Definitions
from kit.core.messages import say
from kit.core.records import SubmissionRecord, WorkshopProgress
from kit.core.respondents import BusinessPlacement, place_business
from kit.core.scoring import TOP_LEVEL, Placement
from kit.core.targets import target_gaps

MIN_GROUP = 5
TOP_GAPS = 5
NOT_PLACED = "not_placed"
NO_TARGET = "no_target"
K = TypeVar("K", bound=Hashable)


def suppress_small(counts: Mapping[K, int], minimum: int = MIN_GROUP) -> dict[K, int | None]:
    """Counts with every small group replaced by None (zero stays: it singles nobody out)."""
    shown: dict[K, int | None] = {
        key: (None if 0 < n < minimum else n) for key, n in counts.items()
    }
    hidden = [key for key, n in shown.items() if n is None]
    visible = [key for key, n in shown.items() if n]
    if len(hidden) == 1 and visible:
        shown[min(visible, key=lambda key: counts[key])] = None
    return shown


@dataclass(frozen=True)
class LevelCount:
    """One bar of the overall distribution; ``level`` None is "not placed yet"."""

    level: int | None
    label: str
    count: int | None


@dataclass(frozen=True)
class HeatmapRow:
    """One area: how many businesses sit at each level, keyed by level or ``NOT_PLACED``."""

    dimension_id: str
    name: str
    cells: dict[int | str, int | None]


@dataclass(frozen=True)
class Gap:
    """A practice that is one of the fewest raises to the next level for many businesses."""

    question_id: str
    question: str
    dimension: str
    businesses: int


@dataclass(frozen=True)
class TargetGapRow:
    """One area: businesses at or above their target there (key 0), 1, 2 or 3 levels short
    of it, and with no target or no level to measure (``NO_TARGET``), so that the row adds up
    to the room and is suppressed as a whole, like a heatmap row."""

    dimension_id: str
    name: str
    cells: dict[int | str, int | None]


@dataclass(frozen=True)
class CohortPicture:
    """What the dashboard shows for one workshop at one moment."""

    workshop: str
    started: int
    submitted: int
    minimum: int
    levels: list[LevelCount]
    heatmap: list[HeatmapRow]
    gaps: list[Gap]
    older_versions: int
    last_submitted_at: datetime | None = None
    target_gaps: list[TargetGapRow] = field(default_factory=list)

    @property
    def in_progress(self) -> int:
        """Businesses that started (a saved answer) but have not submitted yet."""
        return self.started - self.submitted

    @property
    def shown(self) -> bool:
        """Distributions appear only once enough businesses submitted to hide in a group."""
        return self.submitted >= self.minimum

    @property
    def any_hidden(self) -> bool:
        return any(item.count is None for item in self.levels) or any(
            n is None for row in self.heatmap for n in row.cells.values()
        )


def level_counts(
    definitions: Definitions, placements: Sequence[Placement], minimum: int = MIN_GROUP
) -> list[LevelCount]:
    """Businesses per overall level, then those without an overall placement."""
    tally = Counter(p.overall_level for p in placements)
    counts: dict[int | None, int] = {
        level.number: tally[level.number] for level in definitions.model.levels
    }
    counts[None] = tally[None]
    shown = suppress_small(counts, minimum)
    labels = {level.number: level.label for level in definitions.model.levels}
    return [
        LevelCount(key, say("report.not_placed") if key is None else labels[key], n)
        for key, n in shown.items()
    ]


def dimension_heatmap(
    definitions: Definitions, placements: Sequence[Placement], minimum: int = MIN_GROUP
) -> list[HeatmapRow]:
    """For each area, businesses per level (and not placed), each row suppressed on its own."""
    rows = []
    for dimension in definitions.model.dimensions:
        tally = Counter(p.dimension(dimension.id).level for p in placements)
        counts: dict[int | str, int] = {
            level.number: tally[level.number] for level in definitions.model.levels
        }
        counts[NOT_PLACED] = tally[None]
        rows.append(HeatmapRow(dimension.id, dimension.name, suppress_small(counts, minimum)))
    return rows


def common_gaps(
    definitions: Definitions,
    placements: Sequence[Placement],
    minimum: int = MIN_GROUP,
    top: int = TOP_GAPS,
) -> list[Gap]:
    """The practices most businesses would raise first, shared by at least ``minimum``."""
    tally = Counter(
        step.question.id for p in placements for d in p.dimensions for step in d.steps_to_next
    )
    order = list(definitions.questions)
    ranked = sorted(
        (qid for qid, n in tally.items() if n >= minimum),
        key=lambda qid: (-tally[qid], order.index(qid)),
    )
    return [
        Gap(
            qid,
            definitions.questions[qid].text,
            definitions.dimensions[definitions.questions[qid].dimension].name,
            tally[qid],
        )
        for qid in ranked[:top]
    ]


def business_placements(
    definitions: Definitions, submissions: Sequence[SubmissionRecord]
) -> dict[str, BusinessPlacement]:
    """Each business placed on the newest submission of each of its respondents among
    ``submissions``, by business id (in the order the businesses first appear)."""
    by_business: dict[str, list[SubmissionRecord]] = {}
    for record in submissions:
        by_business.setdefault(record.business_id, []).append(record)
    return {
        business: place_business(definitions, records) for business, records in by_business.items()
    }


def distance_from_targets(
    definitions: Definitions,
    placements: Mapping[str, Placement],
    targets: Mapping[str, Mapping[str, int]],
    minimum: int = MIN_GROUP,
) -> list[TargetGapRow]:
    """Per area, businesses by levels still to climb to their own target (0: at or above
    it; ``NO_TARGET``: no target or no level there), each row suppressed on its own."""
    rows = []
    for dimension in definitions.model.dimensions:
        tally = Counter(
            target_gaps(placement, targets.get(business, {})).get(dimension.id, NO_TARGET)
            for business, placement in placements.items()
        )
        counts: dict[int | str, int] = {gap: tally[gap] for gap in range(TOP_LEVEL)}
        counts[NO_TARGET] = tally[NO_TARGET]
        rows.append(TargetGapRow(dimension.id, dimension.name, suppress_small(counts, minimum)))
    return rows


def cohort_picture(
    definitions: Definitions,
    progress: WorkshopProgress,
    submissions: Sequence[SubmissionRecord],
    minimum: int = MIN_GROUP,
    targets: Mapping[str, Mapping[str, int]] | None = None,
) -> CohortPicture:
    """Place each business on its respondents' newest submissions (``submissions``: one or
    more per business) and aggregate, with the distance from each business's ``targets``
    (business id -> area -> level); nothing per business survives."""
    placed = {b: p.placement for b, p in business_placements(definitions, submissions).items()}
    if len(placed) < minimum:
        placed = {}
    placements = list(placed.values())
    current = definitions.questionnaire.version
    return CohortPicture(
        workshop=progress.workshop,
        started=progress.started,
        submitted=progress.submitted,
        minimum=minimum,
        levels=level_counts(definitions, placements, minimum) if placements else [],
        heatmap=dimension_heatmap(definitions, placements, minimum) if placements else [],
        gaps=common_gaps(definitions, placements, minimum),
        older_versions=sum(s.questionnaire_version != current for s in submissions),
        last_submitted_at=max((s.submitted_at for s in submissions), default=None),
        target_gaps=distance_from_targets(definitions, placed, targets or {}, minimum)
        if placed and targets
        else [],
    )


def picture_table(picture: CohortPicture) -> tuple[list[str], list[list[object]]]:
    """The room's aggregate figures as rows (what, group, businesses) for a spreadsheet: the
    same totals the dashboard shows, hidden groups written as "fewer than 5"."""

    def count(value: int | None) -> object:
        return f"fewer than {picture.minimum}" if value is None else value

    rows: list[list[object]] = [
        ["progress", "started", picture.started],
        ["progress", "in progress", picture.in_progress],
        ["progress", "submitted", picture.submitted],
    ]
    for item in picture.levels:
        name = f"{item.level} {item.label}" if item.level else item.label
        rows.append(["overall level", name, count(item.count)])
    for row in picture.heatmap:
        for column, value in row.cells.items():
            group = "not placed" if column == NOT_PLACED else f"level {column}"
            rows.append([f"area: {row.name}", group, count(value)])
    for gap in picture.gaps:
        rows.append([f"common gap: {gap.dimension}", gap.question, gap.businesses])
    for target_row in picture.target_gaps:
        for levels, value in target_row.cells.items():
            group = (
                "no target or no level"
                if levels == NO_TARGET
                else ("at or above target" if levels == 0 else f"{levels} level(s) below target")
            )
            rows.append([f"target: {target_row.name}", group, count(value)])
    return ["what", "group", "businesses"], rows
