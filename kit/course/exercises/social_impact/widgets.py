"""Social-impact explorers: freed resources, the KPI planner, the impact prioritiser."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as ipw
import pandas as pd
from IPython.display import Markdown

from kit.course.exercises.social_impact.calc import (
    CANDIDATE_LABELS,
    DEFAULT_EFFICIENCY_WEIGHT,
    DEFAULT_RISK_PENALTY,
    FreedTime,
    KpiReport,
    freed_time,
    kpi_report,
    prioritise,
)
from kit.course.exercises.social_impact.charts import (
    freed_resources_chart,
    kpi_balance_chart,
    prioritiser_chart,
)
from kit.course.exercises.social_impact.data import (
    RATING_HIGH,
    RATING_LOW,
    example_candidates,
    example_kpis,
    example_tasks,
)
from kit.course.exercises.table_controls import ColumnSliders, ScoreTableEditor, TableControl
from kit.course.explorer import Explorer

_STYLE = {"description_width": "14em"}
_WIDE = ipw.Layout(width="36em")
_PERCENT = {
    "min": 0,
    "max": 1,
    "step": 0.05,
    "readout_format": ".0%",
    "style": _STYLE,
    "layout": _WIDE,
}


def freed_resources_explorer(tasks: pd.DataFrame | None = None) -> Explorer[FreedTime]:
    """Sliders for each task's automatable share and for the share given to the impact goal."""
    controls = {
        "tasks": ColumnSliders(
            example_tasks() if tasks is None else tasks, "task", "automatable_share", **_PERCENT
        ),
        "reinvest_share": ipw.FloatSlider(
            value=0.25, description="Share given to the impact goal", **_PERCENT
        ),
        "impact_goal": ipw.Text(
            value="volunteering at the community kitchen",
            description="Your impact goal",
            style=_STYLE,
            layout=_WIDE,
        ),
    }
    return Explorer(
        freed_time,
        controls,
        lambda result: [Markdown(result.summary), freed_resources_chart(result.freed)],
        header=ipw.HTML("<b>How much of each task could a tool take over?</b>"),
    )


class KpiForm(TableControl):
    """A small form adding one KPI to the plan per press of Add; its ``value`` is the plan."""

    def __init__(self, plan: pd.DataFrame) -> None:
        self.fields: dict[str, Any] = {
            "process": ipw.Combobox(
                options=sorted(pd.unique(plan["process"])),
                description="Process",
                placeholder="e.g. Scheduling",
                style=_STYLE,
                layout=_WIDE,
            ),
            "kind": ipw.ToggleButtons(
                options=[("Business KPI", "business"), ("Social KPI", "social")],
                description="Kind",
                style=_STYLE,
            ),
            "kpi": ipw.Text(
                description="KPI name",
                placeholder="e.g. Volunteer hours per month",
                style=_STYLE,
                layout=_WIDE,
            ),
            **{
                name: ipw.FloatText(description=name.capitalize(), style=_STYLE, layout=_WIDE)
                for name in ("baseline", "target", "current")
            },
        }
        self.add_button = ipw.Button(description="Add KPI", button_style="primary")
        self.clear_button = ipw.Button(description="Start an empty plan")
        self.message = ipw.HTML()
        super().__init__(
            [*self.fields.values(), ipw.HBox([self.add_button, self.clear_button]), self.message],
            value=plan.copy(),
        )
        self.add_button.on_click(lambda _: self.add())
        self.clear_button.on_click(lambda _: self.clear())

    def add(self) -> None:
        """Append the typed KPI, or say which names are still missing."""
        row = {name: field.value for name, field in self.fields.items()}
        row["process"], row["kpi"] = row["process"].strip(), row["kpi"].strip()
        if not row["process"] or not row["kpi"]:
            self.message.value = "Give the process and the KPI a name first."
            return
        self.value = pd.concat(
            [self.value, pd.DataFrame([{**row, "automation": ""}])], ignore_index=True
        )
        self.fields["process"].options = sorted(pd.unique(self.value["process"]))
        self.message.value = (
            f"Added {escape(row['kind'])} KPI <i>{escape(row['kpi'])}</i> "
            f"to {escape(row['process'])}."
        )

    def clear(self) -> None:
        """Empty the plan, to build one from scratch."""
        self.value = self.value.iloc[0:0]
        self.message.value = "Started an empty plan."


def _report_view(report: KpiReport) -> list[object]:
    return [
        Markdown("**Is every process paired?**"),
        report.pairing,
        Markdown("**Progress of each KPI**"),
        report.progress.drop(columns=["process"]).style.format({"progress": "{:.0%}"}),
        Markdown("**Business and social, side by side**"),
        report.balance.style.format(
            {"business_progress": "{:.0%}", "social_progress": "{:.0%}"}, na_rep="-"
        ),
        kpi_balance_chart(report.balance),
    ]


def kpi_planner(plan: pd.DataFrame | None = None) -> Explorer[KpiReport]:
    """Add KPIs to a plan with a small form, and watch pairing, progress and balance update."""
    form = KpiForm(example_kpis() if plan is None else plan)
    return Explorer(kpi_report, {"plan": form}, _report_view)


def prioritiser(candidates: pd.DataFrame | None = None) -> Explorer[pd.DataFrame]:
    """Re-rate a candidate or change the weights, and watch the ranking and verdicts move."""
    controls = {
        "candidates": ScoreTableEditor(
            example_candidates() if candidates is None else candidates,
            "candidate",
            CANDIDATE_LABELS,
            RATING_LOW,
            RATING_HIGH,
        ),
        "efficiency_weight": ipw.FloatSlider(
            value=DEFAULT_EFFICIENCY_WEIGHT,
            min=0,
            max=1,
            step=0.1,
            description="Weight of efficiency",
            style=_STYLE,
            layout=_WIDE,
        ),
        "risk_penalty": ipw.FloatSlider(
            value=DEFAULT_RISK_PENALTY,
            min=0,
            max=2,
            step=0.1,
            description="Penalty per risk point",
            style=_STYLE,
            layout=_WIDE,
        ),
    }
    return Explorer(
        prioritise,
        controls,
        lambda ranked: [
            ranked.set_index("rank").style.format({"benefit": "{:.2f}", "priority": "{:.2f}"}),
            prioritiser_chart(ranked),
        ],
    )
