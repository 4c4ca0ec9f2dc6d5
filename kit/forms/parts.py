"""Small pieces every panel of the form is built from: classed widgets, headings, messages.

Kept apart so each panel module (``assessment``, ``targets``) draws its headings and messages
the same way; every text is escaped here.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

FULL_WIDTH = widgets.Layout(width="100%")


def classed(widget: widgets.DOMWidget, *names: str) -> widgets.DOMWidget:
    """Give a widget stable ``eakit-*`` CSS classes, which browser tests and themes rely on."""
    for name in names:
        widget.add_class(f"eakit-{name}")
    return widget


def heading(text: str, level: int = 2) -> widgets.HTML:
    """A step's heading, focusable from script so keyboard focus can be moved to it."""
    return widgets.HTML(
        f"<h{level} class='eakit-step-heading' tabindex='-1'>{escape(text)}</h{level}>"
    )


def problems_html(title: str, problems: list[str]) -> str:
    """An alert with a bold title and the problems as a list."""
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    listed = f"<ul>{items}</ul>" if items else ""
    return f"<div role='alert' class='eakit-alert'><p><b>{escape(title)}</b></p>{listed}</div>"


def status_html(notes: list[str]) -> str:
    """Notes read out politely (``role=status``), one paragraph each."""
    return "".join(f"<p role='status'>{escape(n)}</p>" for n in notes)
