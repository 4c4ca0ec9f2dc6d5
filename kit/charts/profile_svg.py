"""A business's maturity profile drawn straight as SVG text, for the workshop app's result.

The Altair profile (``kit.charts.builders.profile_chart``) needs Altair, pandas and vl-convert's
JavaScript engine in the process that draws it: about 140 MB more in every participant's kernel
(measured with ``benchmarks/voila_load.py``). The app draws the same picture (one bar per area at
its level, labelled with the level's name, a dashed line at the overall level, the Okabe-Ito
colours, a title and a text description for screen readers) without any of them. Reports keep
the Altair chart, which they extend with the cohort's median.
"""

from __future__ import annotations

from html import escape

from kit.charts.palette import OKABE_ITO
from kit.core.explain import dimension_status
from kit.core.messages import say
from kit.core.scoring import Placement

ROW = 30  # height of one area's row
LABELS = 190  # width of the area names on the left
PLOT = 240  # width of the bars at the top level
STATUS = 190  # room right of the bars for the level's name
TOP = 34  # title
AXIS = 46  # tick numbers and the axis title below the bars
BAR = OKABE_ITO["blue"]
TEXT = OKABE_ITO["black"]
OVERALL = OKABE_ITO["vermillion"]


def _text(x: float, y: float, content: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f"<text x='{x:g}' y='{y:g}' text-anchor='{anchor}' fill='{TEXT}'{extra}>"
        f"{escape(content)}</text>"
    )


def profile_description(placement: Placement) -> str:
    """What the chart shows, in one sentence per part (read out instead of the picture)."""
    overall = placement.overall_level
    summary = (
        say("chart.overall", label=placement.overall_label, level=overall)
        if overall
        else say("chart.no_overall")
    )
    areas = "; ".join(
        say("chart.area_level", area=d.name, level=dimension_status(placement, d))
        for d in placement.dimensions
    )
    return say("chart.described", summary=summary, areas=areas)


def profile_svg(placement: Placement, chart_id: str = "eakit-profile") -> str:
    """The profile as an ``<svg>`` element; every text in it is escaped."""
    levels = sorted(placement.level_labels)
    top = max(levels)
    width = LABELS + PLOT + STATUS
    plot_bottom = TOP + ROW * len(placement.dimensions)
    height = plot_bottom + AXIS

    def x(level: float) -> float:
        return LABELS + PLOT * level / top

    title = say("chart.profile_title")
    parts = [_text(0, 20, title, extra=" font-weight='bold' font-size='15'")]
    for row, result in enumerate(placement.dimensions):
        middle = TOP + ROW * row + ROW / 2
        parts.append(_text(LABELS - 8, middle + 4, result.name, anchor="end"))
        end = x(result.level or 0)
        if result.level:
            parts.append(
                f"<rect x='{LABELS}' y='{middle - 9:g}' width='{end - LABELS:g}' "
                f"height='18' fill='{BAR}'/>"
            )
        parts.append(_text(end + 4, middle + 4, dimension_status(placement, result)))
    parts.append(
        f"<line x1='{LABELS}' y1='{plot_bottom}' x2='{x(top):g}' y2='{plot_bottom}' "
        f"stroke='{TEXT}'/>"
    )
    for level in [0, *levels]:
        parts.append(_text(x(level), plot_bottom + 16, str(level), anchor="middle"))
    legend = ", ".join(f"{n} {placement.level_labels[n]}" for n in levels)
    parts.append(
        _text(
            LABELS + PLOT / 2,
            plot_bottom + 36,
            say("chart.level_axis", legend=legend),
            anchor="middle",
        )
    )
    if placement.overall_level:
        at = x(placement.overall_level)
        parts.append(
            f"<line class='eakit-overall' x1='{at:g}' y1='{TOP - 4}' x2='{at:g}' "
            f"y2='{plot_bottom}' stroke='{OVERALL}' stroke-width='2' "
            "stroke-dasharray='6 3'/>"
        )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' role='img' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' font-family='sans-serif' font-size='12' "
        f"aria-labelledby='{chart_id}-title {chart_id}-desc'>"
        f"<title id='{chart_id}-title'>{escape(title)}</title>"
        f"<desc id='{chart_id}-desc'>{escape(profile_description(placement))}</desc>"
        + "".join(parts)
        + "</svg>"
    )
