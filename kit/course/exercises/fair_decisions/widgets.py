"""Fairness explorers: one applicant's reasons, two measures side by side, and a governance
record to fill in and download."""

from __future__ import annotations

import base64
from html import escape

import ipywidgets as ipw
from IPython.display import HTML, Markdown

from kit.course.exercises.customer_relationships.data import load_applications
from kit.course.exercises.customer_relationships.data import load_samples as load_loan_samples
from kit.course.exercises.fair_decisions.calc import (
    DEFAULT_GAP_POINTS,
    Explanation,
    FairnessComparison,
    compare_fairness,
    explain_applicants,
    governance_record,
    record_markdown,
)
from kit.course.exercises.fair_decisions.charts import fairness_chart
from kit.course.exercises.fair_decisions.data import GovernanceRecord, load_samples, outcome_case
from kit.course.explorer import Explorer

_STYLE = {"description_width": "16em"}
_WIDE = ipw.Layout(width="46em")
MEASURE_ROWS = 3


def _explain(applicant_id: str) -> Explanation:
    return explain_applicants(
        load_applications(), load_loan_samples().loan_scoring, [applicant_id]
    )[0]


def explanation_explorer(applicant_id: str | None = None) -> Explorer[Explanation]:
    """Pick an applicant; read the points behind the decision and what would change it."""
    ids = load_applications()["applicant_id"].tolist()
    picker = ipw.Dropdown(
        options=ids,
        value=applicant_id or load_samples().explained_applicants[0],
        description="Applicant",
    )
    return Explorer(
        _explain, {"applicant_id": picker}, lambda explanation: [Markdown(explanation.text())]
    )


def _comparison(case_id: str, gap_allowed: int) -> FairnessComparison:
    return compare_fairness(outcome_case(case_id).groups, gap_allowed)


def fairness_explorer(case_id: str | None = None) -> Explorer[FairnessComparison]:
    """Pick a case and a tolerated gap; both measures, their verdicts and a chart follow."""
    cases = load_samples().outcome_cases
    controls = {
        "case_id": ipw.Dropdown(
            options=[(case.title, case.id) for case in cases],
            value=case_id or cases[0].id,
            description="Case",
            layout=_WIDE,
        ),
        "gap_allowed": ipw.IntSlider(
            value=DEFAULT_GAP_POINTS,
            min=0,
            max=50,
            description="Largest gap accepted (points)",
            style=_STYLE,
            layout=_WIDE,
        ),
    }
    return Explorer(
        _comparison,
        controls,
        lambda result: [result.table(), Markdown(result.verdict()), fairness_chart(result)],
    )


def download_link(text: str, filename: str) -> HTML:
    """A link that saves ``text`` as a file from the browser, with no server involved."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return HTML(
        f'<a download="{escape(filename)}" href="data:text/markdown;base64,{data}">'
        f"Download {escape(filename)}</a>"
    )


def _record(**values: object) -> GovernanceRecord:
    measures = [
        (str(values.pop(f"measure_{n}")), str(values.pop(f"alert_{n}")))
        for n in range(1, MEASURE_ROWS + 1)
    ]
    return governance_record(measures=measures, **values)  # type: ignore[arg-type]


def governance_form(start_from_example: bool = True) -> Explorer[GovernanceRecord]:
    """Fill in who answers for a decision and how it is watched; press Build, then download."""
    example = load_samples().governance_example

    def text(name: str, label: str) -> ipw.Text:
        value = str(getattr(example, name)) if start_from_example else ""
        return ipw.Text(value=value, description=label, style=_STYLE, layout=_WIDE)

    controls: dict[str, ipw.Widget] = {
        "system": text("system", "Automated system"),
        "decision": text("decision", "Decision it makes"),
        "owner": text("owner", "Owner (a named person)"),
        "human_review": text("human_review", "Human review"),
        "appeal_route": text("appeal_route", "How to contest a decision"),
        "appeal_days": ipw.BoundedIntText(
            value=example.appeal_days if start_from_example else 10,
            min=1,
            max=90,
            style=_STYLE,
            description="Answer appeals within (days)",
        ),
        "review_every_months": ipw.BoundedIntText(
            value=example.review_every_months,
            min=1,
            max=12,
            style=_STYLE,
            description="Review every (months)",
        ),
    }
    for n in range(1, MEASURE_ROWS + 1):
        given = (
            example.measures[n - 1] if start_from_example and n <= len(example.measures) else None
        )
        controls[f"measure_{n}"] = ipw.Text(
            value=given.measure if given else "",
            description=f"Measure {n}",
            style=_STYLE,
            layout=_WIDE,
        )
        controls[f"alert_{n}"] = ipw.Text(
            value=given.alert_when if given else "",
            description=f"Act when (measure {n})",
            style=_STYLE,
            layout=_WIDE,
        )

    def show(record: GovernanceRecord) -> list[object]:
        page = record_markdown(record)
        return [Markdown(page), download_link(page, "governance_record.md")]

    return Explorer(_record, controls, show, button="Build the record")
