"""The apps' stylesheets, kept as CSS files beside this module and sent inline with the page.

Voila serves nothing but the app notebook, so a stylesheet cannot be linked; each app puts
its CSS, with the palette's colours as custom properties, into one ``<style>`` element.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kit.charts.palette import css_custom_properties

STYLES_DIR = Path(__file__).resolve().parent


@cache
def style_tag(app: str) -> str:
    """The ``<style>`` element for one app (``assessment`` or ``dashboard``)."""
    css = (STYLES_DIR / f"{app}.css").read_text(encoding="utf-8")
    return f"<style>\n{css_custom_properties()}\n{css}</style>"
