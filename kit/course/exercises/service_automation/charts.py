"""Service-automation charts: the quadrant of ideas, the rollout timeline, the scorecard, the
shift in scores when ethics counts, and what a chatbot handover rule costs and catches."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from kit.charts.builders import color_scale, described, grouped_bar_chart
from kit.charts.palette import OKABE_ITO, PALETTE
from kit.course.exercises.score_tables import require_columns
from kit.course.exercises.service_automation.calc import HIGH, QUADRANTS, STAGES
from kit.course.exercises.service_automation.data import SCORE_HIGH, SCORE_LOW

QUADRANT_ORDER = list(QUADRANTS.values())


def quadrant_chart(ranked: pd.DataFrame) -> alt.LayerChart:
    """Feasibility across, impact up, each idea marked with its rank; parked ideas are crosses."""
    require_columns(
        ranked,
        ["opportunity", "impact", "feasibility", "quadrant", "aligned", "rank"],
        "quadrant chart",
    )
    data = ranked.assign(goal=ranked["aligned"].map({True: "serves a goal", False: "parked"}))
    axis_scale = alt.Scale(domain=[SCORE_LOW - 0.5, SCORE_HIGH + 0.5], zero=False, nice=False)
    base = alt.Chart(data).encode(
        x=alt.X(
            "feasibility:Q",
            scale=axis_scale,
            title="Feasibility (1 hard - 5 easy)",
            axis=alt.Axis(values=list(range(SCORE_LOW, SCORE_HIGH + 1))),
        ),
        y=alt.Y(
            "impact:Q",
            scale=axis_scale,
            title="Impact (1 low - 5 high)",
            axis=alt.Axis(values=list(range(SCORE_LOW, SCORE_HIGH + 1))),
        ),
    )
    points = base.mark_point(filled=True, size=220, opacity=0.85).encode(
        color=alt.Color("quadrant:N", scale=color_scale(QUADRANT_ORDER), title="Quadrant"),
        shape=alt.Shape(
            "goal:N",
            title="Business goal",
            scale=alt.Scale(domain=["serves a goal", "parked"], range=["circle", "cross"]),
        ),
        tooltip=[
            "rank",
            "opportunity",
            "impact",
            "feasibility",
            "alignment",
            "priority",
            "quadrant",
            "goal",
        ],
    )
    # Ideas with the same ratings share a point, so their ranks are listed together.
    labels = (
        base.mark_text(align="left", dx=12, fontSize=12)
        .encode(text="ranks:N")
        .transform_aggregate(ranks="values(rank)", groupby=["feasibility", "impact"])
        .transform_calculate(ranks="join(pluck(datum.ranks, 'rank'), ', ')")
    )
    cut = alt.Chart(pd.DataFrame({"at": [HIGH - 0.5]}))
    lines = cut.mark_rule(strokeDash=[4, 4], color=PALETTE[7]).encode(x="at:Q") + cut.mark_rule(
        strokeDash=[4, 4], color=PALETTE[7]
    ).encode(y="at:Q")
    ranking = "; ".join(
        f"{row.rank}. {row.opportunity} ({row.quadrant}{'' if row.aligned else ', parked'})"
        for row in ranked.itertuples()
    )
    chart = (lines + points + labels).properties(width=380, height=320)
    return described(
        chart,
        "Automation ideas by impact and feasibility",
        "Scatter of ideas, numbered by rank, with feasibility across and impact up; "
        "dashed lines split quick wins (top right), major projects (top left), "
        f"fill-ins (bottom right) and not-now ideas; parked ideas are crosses. "
        f"Ranking: {ranking}.",
    )


def rollout_chart(plan: pd.DataFrame) -> alt.Chart:
    """A timeline: each project's pilot phase and, right after, its rollout phase."""
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "opportunity": plan["opportunity"],
                    "stage": stage,
                    "phase": plan[f"{stage}_phase"],
                    "days": plan[f"{stage}_days"],
                }
            )
            for stage in STAGES
        ]
    )
    chart = (
        alt.Chart(long)
        .mark_bar(stroke="#FFFFFF")
        .encode(
            x=alt.X("phase:O", title="Phase", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "opportunity:N",
                sort=list(plan["opportunity"]),
                title=None,
                axis=alt.Axis(labelLimit=240),
            ),
            color=alt.Color("stage:N", scale=color_scale(list(STAGES)), title="Stage"),
            tooltip=["opportunity", "stage", "phase", "days"],
        )
        .properties(width=420)
    )
    steps = "; ".join(
        f"{row.opportunity}: pilot in phase {row.pilot_phase}, rollout in phase {row.rollout_phase}"
        for row in plan.itertuples()
    )
    return described(
        chart,
        "Phased rollout plan",
        f"Timeline bars of each project's pilot and rollout phases. {steps}.",
    )


def scorecard_chart(scored: pd.DataFrame, labels: Mapping[str, str]) -> alt.Chart:
    """Stacked bars: how much each criterion contributes to each tool's weighted score."""
    criteria = [criterion for criterion in labels if criterion in scored.columns]
    long = scored.melt(
        id_vars=["tool", "rank", "score"],
        value_vars=criteria,
        var_name="criterion",
        value_name="contribution",
    )
    long = long[long["contribution"] > 0].assign(criterion=lambda t: t["criterion"].map(labels))
    order = [labels[criterion] for criterion in criteria]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("tool:N", sort=list(scored["tool"]), title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X(
                "contribution:Q",
                title="Weighted score (1-5)",
                stack="zero",
                scale=alt.Scale(domain=[0, SCORE_HIGH]),
            ),
            color=alt.Color("criterion:N", scale=color_scale(order), title="Criterion"),
            order=alt.Order("order:Q"),
            tooltip=[
                "tool",
                "criterion",
                alt.Tooltip("contribution:Q", format=".2f"),
                alt.Tooltip("score:Q", format=".2f"),
            ],
        )
        .transform_calculate(order=f"indexof({order!r}, datum.criterion)")
        .properties(width=420)
    )
    ranking = "; ".join(f"{row.rank}. {row.tool} {row.score:.2f}" for row in scored.itertuples())
    return described(
        chart,
        "Tool scorecard",
        f"Stacked bars of each tool's weighted score by criterion. {ranking}.",
    )


def shift_chart(shift: pd.DataFrame) -> alt.Chart:
    """Each tool's score before and after the reweighting, side by side."""
    long = shift.melt(
        id_vars=["tool"],
        value_vars=["score_before", "score_after"],
        var_name="weighting",
        value_name="score",
    )
    long["weighting"] = long["weighting"].map(
        {"score_before": "practical criteria only", "score_after": "with ethical criteria"}
    )
    moves = "; ".join(
        f"{row.tool}: rank {row.rank_before} to {row.rank_after}" for row in shift.itertuples()
    )
    return grouped_bar_chart(
        long,
        category="tool",
        value="score",
        group="weighting",
        value_title="Weighted score (1-5)",
        title="Does the ranking change when ethics counts?",
        description=f"Paired bars of each tool's score under both weightings. {moves}.",
    )


SWEEP_LINES = {
    "handed_over": "Taken by a person",
    "wrong_from_bot": "Wrong answers from the bot",
    "wrong_high_stakes": "Wrong answers on health, money or complaints",
}


def handover_chart(sweep: pd.DataFrame, threshold: float) -> alt.LayerChart:
    """Questions taken by a person and wrong answers left with the bot, at every threshold."""
    long = sweep.melt(
        id_vars=["threshold"], value_vars=list(SWEEP_LINES), var_name="measure", value_name="count"
    ).assign(measure=lambda t: t["measure"].map(SWEEP_LINES))
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("threshold:Q", title="Confidence the bot needs to answer (%)"),
            y=alt.Y("count:Q", title="Questions in the sample", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("measure:N", scale=color_scale(list(SWEEP_LINES.values())), title=None),
            strokeDash=alt.StrokeDash("measure:N", title=None),
            tooltip=["threshold", "measure", "count"],
        )
        .properties(width=420)
    )
    now = (
        alt.Chart(pd.DataFrame({"threshold": [threshold]}))
        .mark_rule(strokeDash=[6, 4], color=OKABE_ITO["black"])
        .encode(x="threshold:Q")
    )
    here = sweep[sweep["threshold"] == threshold].to_dict("records")
    told = (
        f" At {threshold:g} %: {here[0]['handed_over']} taken by a person, "
        f"{here[0]['wrong_from_bot']} wrong answers from the bot."
        if here
        else ""
    )
    return described(
        lines + now,
        "Where should a person step in?",
        "Lines of how many sample questions a person takes and how many wrong answers the bot "
        f"still gives, as the confidence threshold rises.{told}",
    )
