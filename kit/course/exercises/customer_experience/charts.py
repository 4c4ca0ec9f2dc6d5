"""Customer-experience charts: who would recommend us, and which transparency rules pass."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.customer_experience.calc import NPS_BANDS, nps, nps_breakdown
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
