"""One explorer for every exercise: named controls -> a pure function -> one output area.

Modelled on ``ipywidgets.interactive``: an exercise declares its controls by name, hands over a
pure function taking those names as keyword arguments, and a ``show`` function turning the
result into what a participant reads (tables, Markdown, charts). The explorer calls the function
whenever a control changes (or, with a button, when it is pressed), keeps the return value in
``.result`` and draws ``show(result)`` into ``.output``. A ``KitError`` (an empty transcript, a
weight of 0 everywhere) is written into the output as plain text and kept in ``.error``, never
as a traceback, so the participant corrects the input and carries on.

Tests and lessons reach a control by its name, ``explorer.controls["alignment_floor"].value = 3``,
never by its position on screen. The explorer is itself a ``VBox``, so a lesson cell that ends
with it shows it, as it would show ``interactive``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

import ipywidgets as ipw
from IPython.display import display

from kit.errors import KitError

Result = TypeVar("Result")
ERROR_PREFIX = "Check your input: "


class Control(Protocol):
    """Anything with a ``value`` that can be observed: an ipywidgets control or a table editor."""

    value: Any

    def observe(self, handler: Callable[[Any], None], names: str) -> None: ...


class Explorer(ipw.VBox, Generic[Result]):
    """Controls by name, the pure function they feed, and the one output that shows its result.

    ``compute(**values)`` must only compute; ``show(result)`` returns what to display, in order.
    ``body`` lays the controls out (with any labels); by default they are stacked in order.
    ``button`` turns live updates into a press of a button with that label, for exercises where
    the participant should finish choosing first; ``run_now=False`` leaves the output empty until
    then (a matching quiz must not show its answers before it is tried).
    """

    def __init__(
        self,
        compute: Callable[..., Result],
        controls: Mapping[str, Control],
        show: Callable[[Result], Sequence[object]],
        *,
        body: Sequence[ipw.Widget] | None = None,
        header: ipw.Widget | None = None,
        button: str | None = None,
        run_now: bool = True,
    ) -> None:
        self.controls: dict[str, Control] = dict(controls)
        self.compute = compute
        self.show = show
        self.output = ipw.Output()
        self.result: Result | None = None
        self.error: str | None = None
        self.button = ipw.Button(description=button, button_style="primary") if button else None
        parts = [
            *([header] if header is not None else []),
            *(list(self.controls.values()) if body is None else body),
            *([self.button] if self.button is not None else []),
            self.output,
        ]
        super().__init__(parts)
        if self.button is not None:
            self.button.on_click(lambda _: self.update())
        else:
            for control in self.controls.values():
                control.observe(lambda _: self.update(), names="value")
        if run_now:
            self.update()

    def values(self) -> dict[str, Any]:
        """What the controls hold now, by name: the keyword arguments ``compute`` receives."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self) -> None:
        """Recompute from the controls and redraw; a ``KitError`` becomes a line of text."""
        try:
            result = self.compute(**self.values())
            shown = self.show(result)
        except KitError as exc:
            self.result, self.error = None, str(exc)
        else:
            self.result, self.error = result, None
        with self.output:
            self.output.clear_output(wait=True)
            if self.error is not None:
                print(ERROR_PREFIX + self.error)
            else:
                display(*shown)
