"""Customer-experience charts: who would recommend us, which transparency rules pass, and how
many customers stand behind each row of a pooled report."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.customer_experience.calc import (
    NPS_BANDS,
    PooledReport,
    nps,
    nps_breakdown,
)
from kit.course.exercises.customer_experience.data import CustomerYear
from kit.course.exercises.status_tiles import status_tiles

BAND_COLOURS = {
    "promoter": OKABE_ITO["bluish_green"],
    "passive": OKABE_ITO["sky_blue"],
    "detractor": OKABE_ITO["vermillion"],
}
STATUS_COLOURS = {
    "pass": OKABE_ITO["bluish_green"],
    "fail": OKABE_ITO["vermillion"],
    "not applicable": OKABE_ITO["sky_blue"],
}


def nps_chart(years: Sequence[CustomerYear]) -> alt.Chart:
    """Stacked shares of promoters, passives and detractors, one bar per year."""
    table = pd.concat([nps_breakdown(year.ratings).assign(year=year.label) for year in years])
    table["band_order"] = table["band"].map({band: n for n, band in enumerate(NPS_BANDS)})
    scores = ", ".join(f"{year.label}: {nps(year.ratings):+.0f}" for year in years)
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of ratings (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("year:N", title=None, sort=[year.label for year in years]),
            color=alt.Color(
                "band:N",
                title="Band",
                sort=list(BAND_COLOURS),
                scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
            ),
            order=alt.Order("band_order:Q"),
            tooltip=["year", "band", "count", alt.Tooltip("share:Q", format=".0f")],
        )
        .properties(width=420)
    )
    return described(
        chart,
        "Who would recommend us?",
        "Stacked bars of promoters (9-10), passives (7-8) and detractors (0-6) as a "
        f"share of all ratings, one bar per year. NPS {scores}.",
    )


def transparency_chart(results: pd.DataFrame) -> alt.LayerChart:
    """One tile per rule, so a failing rule stands out at a glance."""
    return status_tiles(
        results,
        label="title",
        status="status",
        colours=STATUS_COLOURS,
        tooltip=["title", "status", "reason"],
        title="Chatbot transparency check",
        description="; ".join(f"{row.title}: {row.status}" for row in results.itertuples()),
    )


def pooled_report_chart(report: PooledReport) -> alt.LayerChart:
    """One bar per row of the report, its number of customers, and the line each must reach."""
    shown = [column for column in report.rows.columns if column != "customers"]
    table = report.rows.assign(
        row=report.rows[shown].astype(str).agg(", ".join, axis=1),
        size=[
            "at or above the minimum" if n >= report.minimum else "below the minimum"
            for n in report.rows["customers"]
        ],
    )
    bars = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            y=alt.Y("row:N", title=None, sort=list(table["row"]), axis=alt.Axis(labelLimit=260)),
            x=alt.X("customers:Q", title="Customers in the row", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "size:N",
                title=None,
                scale=alt.Scale(
                    domain=["at or above the minimum", "below the minimum"],
                    range=[OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"]],
                ),
            ),
            tooltip=[*shown, "customers"],
        )
        .properties(width=360)
    )
    line = (
        alt.Chart(pd.DataFrame({"customers": [report.minimum]}))
        .mark_rule(strokeDash=[6, 4], color=OKABE_ITO["black"])
        .encode(x="customers:Q")
    )
    return described(
        bars + line,
        "Customers behind each row of the report",
        f"Bars of how many customers each row stands for; the dashed line marks the minimum "
        f"of {report.minimum}. {report.summary()}",
    )
