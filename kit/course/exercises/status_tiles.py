"""A column of labelled tiles, one per rule or checklist item, coloured by its status.

Checkers and checklists report "which items pass" rather than quantities, so a bar length would
mean nothing; a tile with the status written on it reads at a glance and does not depend on
colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from kit.charts.builders import described


def status_tiles(
    table: pd.DataFrame,
    *,
    label: str,
    status: str,
    colours: Mapping[str, str],
    tooltip: list[str],
    title: str,
    description: str,
) -> alt.LayerChart:
    """One row per ``label`` in table order, a tile coloured by ``status`` with the status text."""
    base = alt.Chart(table.assign(tile=1)).encode(
        y=alt.Y(f"{label}:N", title=None, sort=None),
        x=alt.X("tile:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
    )
    tiles = base.mark_bar().encode(
        color=alt.Color(
            f"{status}:N",
            title=status.replace("_", " ").capitalize(),
            scale=alt.Scale(domain=list(colours), range=list(colours.values())),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(align="right", dx=-6, color="black", fontWeight="bold").encode(
        text=f"{status}:N"
    )
    return described((tiles + text).properties(width=140), title, description)
