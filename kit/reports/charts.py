"""Charts for printed reports: Altair specs turned into inline SVG in-process by vl-convert.

A report has to open offline and print, so no chart is left for a browser to draw with
JavaScript fetched from a CDN: vl-convert renders each Vega-Lite spec to SVG text here (it
escapes every label it draws). Charts carry no business names, only area and level labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import vl_convert
from markupsafe import Markup

from kit.charts.builders import described, profile_chart
from kit.charts.palette import PALETTE
from kit.core.cohort_stats import NOT_PLACED, HeatmapRow, LevelCount
from kit.core.definitions import Definitions, bundled_definitions
from kit.errors import ReportError
from kit.reports.html import chart_marker
from kit.core.scoring import Placement, score_valid_answers

VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # "v6.4.1" -> "6.4"
MEDIAN_COLOUR = PALETTE[0]
AREA_LABEL_LIMIT = 330  # pixels: room for the longest area name
# vl-convert measures labels with this font; a browser drawing them with a wider one would
# push them past the edge, so the SVG names the font and keeps a margin for other systems.
FONT = "DejaVu Sans, Verdana, sans-serif"
PADDING = {"left": 40, "right": 40, "top": 5, "bottom": 5}


def to_svg(chart: alt.TopLevelMixin) -> Markup:
    """The chart as an ``<svg>`` element ready to place in a page."""
    return Markup(vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=VL_VERSION))


def profile_against_cohort(placement: Placement, medians: dict[str, float],
                           cohort_size: int) -> alt.LayerChart:
    """The business's profile (``kit.charts.builders.profile_chart``) with the cohort's median level
    marked on each area that has one."""
    rows = [{"area": d.name, "median": medians[d.dimension_id]}
            for d in placement.dimensions if d.dimension_id in medians]
    ticks = alt.Chart(pd.DataFrame(rows)).mark_tick(
        color=MEDIAN_COLOUR, opacity=1, thickness=4, size=16).encode(
        y=alt.Y("area:N", sort=[d.name for d in placement.dimensions]), x=alt.X("median:Q"),
        tooltip=[alt.Tooltip("median:Q", title="cohort median")])
    described_medians = "; ".join(f"{r['area']}: {r['median']:g}" for r in rows)
    return described(
        alt.LayerChart(layer=[*profile_chart(placement).layer, ticks]),
        "Your level in each area, and the cohort median",
        f"Bars show this business's level per area; marks show the median level of the "
        f"{cohort_size} businesses in the workshop ({described_medians}).")


def for_print(chart: alt.TopLevelMixin, width: int = 320) -> alt.TopLevelMixin:
    """Room for the longest area name and a width that fits a portrait page."""
    return (chart.properties(width=width, padding=PADDING).configure(font=FONT)
            .configure_axisY(labelLimit=AREA_LABEL_LIMIT))


def heatmap_chart(rows: list[HeatmapRow], level_labels: dict[int, str],
                  minimum: int) -> alt.LayerChart:
    """Areas down, levels across, each cell the number of businesses there; a group smaller
    than ``minimum`` (hidden by ``kit.core.cohort_stats``) shows as '<minimum' and is not shaded."""
    columns: dict[int | str, str] = {
        **{n: f"{n} {label}" for n, label in level_labels.items()}, NOT_PLACED: "not placed"}
    data = pd.DataFrame([{"area": row.name, "level": columns[key],
                          "businesses": count or 0,
                          "shown": f"<{minimum}" if count is None else str(count)}
                         for row in rows for key, count in row.cells.items()])
    base = alt.Chart(data).encode(
        y=alt.Y("area:N", sort=[row.name for row in rows], title=None),
        x=alt.X("level:N", sort=list(columns.values()), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelExpr="split(datum.label, ' ')")))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("businesses:Q", scale=alt.Scale(range=["#f2f7fb", PALETTE[3]]),
                        legend=None),
        tooltip=["area", "level", "shown"])
    text = base.mark_text().encode(
        text="shown:N",
        color=alt.condition(alt.datum.businesses > 0, alt.value("#111"), alt.value("#777")))
    return described(alt.LayerChart(layer=[cells, text]),
                     "Businesses per area and level",
                     "Each cell counts the businesses at that level in that area; groups too "
                     f"small to show are marked <{minimum}.")


def level_distribution_chart(levels: list[LevelCount], minimum: int) -> alt.LayerChart:
    """Businesses per overall level, in level order; hidden small groups read '<minimum'."""
    data = pd.DataFrame([{"level": f"{item.level} {item.label}" if item.level else item.label,
                          "businesses": item.count or 0,
                          "shown": f"<{minimum}" if item.count is None else str(item.count)}
                         for item in levels])
    base = alt.Chart(data).encode(
        y=alt.Y("level:N", sort=list(data["level"]), title=None),
        x=alt.X("businesses:Q", title="Businesses", axis=alt.Axis(tickMinStep=1)))
    bars = base.mark_bar(color=PALETTE[3]).encode(tooltip=["level", "shown"])
    labels = base.mark_text(align="left", dx=4).encode(text="shown:N")
    return described(alt.LayerChart(layer=[bars, labels]).properties(width=360),
                     "Businesses per overall level",
                     "; ".join(f"{level}: {shown}" for level, shown
                               in zip(data["level"], data["shown"], strict=True)))


def business_profile(definitions: Definitions, inputs: dict[str, Any]) -> alt.TopLevelMixin:
    """A business report's chart from the inputs the report left (``report_view``): against
    the cohort median when there is one, else on its own."""
    placement = score_valid_answers(definitions, inputs["answers"])
    if inputs["medians"]:
        return profile_against_cohort(placement, inputs["medians"], inputs["cohort_size"])
    return profile_chart(placement)


FIGURES: dict[str, Callable[[Definitions, dict[str, Any]], alt.TopLevelMixin]] = {
    "profile": business_profile,
}


def draw_charts(html: str, charts: dict[str, dict[str, Any]],
                definitions: Definitions | None = None) -> str:
    """Replace each chart's marker in a report body by the chart as inline SVG (scored with
    the definitions the report used: the bundled ones unless told otherwise)."""
    definitions = definitions or bundled_definitions()
    for name, inputs in charts.items():
        figure = FIGURES.get(name)
        if figure is None:
            raise ReportError(f"the report asks for an unknown chart {name!r} "
                              f"(known: {', '.join(FIGURES)})")
        chart = for_print(figure(definitions, inputs))
        html = html.replace(chart_marker(name), to_svg(chart), 1)
    return html
