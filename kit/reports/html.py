"""Lay reports out as HTML with Jinja2 templates that escape every value.

Business names and anything else a participant typed reach a page only as template variables,
so autoescaping shows ``<script>`` as text. The only markup let through unescaped is the SVG that
vl-convert draws (it escapes its own labels) and a report body being wrapped into its page.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from kit.charts.palette import css_custom_properties
from kit.core.language import current_language, format_date, format_decimal
from kit.core.messages import say, template
from kit.paths import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "reports" / "templates"


def say_html(key: str, **values: Any) -> Markup:
    """``say`` for a page: the text is escaped, values that are ``Markup`` (a ``span``) are
    placed as they are and every other value is escaped."""
    return escape(template(key, values.get("count"))).format(**values)


def span(css_class: str, value: object) -> Markup:
    return Markup('<span class="{}">{}</span>').format(css_class, value)


ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.filters["day"] = format_date
ENVIRONMENT.filters["decimal"] = format_decimal
# Every word on a page comes from content/messages.yaml through these, in the language in force.
ENVIRONMENT.globals.update(say=say, say_html=say_html, span=span, language=current_language)
# report.css takes every colour from the chart palette through these custom properties, so a
# page and its charts cannot drift apart (``--eakit-blue`` is ``OKABE_ITO["blue"]``...).
ENVIRONMENT.globals["palette_css"] = Markup(css_custom_properties())


def render(template: str, **values: Any) -> str:
    """Fill a template from ``kit/reports/templates`` (every value escaped unless Markup)."""
    return ENVIRONMENT.get_template(template).render(**values)


def page(title: str, body: str, language: str | None = None) -> str:
    """A complete, self-contained HTML document around a rendered report body, in
    ``language`` (default: the one in force)."""
    return render(
        "page.html.j2", title=title, body=Markup(body), lang=language or current_language()
    )


def chart_marker(name: str) -> Markup:
    """Where a chart goes in a page until it is drawn (data is escaped, so no name can fake
    one)."""
    return Markup(f"<!--eakit-chart:{name}-->")
