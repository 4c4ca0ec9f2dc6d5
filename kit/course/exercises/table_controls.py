"""Controls whose value is a whole table, so an explorer treats an editable table as one input.

Several exercises let participants change a table (re-rate a touchpoint, tick a safeguard,
slide a task's automatable share) and watch the result move. Each control here keeps a
``pandas.DataFrame`` in its ``value`` trait and replaces it with an edited copy on every change,
so ``Explorer`` observes it like any slider and passes the current table to a pure function.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from html import escape
from typing import Any

import ipywidgets as ipw
import pandas as pd
import traitlets

STYLE = {"description_width": "12em"}
WIDE = ipw.Layout(width="32em")


class TableControl(ipw.VBox):
    """A box of widgets editing one table; ``value`` is the table as edited so far."""

    value = traitlets.Instance(pd.DataFrame)

    def _set_cell(self, key: str, row: object, column: str, change: dict[str, Any]) -> None:
        """Write one cell (the row whose ``key`` is ``row``), notifying only on a change."""
        rows = self.value[key] == row
        if (self.value.loc[rows, column] == change["new"]).all():
            return
        table = self.value.copy()
        table.loc[rows, column] = change["new"]
        self.value = table


class ScoreTableEditor(TableControl):
    """A drop-down of row labels and one slider per score column: edit one row at a time."""

    def __init__(
        self, table: pd.DataFrame, label: str, columns: Mapping[str, str], low: int, high: int
    ) -> None:
        self.picker = ipw.Dropdown(
            options=list(table[label]), description=label.title(), style=STYLE, layout=WIDE
        )
        self.sliders = {
            column: ipw.IntSlider(min=low, max=high, description=text, style=STYLE, layout=WIDE)
            for column, text in columns.items()
        }
        super().__init__([self.picker, *self.sliders.values()], value=table.copy())
        self._load(label)
        for column, slider in self.sliders.items():
            slider.observe(partial(self._set_picked, label, column), names="value")
        self.picker.observe(lambda _: self._load(label), names="value")

    def _set_picked(self, label: str, column: str, change: dict[str, Any]) -> None:
        self._set_cell(label, self.picker.value, column, change)

    def _load(self, label: str) -> None:
        # Loading writes each slider's own column back unchanged, so no edit is reported.
        row = self.value.loc[self.value[label] == self.picker.value].iloc[0]
        for column, slider in self.sliders.items():
            slider.value = int(row[column])


class ColumnSliders(TableControl):
    """One slider per row for one numeric column, e.g. the share of each task a tool takes."""

    def __init__(self, table: pd.DataFrame, label: str, column: str, **slider: Any) -> None:
        self.sliders = {
            name: ipw.FloatSlider(value=value, description=str(name), **slider)
            for name, value in zip(table[label], table[column], strict=True)
        }
        super().__init__(list(self.sliders.values()), value=table.copy())
        for name, control in self.sliders.items():
            control.observe(partial(self._set_cell, label, name, column), names="value")


class CheckboxGrid(TableControl):
    """A row of check boxes per table row, one per True/False column, under the row's label."""

    def __init__(self, table: pd.DataFrame, label: str, columns: Mapping[str, str]) -> None:
        self.boxes = {
            (row[label], column): ipw.Checkbox(
                value=bool(row[column]), description=text, indent=False
            )
            for _, row in table.iterrows()
            for column, text in columns.items()
        }
        rows = [
            ipw.VBox(
                [
                    ipw.HTML(f"<b>{escape(str(name))}</b>"),
                    ipw.HBox([self.boxes[name, column] for column in columns]),
                ]
            )
            for name in table[label]
        ]
        super().__init__(rows, value=table.copy())
        for (name, column), box in self.boxes.items():
            box.observe(partial(self._set_cell, label, name, column), names="value")
