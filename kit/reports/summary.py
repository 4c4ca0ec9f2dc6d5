"""The cohort summary a trainer hands round: totals only, never one business's answers.

The numbers are the facilitator dashboard's (``kit.core.cohort_stats``: level distribution, areas by
level, common gaps, with groups under ``MIN_GROUP`` hidden); this module adds what the cohort
should work on first and lays it all out as a printable page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kit.core.cohort_stats import MIN_GROUP, CohortPicture, business_placements, cohort_picture
from kit.core.definitions import Definitions, Recommendation
from kit.core.language import current_language
from kit.core.messages import say
from kit.core.scoring import Placement
from kit.core.translations import localize
from kit.reports.charts import for_print, heatmap_chart, level_distribution_chart, to_svg
from kit.reports.html import page, render
from kit.reports.workshop import respondent_submissions, workshop_targets
from kit.store.database import Store

TOP_PRIORITIES = 3


@dataclass(frozen=True)
class Priority:
    """An area many businesses should start with, and the step most of them face there."""

    name: str
    businesses: int  # for how many businesses the area is a starting point
    from_label: str  # the most common level there among them...
    to_label: str  # ...and the next one
    moving: int | None  # how many of them are at ``from_label`` (None: a group too small to say)
    recommendations: list[Recommendation]


def cohort_priorities(
    definitions: Definitions,
    placements: Sequence[Placement],
    minimum: int = MIN_GROUP,
    top: int = TOP_PRIORITIES,
) -> list[Priority]:
    """Areas that are a starting point (``Placement.focus``) for at least ``minimum``
    businesses, most shared first, with the recommendation for their most common next level."""
    starts = Counter(dim for p in placements for dim in p.focus)
    ranked = sorted(
        (dim for dim, n in starts.items() if n >= minimum),
        key=lambda dim: (-starts[dim], list(definitions.dimensions).index(dim)),
    )
    priorities = []
    for dim in ranked[:top]:
        next_levels = Counter(
            level
            for p in placements
            if dim in p.focus
            if (level := p.dimension(dim).next_level) is not None
        )
        level, moving = next_levels.most_common(1)[0]
        priorities.append(
            Priority(
                definitions.dimensions[dim].name,
                starts[dim],
                definitions.model.level(level - 1).label,
                definitions.model.level(level).label,
                moving if moving >= minimum else None,
                definitions.recommendations_for(dim, level),
            )
        )
    return priorities


@dataclass(frozen=True)
class CohortSummary:
    workshop: str
    picture: CohortPicture
    priorities: list[Priority]
    generated_at: datetime
    model_version: str
    questionnaire_version: str


def build_summary(store: Store, workshop: str, minimum: int = MIN_GROUP) -> CohortSummary:
    definitions = localize(store.definitions, current_language())
    submissions = respondent_submissions(store, workshop)
    placements = [p.placement for p in business_placements(definitions, submissions).values()]
    enough = len(placements) >= minimum
    return CohortSummary(
        workshop=workshop,
        picture=cohort_picture(
            definitions,
            store.progress(workshop),
            submissions,
            minimum,
            workshop_targets(store, submissions),
        ),
        priorities=cohort_priorities(definitions, placements, minimum) if enough else [],
        generated_at=datetime.now(UTC),
        **definitions.versions,
    )


def summary_page(summary: CohortSummary, level_labels: dict[int, str]) -> str:
    """The summary as a complete HTML page with inline SVG charts."""
    picture = summary.picture
    charts = {}
    if picture.shown:
        charts = {
            "levels": to_svg(for_print(level_distribution_chart(picture.levels, picture.minimum))),
            "heatmap": to_svg(
                for_print(heatmap_chart(picture.heatmap, level_labels, picture.minimum), width=360)
            ),
        }
    body = render("cohort_summary.html.j2", s=summary, p=picture, charts=charts)
    return page(say("summary.title", workshop=summary.workshop), body)
