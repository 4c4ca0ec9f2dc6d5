"""Fairness charts: both measures per group, so a disagreement between them is visible."""

from __future__ import annotations

import altair as alt

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.fair_decisions.calc import FairnessComparison

MEASURE_LABELS = {"approval": "All applicants (four-fifths rule)",
                  "repaid_approval": "Applicants who repaid (equal opportunity)"}


def fairness_chart(comparison: FairnessComparison) -> alt.TopLevelMixin:
    """Side-by-side bars: approval rate of everyone and of those who went on to repay."""
    table = comparison.rates.melt(id_vars="group", var_name="measure", value_name="percent")
    table["measure"] = table["measure"].map(MEASURE_LABELS)
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("group:N", title="Group", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=list(MEASURE_LABELS.values())),
        y=alt.Y("percent:Q", title="Approved (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("measure:N", title="Approval rate among",
                        sort=list(MEASURE_LABELS.values()),
                        scale=alt.Scale(range=[OKABE_ITO["sky_blue"], OKABE_ITO["orange"]])),
    ).properties(width=320)
    rates = "; ".join(f"group {row.group}: {row.approval:.0f} % of all, "
                      f"{row.repaid_approval:.0f} % of those who repaid"
                      for row in comparison.rates.itertuples())
    return described(chart, "Two ways to measure fairness",
                     f"Approval rates by group: {rates}. {comparison.verdict()}")
