"""The report notebook's one call: load a business from the store and show its report.

The notebook receives three checked ids as papermill parameters and nothing else; this module
reads the answers, the business's history and its workshop's latest answers through ``Store``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.charts import profile_chart
from kit.cohort import check_business_id
from kit.dashboard import MIN_GROUP
from kit.errors import ReportError
from kit.reports.charts import for_print, profile_against_cohort, to_svg
from kit.reports.context import BusinessReport, build_business_report
from kit.reports.html import render
from kit.store import Store, check_workshop_code

REPORT_METADATA_KEY = "eakit_report"


@dataclass(frozen=True)
class ReportView:
    """A rendered report as notebook output: the HTML body, and the page title as metadata
    so the batch can wrap the body into a page without reading it."""

    title: str
    html: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return ({"text/html": self.html, "text/plain": self.title},
                {REPORT_METADATA_KEY: {"title": self.title}})


def load_report(store: Store, workshop: str, business_id: str) -> BusinessReport:
    """The report on a business's latest submission in a workshop."""
    cohort = store.latest_submissions(workshop)
    current = next((record for record in cohort if record.business_id == business_id), None)
    if current is None:
        raise ReportError(f"workshop {workshop!r}: business {business_id!r} has no submission "
                          f"in the store {store.url}")
    return build_business_report(store.definitions, current, store.history(business_id), cohort)


def report_body(report: BusinessReport) -> str:
    """The report as an HTML fragment (``<article>``), with its chart as inline SVG."""
    medians = {area.dimension_id: area.cohort_median for area in report.areas
               if area.cohort_median is not None}
    if report.comparison_shown:
        chart = profile_against_cohort(report.placement, medians, report.cohort_size)
        caption = (f"Bars: your level in each area. Orange marks: the median level of the "
                   f"{report.cohort_size} businesses in this workshop.")
    else:
        chart = profile_chart(report.placement)
        caption = (f"Bars: your level in each area. The comparison with your workshop appears "
                   f"when at least {MIN_GROUP} businesses took part, so nobody can be singled "
                   "out.")
    return render("business_report.html.j2", r=report, chart=to_svg(for_print(chart)),
                  chart_caption=caption, chart_description=chart.description)


def report_title(report: BusinessReport) -> str:
    return f"{report.name}: ethical automation maturity report"


def business_report(database_url: str | None, workshop: str, business_id: str) -> ReportView:
    """Check the ids, load the business and return its report for display."""
    reason = check_workshop_code(workshop) or check_business_id(business_id)
    if reason:
        raise ReportError(reason)
    with Store.open(database_url) as store:
        report = load_report(store, workshop, business_id)
    return ReportView(report_title(report), report_body(report))
