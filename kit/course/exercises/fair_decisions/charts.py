"""Fairness charts: both measures per group, so a disagreement between them is visible."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.fair_decisions.calc import APPROACHES, HIGH, FairnessComparison

MEASURE_LABELS = {
    "approval": "All applicants (four-fifths rule)",
    "repaid_approval": "Applicants who repaid (equal opportunity)",
}


def fairness_chart(comparison: FairnessComparison) -> alt.TopLevelMixin:
    """Side-by-side bars: approval rate of everyone and of those who went on to repay."""
    table = comparison.rates.melt(id_vars="group", var_name="measure", value_name="percent")
    table["measure"] = table["measure"].map(MEASURE_LABELS)
    chart = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("group:N", title="Group", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=list(MEASURE_LABELS.values())),
            y=alt.Y("percent:Q", title="Approved (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "measure:N",
                title="Approval rate among",
                sort=list(MEASURE_LABELS.values()),
                scale=alt.Scale(range=[OKABE_ITO["sky_blue"], OKABE_ITO["orange"]]),
            ),
        )
        .properties(width=320)
    )
    rates = "; ".join(
        f"group {row.group}: {row.approval:.0f} % of all, "
        f"{row.repaid_approval:.0f} % of those who repaid"
        for row in comparison.rates.itertuples()
    )
    return described(
        chart,
        "Two ways to measure fairness",
        f"Approval rates by group: {rates}. {comparison.verdict()}",
    )


def stakeholder_chart(mapped: pd.DataFrame) -> alt.TopLevelMixin:
    """Stakeholders placed by influence and how much the decision affects them."""
    base = alt.Chart(mapped).encode(
        x=alt.X(
            "influence:Q",
            title="Influence over the decision (1-5)",
            scale=alt.Scale(domain=[0.5, 5.5]),
        ),
        y=alt.Y(
            "affected:Q", title="How much it affects them (1-5)", scale=alt.Scale(domain=[0.5, 5.5])
        ),
    )
    points = base.mark_circle(size=120).encode(
        color=alt.Color(
            "approach:N",
            title="Approach",
            scale=alt.Scale(
                domain=list(APPROACHES.values()),
                range=[
                    OKABE_ITO["bluish_green"],
                    OKABE_ITO["sky_blue"],
                    OKABE_ITO["vermillion"],
                    OKABE_ITO["orange"],
                ],
            ),
        )
    )
    labels = base.mark_text(align="left", dx=9).encode(text="stakeholder:N")
    lines = alt.Chart(pd.DataFrame({"at": [HIGH - 0.5]})).mark_rule(
        strokeDash=[4, 4], color=OKABE_ITO["black"]
    )
    placed = "; ".join(f"{row.stakeholder}: {row.approach}" for row in mapped.itertuples())
    return described(
        (points + labels + lines.encode(x="at:Q") + lines.encode(y="at:Q")).properties(
            width=360, height=300
        ),
        "Stakeholder map",
        f"Each stakeholder by influence and how much the decision affects them. {placed}.",
    )
