"""Charts for printed reports: Altair specs turned into inline SVG in-process by vl-convert.

A report has to open offline and print, so no chart is left for a browser to draw with
JavaScript fetched from a CDN: vl-convert renders each Vega-Lite spec to SVG text here (it
escapes every label it draws). Charts carry no business names, only area and level labels.

A batch draws the same chart for every business with other numbers, so the business profile is
built with Altair and validated once per process and shape (``CompiledChart``), compiled to Vega
once, and only its data and description change per business: about a tenth of the cost of
building, validating and compiling it anew each time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert
from markupsafe import Markup, escape

from kit.charts.builders import (
    described,
    profile_chart,
    profile_description,
    profile_rows,
    target_description,
    target_marks,
    target_rows,
)
from kit.charts.palette import PALETTE
from kit.core.cohort_stats import NOT_PLACED, HeatmapRow, LevelCount
from kit.core.definitions import Definitions, bundled_definitions
from kit.core.language import format_decimal, use_language
from kit.core.messages import say
from kit.core.scoring import Placement, score_valid_answers
from kit.core.translations import localize
from kit.errors import ChartError, ReportError
from kit.reports.html import chart_marker

VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])  # "v6.4.1" -> "6.4"
MEDIAN_COLOUR = PALETTE[0]
AREA_LABEL_LIMIT = 330  # pixels: room for the longest area name
# vl-convert measures every label with the font named here, its own built-in copy of Liberation
# Sans (``start_engine`` keeps system fonts out); Arimo, Arial and Helvetica share its letter
# widths, so a browser drawing the labels with any of them puts them where they were measured,
# and the padding leaves room for a wider fallback.
FONT = "Liberation Sans, Arimo, Arial, Helvetica, sans-serif"
HEAT_RANGE = ("#f2f7fb", PALETTE[3])  # heatmap cells: from near white to the palette's blue
INKS = ("#111111", "#ffffff")  # cell numbers: whichever contrasts more with the cell
HEADER_LINE = 12  # pixels per line of the heatmap's two-line column headers
PADDING = {"left": 40, "right": 40, "top": 5, "bottom": 5}


def _title_text(spec: Mapping[str, Any]) -> str:
    title = spec.get("title") or ""
    return title.get("text", "") if isinstance(title, dict) else str(title)


VEGA_ARIA = re.compile(r' (aria-label|aria-roledescription|role)="[^"]*"')


def accessible(svg: str, title: str, description: str) -> Markup:
    """The SVG as one image for screen readers: ``role="img"``, a ``<title>`` and a
    ``<desc>`` (vl-convert writes neither). Vega's labels for each mark and axis go: inside
    an image they are not read out, they are always English and they name data columns."""
    svg = VEGA_ARIA.sub("", svg)
    start = svg.index("<svg") + len("<svg")
    end = svg.index(">", start)
    return Markup(
        f'<svg role="img" aria-label="{escape(title)}"{svg[start:end]}>'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        f"{svg[end + 1 :]}"
    )


def to_svg(chart: alt.TopLevelMixin) -> Markup:
    """The chart as an accessible ``<svg>`` element ready to place in a page."""
    start_engine()
    spec = chart.to_dict()
    return accessible(
        vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION),
        _title_text(spec),
        spec.get("description", ""),
    )


@contextlib.contextmanager
def _no_system_fonts() -> Iterator[None]:
    """A font configuration naming only an empty folder, for as long as vl-convert loads its
    fonts: it reads the fontconfig file named by ``FONTCONFIG_FILE`` once, when it first
    measures text, and keeps the fonts it found for the rest of the process."""
    saved = os.environ.get("FONTCONFIG_FILE")
    with tempfile.TemporaryDirectory(prefix="eakit-fonts-") as folder:
        config = Path(folder, "fonts.conf")
        config.write_text(f"<fontconfig><dir>{escape(folder)}</dir></fontconfig>\n", "utf-8")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            yield
        finally:
            if saved is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = saved


FIRST_TEXT = {  # the smallest chart that measures a label
    "data": {"values": [{"t": "A"}]},
    "mark": "text",
    "encoding": {"text": {"field": "t"}},
}
_engine_lock = threading.Lock()
_engine_started = False


def start_engine() -> None:
    """Start vl-convert's JavaScript engine (a third of a CPU second, once per process; a
    batch calls this ahead, so that its first chart does not wait) with fonts of its own.

    Left alone, vl-convert would also load the system's fonts and prefer a system copy of
    Liberation Sans, which it reads from disk again for every label it measures (about 3 ms a
    label, most of a report's time); its built-in copy stays in memory, and draws the same on
    every machine."""
    global _engine_started
    with _engine_lock:
        if _engine_started:
            return
        vl_convert.vegalite_to_vega({"mark": "point"}, vl_version=VL_VERSION)
        with _no_system_fonts():  # the engine is up: this call only loads the fonts
            vl_convert.vegalite_to_svg(FIRST_TEXT, vl_version=VL_VERSION)
        _engine_started = True


class CompiledChart:
    """An Altair chart validated and compiled to Vega once, then drawn again with other rows.

    ``names`` names each of the chart's datasets by its columns (Altair names them by a hash
    of their rows); ``draw`` must be given rows for every one of them.
    """

    def __init__(self, chart: alt.TopLevelMixin, names: Mapping[frozenset[str], str]) -> None:
        start_engine()
        spec = chart.to_dict()
        text = json.dumps(spec)
        for old, rows in spec.get("datasets", {}).items():
            text = text.replace(json.dumps(old), json.dumps(names[frozenset(rows[0])]))
        self.title = _title_text(spec)
        self.datasets = set(json.loads(text).get("datasets", {}))
        self.vega = vl_convert.vegalite_to_vega(json.loads(text), vl_version=VL_VERSION)

    def draw(self, rows: Mapping[str, list[dict[str, Any]]], description: str) -> Markup:
        if set(rows) != self.datasets:
            raise ChartError(
                f"CompiledChart.draw: rows for {sorted(rows)}, but the chart "
                f"has datasets {sorted(self.datasets)}"
            )
        data = [
            {**entry, "values": rows[entry["name"]]} if entry.get("name") in rows else entry
            for entry in self.vega["data"]
        ]
        svg = vl_convert.vega_to_svg({**self.vega, "data": data, "description": description})
        return accessible(svg, self.title, description)


def median_ticks(placement: Placement, rows: list[dict[str, Any]]) -> alt.Chart:
    """The cohort's median level, a tick on each area that has one."""
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_tick(color=MEDIAN_COLOUR, opacity=1, thickness=4, size=16)
        .encode(
            y=alt.Y("area:N", sort=[d.name for d in placement.dimensions]),
            x=alt.X("median:Q"),
            tooltip=[alt.Tooltip("median:Q", title=say("chart.cohort_median"))],
        )
    )


# the chart's title by what it marks besides the bars: (cohort medians, targets)
TITLES = {
    (False, False): "chart.profile_title",
    (True, False): "chart.against_cohort_title",
    (False, True): "chart.with_target_title",
    (True, True): "chart.with_both_title",
}


def profile_with_marks(
    placement: Placement, medians: dict[str, float], cohort_size: int, targets: dict[str, int]
) -> alt.LayerChart:
    """The profile with the cohort's medians (ticks) and the business's targets (diamonds)
    on the areas that have them: one chart, so current and target read side by side."""
    medians_rows, goals = median_rows(placement, medians), target_rows(placement, targets)
    layers = [*profile_chart(placement).layer]
    if medians_rows:
        layers.append(median_ticks(placement, medians_rows))
    if goals:
        layers.append(target_marks(placement, goals))
    return described(
        alt.LayerChart(layer=layers),
        say(TITLES[bool(medians_rows), bool(goals)]),
        marks_description(placement, medians_rows, cohort_size, goals),
    )


def marks_description(
    placement: Placement,
    medians_rows: list[dict[str, Any]],
    cohort_size: int,
    goals: list[dict[str, Any]],
) -> str:
    """What the profile shows, in words: levels (or medians with them), then targets."""
    text = (
        median_description(medians_rows, cohort_size)
        if medians_rows
        else profile_description(placement)
    )
    return f"{text} {target_description(goals)}" if goals else text


def median_rows(placement: Placement, medians: dict[str, float]) -> list[dict[str, Any]]:
    return [
        {"area": d.name, "median": medians[d.dimension_id]}
        for d in placement.dimensions
        if d.dimension_id in medians
    ]


def median_description(rows: list[dict[str, Any]], cohort_size: int) -> str:
    described_medians = "; ".join(
        say("chart.area_level", area=r["area"], level=format_decimal(r["median"], "0.#"))
        for r in rows
    )
    return say("chart.against_cohort", count=cohort_size, medians=described_medians)


def for_print(chart: alt.TopLevelMixin, width: int = 320) -> alt.TopLevelMixin:
    """Room for the longest area name and a width that fits a portrait page."""
    return (
        chart.properties(width=width, padding=PADDING)
        .configure(font=FONT)
        .configure_axisY(labelLimit=AREA_LABEL_LIMIT)
    )


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ink(count: int, top: int) -> str:
    """The number's colour on a cell shaded for ``count`` of ``top`` (the scale is linear)."""
    share = count / top if top else 0.0
    low, high = HEAT_RANGE
    mixed = (
        int(low[i : i + 2], 16) * (1 - share) + int(high[i : i + 2], 16) * share for i in (1, 3, 5)
    )
    cell = "#" + "".join(f"{round(channel):02x}" for channel in mixed)
    contrast = [
        (max(_luminance(cell), _luminance(ink)) + 0.05)
        / (min(_luminance(cell), _luminance(ink)) + 0.05)
        for ink in INKS
    ]
    return INKS[contrast.index(max(contrast))]


def heatmap_chart(
    rows: list[HeatmapRow], level_labels: dict[int, str], minimum: int
) -> alt.LayerChart:
    """Areas down, levels across, each cell the number of businesses there; a group smaller
    than ``minimum`` (hidden by ``kit.core.cohort_stats``) shows as '<minimum' and is not shaded."""
    columns: dict[int | str, str] = {
        **{n: f"{n} {label}" for n, label in level_labels.items()},
        NOT_PLACED: say("explain.not_placed"),
    }
    top = max((count or 0 for row in rows for count in row.cells.values()), default=0)
    data = pd.DataFrame(
        [
            {
                "area": row.name,
                "level": columns[key],
                "businesses": count or 0,
                "shown": f"<{minimum}" if count is None else str(count),
                "ink": _ink(count or 0, top),
            }
            for row in rows
            for key, count in row.cells.items()
        ]
    )
    base = alt.Chart(data).encode(
        y=alt.Y("area:N", sort=[row.name for row in rows], title=None),
        x=alt.X(
            "level:N",
            sort=list(columns.values()),
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelLineHeight=HEADER_LINE,
                labelPadding=HEADER_LINE + 4,  # two lines above the cells
                labelExpr="split(datum.label, ' ')",
            ),
        ),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("businesses:Q", scale=alt.Scale(range=list(HEAT_RANGE)), legend=None),
        tooltip=["area", "level", "shown"],
    )
    text = base.mark_text().encode(text="shown:N", color=alt.Color("ink:N", scale=None))
    return described(
        alt.layer(cells, text).resolve_scale(color="independent"),
        say("chart.heatmap_title"),
        say("chart.heatmap", minimum=minimum),
    )


def level_distribution_chart(levels: list[LevelCount], minimum: int) -> alt.LayerChart:
    """Businesses per overall level, in level order; hidden small groups read '<minimum'."""
    data = pd.DataFrame(
        [
            {
                "level": f"{item.level} {item.label}" if item.level else item.label,
                "businesses": item.count or 0,
                "shown": f"<{minimum}" if item.count is None else str(item.count),
            }
            for item in levels
        ]
    )
    base = alt.Chart(data).encode(
        y=alt.Y("level:N", sort=list(data["level"]), title=None),
        x=alt.X("businesses:Q", title=say("chart.businesses"), axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar(color=PALETTE[3]).encode(tooltip=["level", "shown"])
    labels = base.mark_text(align="left", dx=4).encode(text="shown:N")
    return described(
        alt.LayerChart(layer=[bars, labels]).properties(width=360),
        say("chart.levels_title"),
        "; ".join(
            f"{level}: {shown}" for level, shown in zip(data["level"], data["shown"], strict=True)
        ),
    )


def business_profile(definitions: Definitions, inputs: dict[str, Any]) -> alt.TopLevelMixin:
    """A business report's chart from the inputs the report left (``report_view``): its
    levels, with the cohort median and its targets marked where it has them."""
    placement = score_valid_answers(definitions, inputs["answers"])
    return profile_with_marks(
        placement, inputs["medians"], inputs["cohort_size"], inputs.get("targets") or {}
    )


PROFILE_DATASETS = {
    frozenset(("area", "level", "label", "score")): "profile",
    frozenset(("overall",)): "overall",
    frozenset(("area", "median")): "medians",
    frozenset(("area", "target")): "targets",
}
_compiled: dict[tuple[int, bool, bool, bool], tuple[Definitions, CompiledChart]] = {}
_compiling = threading.Lock()


def profile_svg(definitions: Definitions, inputs: dict[str, Any]) -> Markup:
    """``business_profile`` drawn as SVG from a chart compiled once per process and shape
    (with or without medians, an overall level, targets)."""
    placement = score_valid_answers(definitions, inputs["answers"])
    rows = {"profile": profile_rows(placement)}
    if placement.overall_level:
        rows["overall"] = [{"overall": placement.overall_level}]
    if medians := median_rows(placement, inputs["medians"]):
        rows["medians"] = medians
    if goals := target_rows(placement, inputs.get("targets") or {}):
        rows["targets"] = goals
    key = (id(definitions), bool(medians), bool(placement.overall_level), bool(goals))
    chart = _compiled_profile(key, definitions, inputs)
    return chart.draw(rows, marks_description(placement, medians, inputs["cohort_size"], goals))


def _compiled_profile(
    key: tuple[int, bool, bool, bool], definitions: Definitions, inputs: dict[str, Any]
) -> CompiledChart:
    """The profile chart of this shape, compiled by the first thread that needs it: building
    one takes about 0.3 CPU seconds, and a batch's worker threads all reach their first
    chart together."""
    cached = _compiled.get(key)
    if cached is None or cached[0] is not definitions:
        with _compiling:
            cached = _compiled.get(key)
            if cached is None or cached[0] is not definitions:
                chart = business_profile(definitions, inputs)
                cached = _compiled[key] = (
                    definitions,
                    CompiledChart(for_print(chart), PROFILE_DATASETS),
                )
    return cached[1]


FIGURES: dict[str, Callable[[Definitions, dict[str, Any]], Markup]] = {
    "profile": profile_svg,
}


def draw_charts(
    html: str, charts: dict[str, dict[str, Any]], definitions: Definitions | None = None
) -> str:
    """Replace each chart's marker in a report body by the chart as inline SVG (scored with
    the definitions the report used: the bundled ones unless told otherwise)."""
    definitions = definitions or bundled_definitions()
    for name, inputs in charts.items():
        figure = FIGURES.get(name)
        if figure is None:
            raise ReportError(
                f"the report asks for an unknown chart {name!r} (known: {', '.join(FIGURES)})"
            )
        with use_language(inputs.get("language")) as code:
            drawn = figure(localize(definitions, code), inputs)
        html = html.replace(chart_marker(name), drawn, 1)
    return html
