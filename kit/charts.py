"""Small Altair helpers every lesson shares, so all charts look alike and stay accessible.

Two rules hold for every chart the course draws: colours come from the Okabe-Ito palette, which
stays distinguishable for the common forms of colour blindness, and every chart carries a title
and a text description (read out by screen readers and shown in exported reports).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from kit.errors import KitError

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Categorical order: strong colours first; yellow (weak on white) and black last.
PALETTE: tuple[str, ...] = tuple(OKABE_ITO.values())


class ChartError(KitError):
    """Raised when a chart would be drawn without a title or description, or with too many
    categories for the palette."""


def color_scale(domain: Sequence[str]) -> alt.Scale:
    """A categorical colour scale that pins each category to one palette colour."""
    domain = list(domain)
    if len(domain) > len(PALETTE):
        raise ChartError(f"color_scale: {len(domain)} categories but the palette has "
                         f"{len(PALETTE)} colours; group the smaller ones")
    return alt.Scale(domain=domain, range=list(PALETTE[: len(domain)]))


def described(chart: alt.TopLevelMixin, title: str, description: str) -> alt.TopLevelMixin:
    """Give a chart its title and text description; both are required."""
    if not title.strip() or not description.strip():
        raise ChartError("described: a chart needs a non-empty title and description")
    return chart.properties(title=title, description=description)


def bar_chart(data: pd.DataFrame, *, category: str, value: str, title: str, description: str,
              color: str | None = None, value_title: str | None = None) -> alt.Chart:
    """Horizontal bars, longest first, with a tooltip; ``color`` names a column to colour by."""
    encoding = {
        "y": alt.Y(f"{category}:N", sort="-x", title=None),
        "x": alt.X(f"{value}:Q", title=value_title or value),
        "tooltip": list(data.columns),
    }
    if color is None:
        encoding["color"] = alt.value(PALETTE[3])
    else:
        encoding["color"] = alt.Color(f"{color}:N", scale=color_scale(_in_order(data[color])))
    return described(alt.Chart(data).mark_bar().encode(**encoding), title, description)


def grouped_bar_chart(data: pd.DataFrame, *, category: str, value: str, group: str, title: str,
                      description: str, value_title: str | None = None) -> alt.Chart:
    """Bars for several groups side by side within each category (e.g. business vs social)."""
    scale = color_scale(_in_order(data[group]))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=_in_order(data[category])),
        x=alt.X(f"{value}:Q", title=value_title or value),
        yOffset=alt.YOffset(f"{group}:N", sort=scale.domain),
        color=alt.Color(f"{group}:N", scale=scale, title=group),
        tooltip=list(data.columns),
    )
    return described(chart, title, description)


def _in_order(column: pd.Series) -> list[str]:
    """Distinct values in first-seen order, so colours follow the data, not the alphabet."""
    return [str(value) for value in pd.unique(column)]
