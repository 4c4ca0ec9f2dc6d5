"""Social-impact charts: hours freed per task, business against social progress, and the
prioritised candidates coloured by verdict."""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.charts.builders import bar_chart, grouped_bar_chart
from kit.charts.palette import OKABE_ITO
from kit.course.exercises.social_impact.data import SocialImpactSamples, load_samples

# Verdict bands from safest to riskiest: green, orange, vermillion (all Okabe-Ito).
VERDICT_COLOURS = (OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"])


def freed_resources_chart(freed: pd.DataFrame) -> alt.Chart:
    """Yearly hours freed per task, split into time kept for the business and time for impact."""
    data = pd.DataFrame(
        {
            "Task": list(freed["task"]) * 2,
            "Use": ["For the impact goal"] * len(freed) + ["Kept for the business"] * len(freed),
            "Hours a year": list(freed["impact_hours_per_year"])
            + list(freed["hours_freed_per_year"] - freed["impact_hours_per_year"]),
        }
    )
    return grouped_bar_chart(
        data,
        category="Task",
        value="Hours a year",
        group="Use",
        title="Hours freed each year, and how they are used",
        description="For each task, two bars: the hours a year automation frees that go to the "
        "impact goal, and the hours kept for the business.",
    )


def kpi_balance_chart(balance: pd.DataFrame) -> alt.Chart:
    """Business against social progress per process; 100% means the targets are reached."""
    data = balance.melt(
        id_vars="process",
        value_vars=["business_progress", "social_progress"],
        var_name="KPI kind",
        value_name="Progress",
    )
    data["KPI kind"] = data["KPI kind"].map(
        {"business_progress": "Business", "social_progress": "Social"}
    )
    data = data.rename(columns={"process": "Process"}).dropna()
    return grouped_bar_chart(
        data,
        category="Process",
        value="Progress",
        group="KPI kind",
        value_title="Progress towards target (1 = reached)",
        title="Is each automation moving business and social KPIs together?",
        description="For every automated process, the average progress of its business KPIs "
        "and of its social KPIs, from 0 at the baseline to 1 at the target; bars "
        "left of zero moved the wrong way.",
    )


def prioritiser_chart(
    ranked: pd.DataFrame, samples: SocialImpactSamples | None = None
) -> alt.Chart:
    """Priority per candidate in rank order, coloured by verdict (go green, redesign red)."""
    bands = (samples or load_samples()).verdicts
    colors = dict(zip([band.verdict for band in bands], VERDICT_COLOURS, strict=False))
    data = ranked.rename(
        columns={
            "candidate": "Candidate",
            "priority": "Priority",
            "verdict": "Verdict",
            "worst_risk": "Worst risk",
        }
    )
    return bar_chart(
        data[["Candidate", "Priority", "Verdict", "Worst risk"]],
        category="Candidate",
        value="Priority",
        color="Verdict",
        colors=colors,
        in_data_order=True,
        title="Which automation to do first, and on what terms",
        description="Candidate automations from first to last in the recommended order, each "
        "bar its priority score (benefit minus a penalty for its worst risk), "
        "coloured by the verdict its worst risk leads to.",
    )
