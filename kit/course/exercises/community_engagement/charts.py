"""Community-engagement charts: the touchpoint grid, the metric mix, the safeguard grid."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from kit.charts.builders import bar_chart, described
from kit.charts.palette import PALETTE
from kit.course.exercises.community_engagement.calc import TOUCHPOINT_SCORES, safeguard_gaps
from kit.course.exercises.community_engagement.data import Safeguard, load_samples
from kit.course.exercises.score_tables import require_columns

# --- charts -------------------------------------------------------------------------------------

DIVERGING = [PALETTE[4], "#FFFFFF", PALETTE[3]]  # vermillion (loss) - white - blue (gain)
SAFEGUARD_COLOURS = {"in place": PALETTE[2], "missing": PALETTE[4]}


def _tile_grid(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: alt.Color,
    text: str,
    x_order: list[str],
    y_order: list[str],
) -> alt.LayerChart:
    """Coloured tiles with their value written on them, so colour is never the only cue."""
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:N", sort=x_order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=180)),
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=list(data.columns),
    )
    return base.mark_rect(stroke="#FFFFFF").encode(color=color) + base.mark_text(
        fontSize=13
    ).encode(text=f"{text}:N")


def touchpoint_chart(matrix: pd.DataFrame) -> alt.LayerChart:
    """Gains in blue, weighted loss of contact in vermillion, and the net score per touchpoint."""
    require_columns(
        matrix, ["touchpoint", *TOUCHPOINT_SCORES, "net_score", "verdict"], "touchpoint chart"
    )
    columns = {
        "Speed gained": matrix["speed_gain"],
        "Cost saved": matrix["cost_saving"],
        "Contact lost (weighted)": matrix["net_score"]
        - matrix["speed_gain"]
        - matrix["cost_saving"],
        "Net score": matrix["net_score"],
    }
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "touchpoint": matrix["touchpoint"],
                    "column": name,
                    "value": values,
                    "verdict": matrix["verdict"],
                }
            )
            for name, values in columns.items()
        ],
        ignore_index=True,
    )
    long["label"] = long["value"].map(lambda value: f"{value:+g}")
    reach = max(1.0, float(long["value"].abs().max()))
    color = alt.Color(
        "value:Q",
        title="Effect on score",
        scale=alt.Scale(domain=[-reach, 0, reach], range=DIVERGING),
    )
    grid = _tile_grid(
        long,
        x="column",
        y="touchpoint",
        color=color,
        text="label",
        x_order=list(columns),
        y_order=list(matrix["touchpoint"]),
    )
    verdicts = "; ".join(
        f"{row.touchpoint}: net {row.net_score:+g}, {row.verdict}" for row in matrix.itertuples()
    )
    return described(
        grid.properties(width=440),
        "What automating each touchpoint gains and costs",
        "Grid of touchpoints by speed gained, cost saved, weighted contact lost and "
        f"net score; gains are blue, losses vermillion. {verdicts}.",
    )


def metric_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Count of chosen measures by kind, one colour per kind."""
    summary = ", ".join(f"{row.label}: {row.count}" for row in mix.itertuples())
    data = mix.rename(columns={"label": "kind of measure", "count": "measures chosen"})
    return bar_chart(
        data[["kind of measure", "measures chosen", "metrics"]],
        category="kind of measure",
        value="measures chosen",
        color="kind of measure",
        title="Numbers and voices in your community-health measures",
        description=f"Bars counting the chosen measures of each kind. {summary}.",
    )


def safeguard_chart(
    decisions: pd.DataFrame, safeguards: Sequence[Safeguard] | None = None
) -> alt.LayerChart:
    """A tile per decision and safeguard: green and 'yes' when in place, vermillion and 'no'."""
    safeguards = list(safeguards or load_samples().safeguards)
    long = pd.DataFrame(
        [
            {
                "system": row["system"],
                "safeguard": safeguard.label,
                "status": "in place" if row[safeguard.id] else "missing",
                "mark": "yes" if row[safeguard.id] else "no",
            }
            for _, row in decisions.iterrows()
            for safeguard in safeguards
        ]
    )
    color = alt.Color(
        "status:N",
        title="Safeguard",
        scale=alt.Scale(domain=list(SAFEGUARD_COLOURS), range=list(SAFEGUARD_COLOURS.values())),
    )
    grid = _tile_grid(
        long,
        x="safeguard",
        y="system",
        color=color,
        text="mark",
        x_order=[safeguard.label for safeguard in safeguards],
        y_order=list(decisions["system"]),
    )
    gaps = "; ".join(
        f"{row.system}: missing {row.missing}"
        for row in safeguard_gaps(decisions, safeguards).itertuples()
    )
    return described(
        grid.properties(width=420),
        "Trust safeguards on each automated decision",
        f"Grid of automated decisions by safeguard, yes or no. {gaps}.",
    )
