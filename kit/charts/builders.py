"""Small Altair helpers every lesson shares, so all charts look alike and stay accessible.

Three rules hold for every chart the course draws: colours come from the Okabe-Ito palette,
which stays distinguishable for the common forms of colour blindness; every chart carries a title
and a text description (read out by screen readers and shown in exported reports); and charts
render without internet. Altair 6's default renderer loads Vega from a CDN, and JupyterLab 4
renders only Vega-Lite v5 natively, so importing this module switches Altair to the SVG
renderer, which draws charts locally through vl-convert (no tooltips, but works offline in
JupyterLab, Voila and exported reports alike).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from kit.charts.palette import PALETTE
from kit.core.explain import dimension_status
from kit.core.messages import say
from kit.core.scoring import Placement
from kit.errors import ChartError

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)  # described() keeps the kind of chart

OFFLINE_RENDERER = "svg"
TARGET_COLOUR = PALETTE[5]  # reddish purple, and a diamond: told apart by shape as well
_CATEGORY_AXIS = alt.Axis(labelLimit=320)  # room for a short sentence, e.g. a task's name


def use_offline_renderer() -> None:
    """Draw charts locally (SVG via vl-convert) so no notebook needs the internet."""
    alt.renderers.enable(OFFLINE_RENDERER)


use_offline_renderer()


def color_scale(domain: Sequence[str], colors: Mapping[str, str] | None = None) -> alt.Scale:
    """A categorical colour scale that pins each category to one palette colour.

    ``colors`` may fix the colour of some categories by meaning (say, "Go ahead" in bluish
    green); only palette colours are allowed, and the rest take the remaining ones in order.
    """
    domain = list(domain)
    if len(domain) > len(PALETTE):
        raise ChartError(
            f"color_scale: {len(domain)} categories but the palette has "
            f"{len(PALETTE)} colours; group the smaller ones"
        )
    fixed = dict(colors or {})
    foreign = sorted(set(fixed.values()) - set(PALETTE))
    if foreign:
        raise ChartError(
            f"color_scale: {', '.join(foreign)} is not an Okabe-Ito colour; "
            "use kit.charts.builders.OKABE_ITO"
        )
    spare = iter(colour for colour in PALETTE if colour not in fixed.values())
    return alt.Scale(domain=domain, range=[fixed.get(item) or next(spare) for item in domain])


def described(chart: ChartT, title: str, description: str) -> ChartT:
    """Give a chart its title and text description; both are required."""
    if not title.strip() or not description.strip():
        raise ChartError("described: a chart needs a non-empty title and description")
    return chart.properties(title=title, description=description)


def bar_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    description: str,
    color: str | None = None,
    colors: Mapping[str, str] | None = None,
    value_title: str | None = None,
    in_data_order: bool = False,
) -> alt.Chart:
    """Horizontal bars, longest first (or in the data's order).

    The tooltip in the spec shows only under an interactive renderer (a participant's own
    ``alt.renderers.enable("default")``); the course's SVG renderer drops it, so the figures a
    reader needs go in ``description``.

    ``color`` names a column to colour by; ``colors`` optionally fixes some of its colours.
    """
    encoding = {
        "y": alt.Y(
            f"{category}:N",
            title=None,
            axis=_CATEGORY_AXIS,
            sort=_in_order(data[category]) if in_data_order else "-x",
        ),
        "x": alt.X(f"{value}:Q", title=value_title or value),
        "tooltip": list(data.columns),
    }
    if color is None:
        encoding["color"] = alt.value(PALETTE[3])
    else:
        encoding["color"] = alt.Color(
            f"{color}:N", scale=color_scale(_in_order(data[color]), colors)
        )
    return described(alt.Chart(data).mark_bar().encode(**encoding), title, description)


def grouped_bar_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str,
    title: str,
    description: str,
    value_title: str | None = None,
) -> alt.Chart:
    """Bars for several groups side by side within each category (e.g. business vs social)."""
    scale = color_scale(_in_order(data[group]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N", title=None, sort=_in_order(data[category]), axis=_CATEGORY_AXIS
            ),
            x=alt.X(f"{value}:Q", title=value_title or value),
            yOffset=alt.YOffset(f"{group}:N", sort=scale.domain),
            color=alt.Color(f"{group}:N", scale=scale, title=group),
            tooltip=list(data.columns),
        )
    )
    return described(chart, title, description)


def _in_order(column: pd.Series) -> list[str]:
    """Distinct values in first-seen order, so colours follow the data, not the alphabet."""
    return [str(value) for value in pd.unique(column)]


def profile_rows(placement: Placement) -> list[dict[str, Any]]:
    """The profile chart's data: one row per area (level 0 where it has none yet)."""
    return [
        {
            "area": d.name,
            "level": d.level or 0,
            "label": dimension_status(placement, d),
            "score": round(float(d.score), 2) if d.score is not None else None,
        }
        for d in placement.dimensions
    ]


def profile_chart(placement: Placement) -> alt.LayerChart:
    """A business's maturity profile: one bar per area at its level, the level's name in a
    column right of the bars (where no bar, rule or mark can cover it), and a dashed rule at
    the overall level; an area without a level shows why instead."""
    rows = profile_rows(placement)
    data = pd.DataFrame(rows)
    levels = sorted(placement.level_labels)
    legend = ", ".join(f"{n} {placement.level_labels[n]}" for n in levels)
    base = alt.Chart(data).encode(
        y=alt.Y("area:N", sort=list(data["area"]), title=None),
        x=alt.X(
            "level:Q",
            scale=alt.Scale(domain=[0, max(levels)]),
            axis=alt.Axis(values=levels, format="d"),
            title=say("chart.level_axis", legend=legend),
        ),
        tooltip=["area", "level", "label", "score"],
    )
    layers = [
        base.mark_bar(color=PALETTE[3]),
        base.mark_text(align="left", dx=8, color=PALETTE[7]).encode(
            x=alt.datum(max(levels)), text="label:N"
        ),
    ]
    overall = placement.overall_level
    if overall:
        layers.append(
            alt.Chart(pd.DataFrame([{"overall": overall}]))
            .mark_rule(color=PALETTE[4], strokeDash=[6, 3], size=2)
            .encode(x="overall:Q")
        )
    return described(
        alt.LayerChart(layer=layers).properties(width=320),
        say("chart.profile_title"),
        profile_description(placement, rows),
    )


def profile_description(placement: Placement, rows: list[dict[str, Any]] | None = None) -> str:
    """What the profile chart shows, in words (read out by screen readers)."""
    overall = placement.overall_level
    summary = (
        say("chart.overall", label=placement.overall_label, level=overall)
        if overall
        else say("chart.no_overall")
    )
    areas = "; ".join(
        say("chart.area_level", area=r["area"], level=r["label"])
        for r in rows or profile_rows(placement)
    )
    return say("chart.described", summary=summary, areas=areas)


def target_rows(placement: Placement, targets: Mapping[str, int]) -> list[dict[str, Any]]:
    """The target marks' data: one row per area with a target, in the profile's order."""
    return [
        {"area": d.name, "target": targets[d.dimension_id]}
        for d in placement.dimensions
        if d.dimension_id in targets
    ]


def target_marks(placement: Placement, rows: list[dict[str, Any]]) -> alt.Chart:
    """A diamond at the target level of each area with one, to layer over ``profile_chart``
    (the bar is where the business is; the diamond is where it wants to be)."""
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_point(shape="diamond", filled=True, size=150, opacity=1, color=TARGET_COLOUR)
        .encode(
            y=alt.Y("area:N", sort=[d.name for d in placement.dimensions]),
            x=alt.X("target:Q"),
            tooltip=[alt.Tooltip("target:Q", title=say("chart.target"))],
        )
    )


def target_description(rows: list[dict[str, Any]]) -> str:
    """What the target marks show, in words."""
    levels = "; ".join(say("chart.area_level", area=r["area"], level=r["target"]) for r in rows)
    return say("chart.targets", levels=levels)
