"""Service-automation exercises: what to automate first, in what order, and with which tool.

Three exercises for the service_automation lessons:

- an opportunity prioritiser: impact x feasibility, with alignment to a business goal as the
  gate, giving a ranked table and a quadrant chart (quick wins, major projects, fill-ins);
- a phased-rollout planner that schedules a pilot and then a full rollout for each project
  within the staff days available per phase;
- a tool-selection scorecard over weighted criteria (scalability, integration, ease of use,
  cost-effectiveness, vendor support, and in the advanced lesson ethical criteria), with a view
  of how the ranking shifts when the weights change.

Pure functions come first and are tested against hand-computed values; charts and the notebook
widgets follow. Sample data lives in ``content/exercises/service_automation.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import Annotated, Literal

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import display
from pydantic import Field, model_validator

from kit.charts.builders import color_scale, described, grouped_bar_chart
from kit.charts.palette import PALETTE
from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.course.exercises.table_editor import ScoreTableEditor
from kit.errors import ExerciseInputError
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "service_automation.yaml"

# --- sample data --------------------------------------------------------------------------------

SCORE_LOW, SCORE_HIGH = 1, 5
Score = Annotated[int, Field(ge=SCORE_LOW, le=SCORE_HIGH)]
Days = Annotated[float, Field(gt=0)]


class Opportunity(Strict):
    opportunity: Prose
    impact: Score
    feasibility: Score
    alignment: Score


class RolloutProject(Strict):
    opportunity: Prose
    pilot_days: Days
    rollout_days: Days


class RolloutSample(Strict):
    capacity_days: Days
    projects: list[RolloutProject] = Field(min_length=1)


class Criterion(Strict):
    id: Identifier
    label: Prose
    question: Prose
    group: Literal["practical", "ethical"]


class ToolRating(Strict):
    tool: Prose
    scores: dict[Identifier, Score]


class ServiceSamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    opportunities: list[Opportunity] = Field(min_length=1)
    rollout: RolloutSample
    criteria: list[Criterion] = Field(min_length=1)
    tools: list[ToolRating] = Field(min_length=2)

    @model_validator(mode="after")
    def _every_tool_rated_on_every_criterion(self) -> ServiceSamples:
        criteria = [criterion.id for criterion in self.criteria]
        problems = [f"tool {tool.tool!r}: scores must cover exactly {', '.join(criteria)}"
                    for tool in self.tools if sorted(tool.scores) != sorted(criteria)]
        if len(set(criteria)) != len(criteria):
            problems.append("criteria ids must be unique")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> ServiceSamples:
    """The lessons' sample opportunities, rollout projects and tool ratings, validated."""
    return load_model(path, ServiceSamples)


def sample_opportunities() -> pd.DataFrame:
    """The salon's automation ideas as the editable table the prioritiser reads."""
    return pd.DataFrame([item.model_dump() for item in load_samples().opportunities])


def sample_projects() -> pd.DataFrame:
    """The law firm's projects in priority order, with the days each stage needs."""
    return pd.DataFrame([item.model_dump() for item in load_samples().rollout.projects])


def sample_tools() -> pd.DataFrame:
    """The web shop's three options: a ``tool`` column and one 1-5 column per criterion."""
    return pd.DataFrame([{"tool": item.tool, **item.scores} for item in load_samples().tools])


def criteria_weights(*groups: str, weight: float = 1.0) -> dict[str, float]:
    """Equal weights for every criterion in the named groups, 0 for the others."""
    return {criterion.id: weight if criterion.group in groups else 0.0
            for criterion in load_samples().criteria}


# --- opportunity prioritiser -------------------------------------------------------------------

PRIORITY_SCORES = ("impact", "feasibility", "alignment")
HIGH = 4  # a rating of 4 or 5 counts as high when placing an idea in a quadrant
DEFAULT_ALIGNMENT_FLOOR = 3
QUADRANTS: dict[tuple[bool, bool], str] = {  # (high impact, high feasibility) -> quadrant
    (True, True): "quick win",
    (True, False): "major project",
    (False, True): "fill-in",
    (False, False): "not now",
}


def prioritise(opportunities: pd.DataFrame,
               alignment_floor: int = DEFAULT_ALIGNMENT_FLOOR) -> pd.DataFrame:
    """Rank automation ideas: aligned ones first, then by impact x feasibility.

    priority = impact x feasibility (each 1-5, so 1-25). An idea whose alignment with a
    business goal is below ``alignment_floor`` is parked at the bottom however high its
    priority: a cheap, impressive project that serves no goal is still a distraction. Ties go
    to the better-aligned idea, then alphabetically.
    """
    where = "opportunity prioritiser"
    check_scores(opportunities, "opportunity", PRIORITY_SCORES, SCORE_LOW, SCORE_HIGH, where)
    if isinstance(alignment_floor, bool) or alignment_floor not in range(SCORE_LOW,
                                                                          SCORE_HIGH + 1):
        raise ExerciseInputError(f"{where}: alignment_floor is {alignment_floor!r}; it must be "
                                 f"a whole number from {SCORE_LOW} to {SCORE_HIGH}.")
    table = opportunities[["opportunity", *PRIORITY_SCORES]].copy()
    table["priority"] = table["impact"] * table["feasibility"]
    table["quadrant"] = [QUADRANTS[impact >= HIGH, feasibility >= HIGH]
                         for impact, feasibility in zip(table["impact"], table["feasibility"],
                                                        strict=True)]
    table["aligned"] = table["alignment"] >= alignment_floor
    table = table.sort_values(["aligned", "priority", "alignment", "opportunity"],
                              ascending=[False, False, False, True], kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


# --- phased rollout planner --------------------------------------------------------------------

STAGES = ("pilot", "rollout")


def _check_days(projects: pd.DataFrame, capacity_days: float, where: str) -> None:
    if isinstance(capacity_days, bool) or not isinstance(capacity_days, Real) \
            or not capacity_days > 0:
        raise ExerciseInputError(f"{where}: capacity_days is {capacity_days!r}; it must be a "
                                 "positive number of staff days per phase.")
    for stage in STAGES:
        for name, days in zip(projects["opportunity"], projects[f"{stage}_days"], strict=True):
            if isinstance(days, bool) or not isinstance(days, Real) or not days > 0:
                raise ExerciseInputError(f"{where}: {name!r} has {stage}_days = {days!r}; it "
                                         "must be a positive number of days.")
            if days > capacity_days:
                raise ExerciseInputError(
                    f"{where}: {name!r} needs {days:g} days for its {stage}, more than the "
                    f"{capacity_days:g} days a phase has; split it into smaller steps or raise "
                    "the capacity.")


def plan_rollout(projects: pd.DataFrame, capacity_days: float) -> pd.DataFrame:
    """Give each project a pilot phase and, straight after it, a rollout phase.

    Projects are taken in the order given (their priority). Each goes into the earliest phase
    whose spare days fit its pilot while the next phase still fits its rollout; a phase never
    holds more than ``capacity_days`` of work. The gap-free pilot-then-rollout pair is the
    point: the pilot's lessons feed the rollout while they are fresh.
    """
    where = "rollout planner"
    require_columns(projects, ["opportunity", "pilot_days", "rollout_days"], where)
    require_unique_labels(projects, "opportunity", where)
    _check_days(projects, capacity_days, where)
    used: dict[int, float] = {}
    rows = []
    for project in projects.itertuples(index=False):
        phase = 1
        while (used.get(phase, 0) + project.pilot_days > capacity_days
               or used.get(phase + 1, 0) + project.rollout_days > capacity_days):
            phase += 1
        used[phase] = used.get(phase, 0) + project.pilot_days
        used[phase + 1] = used.get(phase + 1, 0) + project.rollout_days
        rows.append({"opportunity": project.opportunity, "pilot_phase": phase,
                     "rollout_phase": phase + 1, "pilot_days": project.pilot_days,
                     "rollout_days": project.rollout_days})
    return pd.DataFrame(rows)


def phase_load(plan: pd.DataFrame, capacity_days: float) -> pd.DataFrame:
    """Days booked and days still free in each phase of a plan, phase 1 first."""
    require_columns(plan, ["pilot_phase", "rollout_phase", "pilot_days", "rollout_days"],
                    "phase load")
    booked = pd.concat([plan.groupby(f"{stage}_phase")[f"{stage}_days"].sum()
                        for stage in STAGES]).groupby(level=0).sum()
    phases = range(1, int(plan["rollout_phase"].max()) + 1)
    table = pd.DataFrame({"phase": list(phases),
                          "used_days": [float(booked.get(phase, 0)) for phase in phases]})
    table["free_days"] = capacity_days - table["used_days"]
    return table


# --- tool-selection scorecard ------------------------------------------------------------------


def _normalised(weights: Mapping[str, float], where: str) -> dict[str, float]:
    for criterion, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, Real) or not weight >= 0:
            raise ExerciseInputError(f"{where}: the weight of {criterion} is {weight!r}; "
                                     "weights must be numbers, 0 or more.")
    total = sum(weights.values())
    if not total > 0:
        raise ExerciseInputError(f"{where}: every weight is 0; give at least one criterion a "
                                 "weight above 0.")
    return {criterion: weight / total for criterion, weight in weights.items() if weight > 0}


def score_tools(tools: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted score per tool (1-5 scale), best first, with each criterion's share of it.

    Weights are relative: they are divided by their sum, so (2, 1, 1) means the first criterion
    counts half. A criterion's column holds rating x normalised weight; the columns add up to
    ``score``. Criteria missing from ``weights`` or weighted 0 are left out.
    """
    where = "tool scorecard"
    shares = _normalised(weights, where)
    check_scores(tools, "tool", list(shares), SCORE_LOW, SCORE_HIGH, where)
    table = tools[["tool"]].copy()
    for criterion, share in shares.items():
        table[criterion] = tools[criterion] * share
    table["score"] = table[list(shares)].sum(axis=1).round(6)
    table = table.sort_values(["score", "tool"], ascending=[False, True], kind="stable")
    table.insert(0, "rank", table["score"].rank(method="min", ascending=False).astype(int))
    return table.reset_index(drop=True)


def ranking_shift(tools: pd.DataFrame, before: Mapping[str, float],
                  after: Mapping[str, float]) -> pd.DataFrame:
    """Each tool's rank and score under two weightings; ``moved`` > 0 means it climbed."""
    first = score_tools(tools, before).set_index("tool")[["rank", "score"]]
    second = score_tools(tools, after).set_index("tool")[["rank", "score"]]
    table = first.merge(second, left_index=True, right_index=True,
                        suffixes=("_before", "_after"))
    table["moved"] = table["rank_before"] - table["rank_after"]
    return table.sort_values(["rank_after", "rank_before"]).reset_index()


# --- charts -------------------------------------------------------------------------------------

QUADRANT_ORDER = list(QUADRANTS.values())


def quadrant_chart(ranked: pd.DataFrame) -> alt.LayerChart:
    """Feasibility across, impact up, each idea marked with its rank; parked ideas are crosses."""
    require_columns(ranked, ["opportunity", "impact", "feasibility", "quadrant", "aligned",
                             "rank"], "quadrant chart")
    data = ranked.assign(goal=ranked["aligned"].map({True: "serves a goal", False: "parked"}))
    axis_scale = alt.Scale(domain=[SCORE_LOW - 0.5, SCORE_HIGH + 0.5], zero=False, nice=False)
    base = alt.Chart(data).encode(
        x=alt.X("feasibility:Q", scale=axis_scale, title="Feasibility (1 hard - 5 easy)",
                axis=alt.Axis(values=list(range(SCORE_LOW, SCORE_HIGH + 1)))),
        y=alt.Y("impact:Q", scale=axis_scale, title="Impact (1 low - 5 high)",
                axis=alt.Axis(values=list(range(SCORE_LOW, SCORE_HIGH + 1)))),
    )
    points = base.mark_point(filled=True, size=220, opacity=0.85).encode(
        color=alt.Color("quadrant:N", scale=color_scale(QUADRANT_ORDER), title="Quadrant"),
        shape=alt.Shape("goal:N", title="Business goal",
                        scale=alt.Scale(domain=["serves a goal", "parked"],
                                        range=["circle", "cross"])),
        tooltip=["rank", "opportunity", "impact", "feasibility", "alignment", "priority",
                 "quadrant", "goal"],
    )
    # Ideas with the same ratings share a point, so their ranks are listed together.
    labels = base.mark_text(align="left", dx=12, fontSize=12).encode(text="ranks:N") \
        .transform_aggregate(ranks="values(rank)", groupby=["feasibility", "impact"]) \
        .transform_calculate(ranks="join(pluck(datum.ranks, 'rank'), ', ')")
    cut = alt.Chart(pd.DataFrame({"at": [HIGH - 0.5]}))
    lines = cut.mark_rule(strokeDash=[4, 4], color=PALETTE[7]).encode(x="at:Q") \
        + cut.mark_rule(strokeDash=[4, 4], color=PALETTE[7]).encode(y="at:Q")
    ranking = "; ".join(f"{row.rank}. {row.opportunity} ({row.quadrant}"
                        f"{'' if row.aligned else ', parked'})" for row in ranked.itertuples())
    chart = alt.layer(lines, points, labels).properties(width=380, height=320)
    return described(chart, "Automation ideas by impact and feasibility",
                     "Scatter of ideas, numbered by rank, with feasibility across and impact up; "
                     "dashed lines split quick wins (top right), major projects (top left), "
                     f"fill-ins (bottom right) and not-now ideas; parked ideas are crosses. "
                     f"Ranking: {ranking}.")


def rollout_chart(plan: pd.DataFrame) -> alt.Chart:
    """A timeline: each project's pilot phase and, right after, its rollout phase."""
    long = pd.concat([pd.DataFrame({"opportunity": plan["opportunity"], "stage": stage,
                                    "phase": plan[f"{stage}_phase"],
                                    "days": plan[f"{stage}_days"]}) for stage in STAGES])
    chart = alt.Chart(long).mark_bar(stroke="#FFFFFF").encode(
        x=alt.X("phase:O", title="Phase", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("opportunity:N", sort=list(plan["opportunity"]), title=None,
                axis=alt.Axis(labelLimit=240)),
        color=alt.Color("stage:N", scale=color_scale(list(STAGES)), title="Stage"),
        tooltip=["opportunity", "stage", "phase", "days"],
    ).properties(width=420)
    steps = "; ".join(f"{row.opportunity}: pilot in phase {row.pilot_phase}, rollout in phase "
                      f"{row.rollout_phase}" for row in plan.itertuples())
    return described(chart, "Phased rollout plan",
                     f"Timeline bars of each project's pilot and rollout phases. {steps}.")


def scorecard_chart(scored: pd.DataFrame, labels: Mapping[str, str]) -> alt.Chart:
    """Stacked bars: how much each criterion contributes to each tool's weighted score."""
    criteria = [criterion for criterion in labels if criterion in scored.columns]
    long = scored.melt(id_vars=["tool", "rank", "score"], value_vars=criteria,
                       var_name="criterion", value_name="contribution")
    long = long[long["contribution"] > 0].assign(criterion=lambda t: t["criterion"].map(labels))
    order = [labels[criterion] for criterion in criteria]
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("tool:N", sort=list(scored["tool"]), title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("contribution:Q", title="Weighted score (1-5)", stack="zero",
                scale=alt.Scale(domain=[0, SCORE_HIGH])),
        color=alt.Color("criterion:N", scale=color_scale(order), title="Criterion"),
        order=alt.Order("order:Q"),
        tooltip=["tool", "criterion", alt.Tooltip("contribution:Q", format=".2f"),
                 alt.Tooltip("score:Q", format=".2f")],
    ).transform_calculate(order=f"indexof({order!r}, datum.criterion)").properties(width=420)
    ranking = "; ".join(f"{row.rank}. {row.tool} {row.score:.2f}" for row in scored.itertuples())
    return described(chart, "Tool scorecard",
                     f"Stacked bars of each tool's weighted score by criterion. {ranking}.")


# --- notebook widgets ---------------------------------------------------------------------------

_STYLE = {"description_width": "12em"}
_WIDE = widgets.Layout(width="32em")
OPPORTUNITY_LABELS = {"impact": "Impact", "feasibility": "Feasibility",
                      "alignment": "Fits a business goal"}


def _weight_sliders(criteria: list[Criterion]) -> dict[str, widgets.IntSlider]:
    """A 0-5 weight slider per criterion, starting at 1; hovering shows the criterion's question."""
    return {criterion.id: widgets.IntSlider(value=1, min=0, max=5, description=criterion.label,
                                            tooltip=criterion.question, style=_STYLE,
                                            layout=_WIDE)
            for criterion in criteria}


def prioritiser(opportunities: pd.DataFrame | None = None) -> widgets.Widget:
    """Pick an idea, move its ratings or the alignment floor; the ranking and chart follow."""
    editor = ScoreTableEditor(sample_opportunities() if opportunities is None else opportunities,
                              "opportunity", OPPORTUNITY_LABELS, SCORE_LOW, SCORE_HIGH)
    floor = widgets.IntSlider(value=DEFAULT_ALIGNMENT_FLOOR, min=SCORE_LOW, max=SCORE_HIGH,
                              description="Park ideas with fit below", style=_STYLE,
                              layout=_WIDE)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        ranked = prioritise(editor.table, floor.value)
        with output:
            output.clear_output(wait=True)
            display(ranked.set_index("rank"))
            display(quadrant_chart(ranked))

    editor.on_change(redraw)
    floor.observe(redraw, names="value")
    redraw()
    return widgets.VBox([editor.widget, floor, output])


def rollout_planner(projects: pd.DataFrame | None = None) -> widgets.Widget:
    """Change the staff days per phase and see the plan stretch or shrink."""
    table = sample_projects() if projects is None else projects
    capacity = widgets.FloatSlider(value=load_samples().rollout.capacity_days, min=1, max=20,
                                   step=0.5, description="Staff days per phase", style=_STYLE,
                                   layout=_WIDE)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        with output:
            output.clear_output(wait=True)
            try:
                plan = plan_rollout(table, capacity.value)
            except ExerciseInputError as exc:
                print(exc)
                return
            display(plan.set_index("opportunity"))
            display(phase_load(plan, capacity.value).set_index("phase"))
            display(rollout_chart(plan))

    capacity.observe(redraw, names="value")
    redraw()
    return widgets.VBox([capacity, output])


def tool_scorecard(*groups: str, tools: pd.DataFrame | None = None) -> widgets.Widget:
    """One weight slider per criterion of the named groups; the scores and chart follow."""
    groups = groups or ("practical",)
    table = sample_tools() if tools is None else tools
    criteria = [criterion for criterion in load_samples().criteria if criterion.group in groups]
    labels = {criterion.id: criterion.label for criterion in criteria}
    sliders = _weight_sliders(criteria)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        with output:
            output.clear_output(wait=True)
            try:
                scored = score_tools(table, {key: s.value for key, s in sliders.items()})
            except ExerciseInputError as exc:
                print(exc)
                return
            display(scored.set_index("rank").round(2))
            display(scorecard_chart(scored, labels))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HTML("<b>Weights</b> (0 = ignore, 5 = matters most)"),
                         *sliders.values(), output])


def shift_chart(shift: pd.DataFrame) -> alt.Chart:
    """Each tool's score before and after the reweighting, side by side."""
    long = shift.melt(id_vars=["tool"], value_vars=["score_before", "score_after"],
                      var_name="weighting", value_name="score")
    long["weighting"] = long["weighting"].map({"score_before": "practical criteria only",
                                               "score_after": "with ethical criteria"})
    moves = "; ".join(f"{row.tool}: rank {row.rank_before} to {row.rank_after}"
                      for row in shift.itertuples())
    return grouped_bar_chart(long, category="tool", value="score", group="weighting",
                             value_title="Weighted score (1-5)",
                             title="Does the ranking change when ethics counts?",
                             description=f"Paired bars of each tool's score under both "
                                         f"weightings. {moves}.")


def ethics_reweighting(tools: pd.DataFrame | None = None) -> widgets.Widget:
    """Practical criteria stay at weight 1; slide the ethical ones and watch the ranks move."""
    table = sample_tools() if tools is None else tools
    practical = criteria_weights("practical")
    ethical = [criterion for criterion in load_samples().criteria if criterion.group == "ethical"]
    sliders = _weight_sliders(ethical)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        after = {**practical, **{key: slider.value for key, slider in sliders.items()}}
        shift = ranking_shift(table, practical, after)
        with output:
            output.clear_output(wait=True)
            display(shift.set_index("tool").round(2))
            display(shift_chart(shift))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HTML("<b>Weights of the ethical criteria</b> (practical "
                                      "criteria stay at 1 each)"), *sliders.values(), output])
