"""Lay reports out as HTML with Jinja2 templates that escape every value.

Business names and anything else a participant typed reach a page only as template variables,
so autoescaping shows ``<script>`` as text. The only markup let through unescaped is the SVG that
vl-convert draws (it escapes its own labels) and a report body being wrapped into its page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from kit.charts.palette import css_custom_properties
from kit.paths import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "reports" / "templates"


def _day(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.filters["day"] = _day
# report.css takes every colour from the chart palette through these custom properties, so a
# page and its charts cannot drift apart (``--eakit-blue`` is ``OKABE_ITO["blue"]``...).
ENVIRONMENT.globals["palette_css"] = Markup(css_custom_properties())


def render(template: str, **values: Any) -> str:
    """Fill a template from ``kit/reports/templates`` (every value escaped unless Markup)."""
    return ENVIRONMENT.get_template(template).render(**values)


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML document around a rendered report body."""
    return render("page.html.j2", title=title, body=Markup(body))


def chart_marker(name: str) -> Markup:
    """Where a chart goes in a page until it is drawn (data is escaped, so no name can fake
    one)."""
    return Markup(f"<!--eakit-chart:{name}-->")
