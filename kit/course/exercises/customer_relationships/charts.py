"""Customer-relationship charts: approval rates against the four-fifths line, what the data
is for, the checklist's tiles, and a customer journey against the seven principles."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.customer_relationships.calc import (
    DisparateImpact,
    gap_summary,
    journey_findings,
)
from kit.course.exercises.status_tiles import status_tiles

VERDICT_COLOURS: dict[str, str] = {
    "keep": OKABE_ITO["bluish_green"],
    "beyond purpose": OKABE_ITO["orange"],
    "no purpose": OKABE_ITO["vermillion"],
}
CHECKLIST_COLOURS = {"in place": OKABE_ITO["bluish_green"], "gap": OKABE_ITO["vermillion"]}


def approval_chart(rates: pd.DataFrame, impact: DisparateImpact) -> alt.LayerChart:
    """Approval rate per group, with the line a group must reach under the four-fifths rule."""
    line = float(impact.threshold) * rates["rate"].max()
    table = rates.assign(
        percent=100 * rates["rate"],
        position=[
            "below the line" if rate < line else "at or above the line" for rate in rates["rate"]
        ],
    )
    bars = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("group:N", title="Group", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("percent:Q", title="Approval rate (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "position:N",
                title="Four-fifths line",
                scale=alt.Scale(
                    domain=["at or above the line", "below the line"],
                    range=[OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"]],
                ),
            ),
            tooltip=["group", "applications", "approved", alt.Tooltip("percent:Q", format=".0f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"percent": [100 * line]}))
        .mark_rule(strokeDash=[6, 4], color=OKABE_ITO["black"])
        .encode(y="percent:Q")
    )
    rates_text = ", ".join(f"group {row.group} {row.rate:.0%}" for row in rates.itertuples())
    return described(
        (bars + rule).properties(width=320),
        "Approval rate by group",
        f"Bars show the share of applications approved: {rates_text}. The dashed "
        f"line marks four fifths of the highest rate. {impact.verdict()}",
    )


def minimisation_chart(review: pd.DataFrame) -> alt.Chart:
    """How many fields each purpose holds, split by verdict."""
    chart = (
        alt.Chart(review)
        .mark_bar()
        .encode(
            y=alt.Y("purpose:N", title=None),
            x=alt.X("count():Q", title="Fields collected", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "verdict:N",
                title="Verdict",
                scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
            ),
            tooltip=["purpose", "verdict", "field"],
        )
    )
    counts = review["verdict"].value_counts()
    text = ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in VERDICT_COLOURS)
    return described(
        chart,
        "What the data is for",
        f"Fields collected, grouped by the purpose given for them: {text}.",
    )


def checklist_chart(review: pd.DataFrame) -> alt.LayerChart:
    """One tile per checklist area, saying whether it is in place."""
    table = review.assign(status=review["in_place"].map({True: "in place", False: "gap"}))
    return status_tiles(
        table,
        label="area",
        status="status",
        colours=CHECKLIST_COLOURS,
        tooltip=["area", "status", "next_step"],
        title="Ethical automation checklist",
        description=gap_summary(review),
    )


JOURNEY_COLOURS = {"broken": OKABE_ITO["vermillion"], "not broken": OKABE_ITO["bluish_green"]}


def journey_chart(review: pd.DataFrame) -> alt.LayerChart:
    """A grid of steps (rows) by principles (columns), each cell saying broken or not."""
    table = review.assign(
        verdict=review["broken"].map({True: "broken", False: "not broken"}),
        mark=review["broken"].map({True: "x", False: ""}),
    )
    base = alt.Chart(table).encode(
        y=alt.Y("step:N", sort=list(dict.fromkeys(table["step"])), title=None),
        x=alt.X(
            "principle:N",
            sort=list(dict.fromkeys(table["principle"])),
            title=None,
            axis=alt.Axis(labelAngle=-30, labelLimit=200),
        ),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "verdict:N",
            title=None,
            scale=alt.Scale(domain=list(JOURNEY_COLOURS), range=list(JOURNEY_COLOURS.values())),
        ),
        tooltip=["step", "principle", "verdict"],
    )
    marks = base.mark_text(color="white", fontWeight="bold").encode(text="mark:N")
    return described(
        (cells + marks).properties(width=380),
        "The journey against the seven principles",
        f"A grid of each step against each principle, marked x where the step breaks it. "
        f"{journey_findings(review)}",
    )
