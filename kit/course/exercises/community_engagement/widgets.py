"""Community-engagement explorers: touchpoints, risk matching, the metric mix, safeguards."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from html import escape

import ipywidgets as ipw
import pandas as pd
from IPython.display import Markdown

from kit.course.exercises.community_engagement.calc import (
    DEFAULT_CONTACT_WEIGHT,
    TOUCHPOINT_LABELS,
    check_matches,
    metric_mix,
    mix_advice,
    safeguard_gaps,
    touchpoint_matrix,
)
from kit.course.exercises.community_engagement.charts import (
    metric_mix_chart,
    safeguard_chart,
    touchpoint_chart,
)
from kit.course.exercises.community_engagement.data import (
    SCORE_HIGH,
    SCORE_LOW,
    CommunitySamples,
    load_samples,
    sample_decisions,
    sample_touchpoints,
)
from kit.course.exercises.table_controls import STYLE, WIDE, CheckboxGrid, ScoreTableEditor
from kit.course.explorer import Explorer

_ROW = ipw.Layout(width="34em")


def touchpoint_explorer(touchpoints: pd.DataFrame | None = None) -> Explorer[pd.DataFrame]:
    """Pick a touchpoint, move its ratings or the contact weight, watch the verdicts change."""
    controls = {
        "touchpoints": ScoreTableEditor(
            sample_touchpoints() if touchpoints is None else touchpoints,
            "touchpoint",
            TOUCHPOINT_LABELS,
            SCORE_LOW,
            SCORE_HIGH,
        ),
        "contact_weight": ipw.FloatSlider(
            value=DEFAULT_CONTACT_WEIGHT,
            min=0,
            max=4,
            step=0.5,
            description="Weight of contact",
            style=STYLE,
            layout=WIDE,
        ),
    }
    return Explorer(
        touchpoint_matrix,
        controls,
        lambda matrix: [matrix.set_index("touchpoint"), touchpoint_chart(matrix)],
    )


def _marked(results: pd.DataFrame) -> list[object]:
    return [
        Markdown(f"**{int(results['correct'].sum())} of {len(results)} matched.**"),
        results.set_index("risk")[["your_answer", "best_answer", "correct"]],
    ]


def risk_matching(samples: CommunitySamples | None = None) -> Explorer[pd.DataFrame]:
    """One drop-down of mitigations per risk; Check marks each match and shows the best one."""
    samples = samples or load_samples()
    choices = [
        ("(choose a mitigation)", ""),
        *sorted((item.text, item.id) for item in samples.mitigations),
    ]
    tools = {tool.id: tool.name for tool in samples.tools}
    pickers = {
        risk.id: ipw.Dropdown(options=choices, value="", layout=_ROW) for risk in samples.risks
    }
    rows = [
        ipw.VBox(
            [ipw.HTML(f"<b>{escape(tools[risk.tool])}</b>: {escape(risk.text)}"), pickers[risk.id]]
        )
        for risk in samples.risks
    ]
    return Explorer(
        lambda **answers: check_matches(
            {risk: chosen or None for risk, chosen in answers.items()}, samples
        ),
        pickers,
        _marked,
        body=rows,
        button="Check",
        run_now=False,
    )


def _mix_and_advice(samples: CommunitySamples, **ticked: bool) -> tuple[pd.DataFrame, list[str]]:
    mix = metric_mix([metric for metric, on in ticked.items() if on], samples)
    return mix, mix_advice(mix, samples)


def _mix_view(result: tuple[pd.DataFrame, list[str]]) -> list[object]:
    mix, advice = result
    return [
        mix.set_index("label")[["count", "share", "metrics"]].round(1),
        Markdown(
            "\n".join(f"- {text}" for text in advice)
            or "**Balanced:** you will see both what happens and why."
        ),
        metric_mix_chart(mix),
    ]


def metric_mix_picker(
    start_with: Sequence[str] = ("transactions", "acquisition_cost"),
    samples: CommunitySamples | None = None,
) -> Explorer[tuple[pd.DataFrame, list[str]]]:
    """Tick the measures you would track; the mix, the advice and the chart follow."""
    samples = samples or load_samples()
    boxes = {
        metric.id: ipw.Checkbox(
            value=metric.id in start_with, description=metric.name, indent=False, layout=_ROW
        )
        for metric in samples.metrics
    }
    return Explorer(partial(_mix_and_advice, samples), boxes, _mix_view)


def safeguard_audit(
    decisions: pd.DataFrame | None = None,
) -> Explorer[tuple[pd.DataFrame, pd.DataFrame]]:
    """Tick the safeguards each automated decision has; gaps and trust risk update at once."""
    safeguards = load_samples().safeguards
    grid = CheckboxGrid(
        sample_decisions() if decisions is None else decisions,
        "system",
        {safeguard.id: safeguard.label for safeguard in safeguards},
    )
    return Explorer(
        lambda decisions: (decisions, safeguard_gaps(decisions, safeguards)),
        {"decisions": grid},
        lambda result: [result[1].set_index("system"), safeguard_chart(result[0], safeguards)],
    )
