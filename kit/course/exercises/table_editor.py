"""A widget for editing one row of a score table at a time: pick the row, move its sliders.

Exercises that rate items on a fixed scale (touchpoints, automation opportunities) let
participants change the ratings and watch the result move. This editor keeps the table and the
sliders in step, so each exercise only says what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets
import pandas as pd

_STYLE = {"description_width": "12em"}
_WIDE = widgets.Layout(width="32em")


class ScoreTableEditor:
    """A drop-down of row labels and one slider per score column, writing into ``table``."""

    def __init__(self, table: pd.DataFrame, label: str, columns: Mapping[str, str],
                 low: int, high: int) -> None:
        self.table = table.copy()
        self.label = label
        self.picker = widgets.Dropdown(options=list(self.table[label]), description=label.title(),
                                       style=_STYLE, layout=_WIDE)
        self.sliders = {column: widgets.IntSlider(min=low, max=high, description=text,
                                                  style=_STYLE, layout=_WIDE)
                        for column, text in columns.items()}
        self._listeners: list[Callable[[], None]] = []
        self._load()
        for column, slider in self.sliders.items():
            slider.observe(self._store(column), names="value")
        self.picker.observe(lambda _: self._load(), names="value")
        self.widget = widgets.VBox([self.picker, *self.sliders.values()])

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every edit to the table."""
        self._listeners.append(listener)

    def _row(self) -> pd.Index:
        return self.table.index[self.table[self.label] == self.picker.value]

    def _load(self) -> None:
        # Each slider writes only its own column, so loading a row one slider at a time never
        # mixes values from two rows.
        for column, slider in self.sliders.items():
            slider.value = int(self.table.loc[self._row(), column].iloc[0])

    def _store(self, column: str) -> Callable[[dict], None]:
        def store(change: dict) -> None:
            self.table.loc[self._row(), column] = change["new"]
            for listener in self._listeners:
                listener()
        return store
