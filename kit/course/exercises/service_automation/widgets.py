"""Service-automation explorers: the prioritiser, the rollout planner, the scorecard and the
chatbot handover rule."""

from __future__ import annotations

from functools import partial

import ipywidgets as ipw
import pandas as pd
from IPython.display import Markdown

from kit.course.exercises.service_automation.calc import (
    DEFAULT_ALIGNMENT_FLOOR,
    HandoverOutcome,
    handover_outcome,
    handover_sweep,
    phase_load,
    plan_rollout,
    prioritise,
    question_table,
    score_tools,
)
from kit.course.exercises.service_automation.charts import (
    handover_chart,
    quadrant_chart,
    rollout_chart,
    scorecard_chart,
)
from kit.course.exercises.service_automation.data import (
    SCORE_HIGH,
    SCORE_LOW,
    Criterion,
    load_samples,
    sample_opportunities,
    sample_projects,
    sample_questions,
    sample_tools,
)
from kit.course.exercises.table_controls import STYLE, WIDE, ScoreTableEditor
from kit.course.explorer import Explorer

OPPORTUNITY_LABELS = {
    "impact": "Impact",
    "feasibility": "Feasibility",
    "alignment": "Fits a business goal",
}


def _weight_sliders(criteria: list[Criterion]) -> dict[str, ipw.IntSlider]:
    """A 0-5 weight slider per criterion, starting at 1; hovering shows the criterion's question."""
    return {
        criterion.id: ipw.IntSlider(
            value=1,
            min=0,
            max=5,
            description=criterion.label,
            tooltip=criterion.question,
            style=STYLE,
            layout=WIDE,
        )
        for criterion in criteria
    }


def prioritiser(opportunities: pd.DataFrame | None = None) -> Explorer[pd.DataFrame]:
    """Pick an idea, move its ratings or the alignment floor; the ranking and chart follow."""
    controls = {
        "opportunities": ScoreTableEditor(
            sample_opportunities() if opportunities is None else opportunities,
            "opportunity",
            OPPORTUNITY_LABELS,
            SCORE_LOW,
            SCORE_HIGH,
        ),
        "alignment_floor": ipw.IntSlider(
            value=DEFAULT_ALIGNMENT_FLOOR,
            min=SCORE_LOW,
            max=SCORE_HIGH,
            description="Park ideas with fit below",
            style=STYLE,
            layout=WIDE,
        ),
    }
    return Explorer(
        prioritise, controls, lambda ranked: [ranked.set_index("rank"), quadrant_chart(ranked)]
    )


def _plan_and_load(
    projects: pd.DataFrame, capacity_days: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    plan = plan_rollout(projects, capacity_days)
    return plan, phase_load(plan, capacity_days)


def rollout_planner(
    projects: pd.DataFrame | None = None,
) -> Explorer[tuple[pd.DataFrame, pd.DataFrame]]:
    """Change the staff days per phase and see the plan stretch or shrink."""
    capacity = ipw.FloatSlider(
        value=load_samples().rollout.capacity_days,
        min=1,
        max=20,
        step=0.5,
        description="Staff days per phase",
        style=STYLE,
        layout=WIDE,
    )
    return Explorer(
        partial(_plan_and_load, sample_projects() if projects is None else projects),
        {"capacity_days": capacity},
        lambda result: [
            result[0].set_index("opportunity"),
            result[1].set_index("phase"),
            rollout_chart(result[0]),
        ],
    )


def tool_scorecard(*groups: str, tools: pd.DataFrame | None = None) -> Explorer[pd.DataFrame]:
    """One weight slider per criterion of the named groups; the scores and chart follow."""
    groups = groups or ("practical",)
    table = sample_tools() if tools is None else tools
    criteria = [criterion for criterion in load_samples().criteria if criterion.group in groups]
    labels = {criterion.id: criterion.label for criterion in criteria}
    return Explorer(
        lambda **weights: score_tools(table, weights),
        _weight_sliders(criteria),
        lambda scored: [scored.set_index("rank").round(2), scorecard_chart(scored, labels)],
        header=ipw.HTML("<b>Weights</b> (0 = ignore, 5 = matters most)"),
    )


THRESHOLDS = range(0, 101, 5)


def _handover_view(outcome: HandoverOutcome) -> list[object]:
    wrong = outcome.wrong_from_bot
    threshold = float(outcome.threshold)
    return [
        Markdown(f"**{outcome.summary()}**"),
        *(
            [
                Markdown("The wrong answers that still reach customers:"),
                question_table(wrong).drop(columns="answer right"),
            ]
            if len(wrong)
            else []
        ),
        handover_chart(
            handover_sweep(
                outcome.routed, THRESHOLDS, high_stakes_to_person=outcome.high_stakes_to_person
            ),
            threshold,
        ),
    ]


def handover_rule(questions: pd.DataFrame | None = None) -> Explorer[HandoverOutcome]:
    """Move the confidence the bot needs, send high-stakes questions to a person or not, and
    see the staff time and the wrong answers that still get through."""
    sample = load_samples().handover
    table = sample_questions() if questions is None else questions
    controls = {
        "threshold": ipw.IntSlider(
            value=70, min=0, max=100, step=5, description="Bot answers from (%)", style=STYLE
        ),
        "high_stakes_to_person": ipw.Checkbox(
            value=False,
            description="Health, money and complaints always go to a person",
            indent=False,
            layout=WIDE,
        ),
        "minutes_per_handover": ipw.IntSlider(
            value=int(sample.minutes_per_handover),
            min=1,
            max=15,
            description="Staff minutes per question",
            style=STYLE,
        ),
    }
    return Explorer(
        partial(handover_outcome, table, questions_per_week=sample.questions_per_week),
        controls,
        _handover_view,
    )
