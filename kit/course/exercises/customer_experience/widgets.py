"""Customer-experience explorers: an ROI calculator, a chatbot transparency checker and a
pooled-report check."""

from __future__ import annotations

from functools import partial
from html import escape

import ipywidgets as ipw
import pandas as pd
from IPython.display import Markdown

from kit.core.cohort_stats import MIN_GROUP
from kit.course.exercises.customer_experience.calc import (
    DETAILS,
    Detail,
    PooledReport,
    RoiWhatIf,
    check_transcript,
    parse_transcript,
    pooled_report,
    roi_sentence,
    roi_what_if,
)
from kit.course.exercises.customer_experience.charts import (
    nps_chart,
    pooled_report_chart,
    transparency_chart,
)
from kit.course.exercises.customer_experience.data import (
    DEFAULT_MARGIN_PERCENT,
    CustomerYear,
    load_samples,
    roi_scenario,
    sample_transcript,
)
from kit.course.explorer import Explorer

_STYLE = {"description_width": "14em"}
_LAYOUT = ipw.Layout(width="34em")


def roi_calculator(scenario_id: str = "local_eats_chatbot") -> Explorer[RoiWhatIf]:
    """Sliders for the later year's figures; the table, ROI and chart follow them."""
    scenario = roi_scenario(scenario_id)
    before, after, currency = scenario.before, scenario.after, scenario.currency
    controls = {
        "customers_at_end": ipw.IntSlider(
            value=after.customers_at_end,
            min=after.new_customers,
            max=after.new_customers + after.customers_at_start - 1,
            description="Customers at year end",
            style=_STYLE,
            layout=_LAYOUT,
        ),
        "average_order_value": ipw.FloatSlider(
            value=after.average_order_value,
            min=1.0,
            max=round(3 * before.average_order_value),
            step=0.5,
            description=f"Average order ({currency})",
            style=_STYLE,
            layout=_LAYOUT,
        ),
        "investment": ipw.IntSlider(
            value=round(scenario.investment),
            min=500,
            max=round(5 * scenario.investment),
            step=500,
            description=f"Spent on the change ({currency})",
            style=_STYLE,
            layout=_LAYOUT,
        ),
        "margin_percent": ipw.IntSlider(
            value=round(scenario.gross_margin_percent),
            min=5,
            max=100,
            step=1,
            description="Gross margin (%)",
            style=_STYLE,
            layout=_LAYOUT,
        ),
    }

    def show(what_if: RoiWhatIf) -> list[object]:
        return [
            what_if.comparison,
            roi_summary(
                what_if.before, what_if.after, what_if.investment, currency, what_if.margin_percent
            ),
            nps_chart([what_if.before, what_if.after]),
        ]

    return Explorer(
        partial(roi_what_if, scenario),
        controls,
        show,
        header=ipw.HTML(f"<b>{escape(scenario.title)}</b>"),
    )


def roi_summary(
    before: CustomerYear,
    after: CustomerYear,
    investment: float,
    currency: str,
    margin_percent: float = DEFAULT_MARGIN_PERCENT,
) -> Markdown:
    """The return on gross margin in one sentence, shown as Markdown in a lesson."""
    return Markdown(roi_sentence(before, after, investment, currency, margin_percent))


def _verdicts(results: pd.DataFrame) -> list[object]:
    passed = (results["status"] == "pass").sum()
    return [
        Markdown(f"**{passed} of {len(results)} rules pass.**"),
        results.set_index("title")[["status", "reason"]],
        transparency_chart(results),
    ]


def transparency_checker(transcript_id: str = "local_eats_before") -> Explorer[pd.DataFrame]:
    """Pick or type a conversation, press Check, read each rule's verdict and reason."""
    picker = ipw.Dropdown(
        options=[(t.title, t.id) for t in load_samples().transcripts],
        value=transcript_id,
        description="Sample",
    )
    editor = ipw.Textarea(
        value=sample_transcript(transcript_id).as_text(),
        layout=ipw.Layout(width="100%", height="12em"),
    )
    picker.observe(
        lambda change: setattr(editor, "value", sample_transcript(change["new"]).as_text()),
        names="value",
    )
    return Explorer(
        lambda transcript: check_transcript(parse_transcript(transcript)),
        {"transcript": editor},
        _verdicts,
        body=[picker, editor],
        button="Check",
    )


def _report_view(report: PooledReport) -> list[object]:
    shown = report.rows.assign(
        shared=[
            "yes" if n >= report.minimum else f"no: fewer than {report.minimum}"
            for n in report.rows["customers"]
        ]
    )
    return [Markdown(f"**{report.summary()}**"), shown, pooled_report_chart(report)]


def pooled_report_check() -> Explorer[PooledReport]:
    """Choose how much of each detail the maker's report shows; see whether anyone stands out."""
    sample = load_samples().pooled_report
    controls: dict[str, ipw.ValueWidget] = {
        column.id: ipw.Dropdown(
            options=list(DETAILS),
            value="as recorded",
            description=column.label,
            style=_STYLE,
        )
        for column in sample.columns
    }
    controls["minimum"] = ipw.IntSlider(
        value=MIN_GROUP, min=2, max=10, description="Smallest row allowed", style=_STYLE
    )

    def report(minimum: int, **detail: Detail) -> PooledReport:
        return pooled_report(sample.table(), detail, sample.coarser(), minimum)

    return Explorer(
        report, controls, _report_view, header=ipw.HTML(f"<b>{escape(sample.title)}</b>")
    )
