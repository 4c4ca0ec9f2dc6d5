"""The report notebook's one call: load a business from the store and show its report.

The notebook receives three checked ids as papermill parameters and nothing else; this module
reads the answers, the business's history and its workshop's latest answers through ``Store``.

Charts are the one costly part (Altair, pandas and vl-convert's JavaScript engine take about a
second of CPU to load). Run by hand, the report draws its chart itself. The batch starts its
kernels with ``EAKIT_REPORT_CHARTS=renderer``: the kernel then leaves a marker in the page and
the chart's inputs in the output's metadata, and the batch worker, which keeps those libraries
loaded, draws the chart into the page (``ReportView.drawn``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from kit.core.cohort_stats import MIN_GROUP
from kit.core.definitions import Definitions
from kit.core.ids import check_business_id, check_workshop_code
from kit.core.language import SOURCE, use_language
from kit.core.messages import say
from kit.errors import ReportError
from kit.reports.context import BusinessReport, CohortView, build_business_report
from kit.reports.html import chart_marker, render
from kit.reports.workshop import respondent_submissions
from kit.settings import CHARTS_VARIABLE
from kit.store.database import Store

REPORT_METADATA_KEY = "eakit_report"
LEAVE_TO_RENDERER = "renderer"


@dataclass(frozen=True)
class ReportView:
    """A report as notebook output: the HTML body; the page title and any charts still to
    draw (name -> JSON inputs) travel as output metadata for the batch."""

    title: str
    html: str
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    language: str = SOURCE

    def drawn(self, definitions: Definitions | None = None) -> ReportView:
        """The same report with every chart drawn in as SVG."""
        from kit.reports.charts import draw_charts

        return ReportView(
            self.title, draw_charts(self.html, self.charts, definitions), language=self.language
        )

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        return (
            {"text/html": self.html, "text/plain": self.title},
            {
                REPORT_METADATA_KEY: {
                    "title": self.title,
                    "charts": self.charts,
                    "language": self.language,
                }
            },
        )


def load_report(
    store: Store, workshop: str, business_id: str, cohort: CohortView | None = None
) -> BusinessReport:
    """The report on a business's latest submission in a workshop, with its other
    respondents' newest there and its current targets (compared with ``cohort``, else with
    the workshop as the store holds it now)."""
    history = store.history(business_id)
    current = max(
        (record for record in history if record.workshop == workshop),
        key=lambda record: record.id,
        default=None,
    )
    if current is None:
        raise ReportError(
            f"workshop {workshop!r}: business {business_id!r} has no submission "
            f"in the store {store.url}"
        )
    if cohort is None:
        cohort = CohortView.of(store.definitions, respondent_submissions(store, workshop))
    return build_business_report(
        store.definitions, current, history, cohort, targets=store.targets(business_id)
    )


def checked_cohort(definitions: Definitions, value: Any) -> CohortView:
    """The ``cohort`` parameter a batch passes (``{"size": n, "medians": {area id: level}}``),
    checked: whole and known numbers only, and no medians for a group under ``MIN_GROUP``."""
    top = max(level.number for level in definitions.model.levels)
    size = value.get("size") if isinstance(value, dict) else None
    medians = value.get("medians") if isinstance(value, dict) else None
    if (
        type(size) is not int
        or size < 0
        or not isinstance(medians, dict)
        or (medians and size < MIN_GROUP)
        or any(
            key not in definitions.dimensions
            or type(level) not in (int, float)
            or not 0 <= level <= top
            for key, level in medians.items()
        )
    ):
        raise ReportError(
            f"the cohort parameter must be {{'size': n, 'medians': {{area id: "
            f"level}}}} with known areas and levels from 0 to {top}, and no "
            f"medians for fewer than {MIN_GROUP} businesses"
        )
    return CohortView(size, {key: float(level) for key, level in medians.items()})


def cohort_parameter(view: CohortView) -> dict[str, Any]:
    """A ``CohortView`` as the report notebook's ``cohort`` parameter (plain JSON)."""
    return {"size": view.size, "medians": dict(view.medians)}


def report_body(report: BusinessReport) -> str:
    """The report as an HTML fragment (``<article>``) with a marker where its chart goes."""
    if report.comparison_shown:
        caption = say("report.chart_with_cohort", count=report.cohort_size)
    else:
        caption = say("report.chart_alone", minimum=MIN_GROUP)
    if report.targets_shown:
        caption += " " + say("report.chart_targets")
    return render(
        "business_report.html.j2", r=report, chart=chart_marker("profile"), chart_caption=caption
    )


def report_title(report: BusinessReport) -> str:
    return say("report.title", name=report.name)


def report_view(report: BusinessReport) -> ReportView:
    """The report with its chart still to draw."""
    inputs = {
        "answers": report.answers,
        "medians": report.medians,
        "cohort_size": report.cohort_size,
        "targets": report.targets,
        "language": report.language,
    }
    return ReportView(
        report_title(report), report_body(report), {"profile": inputs}, report.language
    )


def business_report(
    database_url: str | None,
    workshop: str,
    business_id: str,
    cohort: dict[str, Any] | None = None,
    language: str | None = None,
) -> ReportView:
    """Check the ids, load the business and return its report for display, in the language
    the business chose (else ``language``, the workshop's). ``cohort`` is what a batch worked
    out once about the workshop (``cohort_parameter``); without it the workshop is read from
    the store and scored here."""
    reason = check_workshop_code(workshop) or check_business_id(business_id)
    if reason:
        raise ReportError(reason)
    with Store.open(database_url) as store:
        cohort_view = None if cohort is None else checked_cohort(store.definitions, cohort)
        with use_language(store.language(business_id) or language):
            view = report_view(load_report(store, workshop, business_id, cohort_view))
        definitions = store.definitions
    if os.environ.get(CHARTS_VARIABLE) == LEAVE_TO_RENDERER:
        return view
    return view.drawn(definitions)
