"""Customer-relationship explorers: a bias audit, a data-minimisation review, the checklist and
a customer-journey review."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from html import escape

import ipywidgets as ipw
import pandas as pd
from IPython.display import Markdown

from kit.course.exercises.customer_relationships.calc import (
    NO_PURPOSE,
    BiasAudit,
    audit_applications,
    checklist_review,
    gap_summary,
    journey_findings,
    journey_review,
    review_data_collection,
)
from kit.course.exercises.customer_relationships.charts import (
    approval_chart,
    checklist_chart,
    journey_chart,
    minimisation_chart,
)
from kit.course.exercises.customer_relationships.data import (
    data_inventory,
    journey,
    load_applications,
    load_checklist,
    load_samples,
)
from kit.course.explorer import Explorer

_STYLE = {"description_width": "12em"}


def _audit_view(audit: BiasAudit) -> list[object]:
    rates = audit.rates
    return [
        rates.assign(rate=[f"{rate:.0%}" for rate in rates["rate"]]).set_index("group"),
        Markdown(
            f"**Disparate-impact ratio: {float(audit.impact.ratio):.0%}.** {audit.impact.verdict()}"
        ),
        approval_chart(rates, audit.impact),
    ]


def bias_audit() -> Explorer[BiasAudit]:
    """Move the threshold, switch the postcode on or off, and watch the four-fifths verdict."""
    scoring = load_samples().loan_scoring
    controls = {
        "threshold": ipw.FloatSlider(
            value=scoring.threshold,
            min=0.5,
            max=5.0,
            step=0.1,
            description="Approval threshold",
            style=_STYLE,
        ),
        "use_postcode": ipw.Checkbox(
            value=True, description="Score uses the postcode area", indent=False
        ),
    }
    return Explorer(
        partial(audit_applications, load_applications(), scoring), controls, _audit_view
    )


def data_minimisation_review(inventory_id: str = "bookshop_events") -> Explorer[pd.DataFrame]:
    """Choose a purpose for each field, press Review, read the verdicts and the chart."""
    inventory = data_inventory(inventory_id)
    choices = [(NO_PURPOSE, "")] + [(p.label, p.id) for p in inventory.purposes]
    pickers = {
        f.field: ipw.Dropdown(
            options=choices,
            value=f.purpose or "",
            description=f.field,
            style=_STYLE,
            tooltip=f.description,
        )
        for f in inventory.fields
    }

    def review(**purposes: str) -> pd.DataFrame:
        table = pd.DataFrame({"field": list(purposes), "purpose": list(purposes.values())})
        return review_data_collection(table, inventory.needs())

    return Explorer(
        review,
        pickers,
        lambda result: [result.set_index("field"), minimisation_chart(result)],
        header=ipw.HTML(f"<b>{escape(inventory.title)}</b>"),
        button="Review",
    )


def _gaps_view(review: pd.DataFrame) -> list[object]:
    return [
        Markdown(f"**{gap_summary(review)}**"),
        review.loc[~review["in_place"], ["area", "next_step"]].set_index("area"),
        checklist_chart(review),
    ]


def checklist_widget(ticked: Iterable[str] = ()) -> Explorer[pd.DataFrame]:
    """Tick what is already in place; the summary and chart list the gaps and next steps."""
    checklist = load_checklist()
    already = set(ticked)
    boxes = {
        item.id: ipw.Checkbox(
            value=item.id in already,
            indent=False,
            description=f"{item.area}: {item.question}",
            layout=ipw.Layout(width="100%"),
        )
        for item in checklist.items
    }

    def review(**in_place: bool) -> pd.DataFrame:
        return checklist_review(checklist, [item for item, done in in_place.items() if done])

    return Explorer(review, boxes, _gaps_view, header=ipw.HTML(f"<b>{escape(checklist.title)}</b>"))


def principle_questions() -> Markdown:
    """The seven principles, each as the question to ask of a step of a journey."""
    principles = load_samples().humanistic_principles
    return Markdown("\n".join(f"- **{p.label}**: {p.question}" for p in principles))


def journey_review_widget(journey_id: str = "veg_box_subscription") -> Explorer[pd.DataFrame]:
    """For each step, pick the principles it breaks; press Review for the grid and findings."""
    path = journey(journey_id)
    principles = load_samples().humanistic_principles
    options = [(principle.label, principle.id) for principle in principles]
    pickers = {
        step.id: ipw.SelectMultiple(
            options=options,
            value=(),
            rows=len(options),
            description=step.stage,
            style=_STYLE,
            layout=ipw.Layout(width="36em"),
        )
        for step in path.steps
    }
    body = [
        widget
        for step in path.steps
        for widget in (ipw.HTML(f"<p>{escape(step.what_happens)}</p>"), pickers[step.id])
    ]

    def review(**broken: tuple[str, ...]) -> pd.DataFrame:
        return journey_review(path, principles, broken)

    return Explorer(
        review,
        pickers,
        lambda result: [Markdown(f"**{journey_findings(result)}**"), journey_chart(result)],
        body=body,
        header=ipw.HTML(
            f"<b>{escape(path.title)}</b><br>Choose the principles each step breaks (hold Ctrl "
            "or Cmd to choose several), then press Review."
        ),
        button="Review",
        run_now=False,
    )
