"""Social-impact exercises: what does automation free up, and is the good it does measured?

Three exercises, one per social_impact lesson:

- fundamentals, a freed-resources calculator: the hours and money a set of automated tasks
  frees each year, and how much of that time goes to an impact goal;
- intermediate, a KPI planner: every automated process paired with a business KPI and a social
  KPI, progress read from baseline to target in either direction, and a warning when a process
  helps one side while hurting the other;
- advanced, an automation-for-impact prioritiser: candidates ranked by benefit, with the worst
  risk (not the average) deciding whether to go ahead, and the first safeguard to put in place.

Pure functions come first and are tested against hand-computed values; charts and the notebook
widgets follow. Sample data lives in ``content/exercises/social_impact.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import Annotated, Literal

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display
from pydantic import Field, field_validator

from kit.charts.builders import bar_chart, grouped_bar_chart
from kit.charts.palette import OKABE_ITO
from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.course.exercises.table_editor import ScoreTableEditor
from kit.errors import ExerciseInputError
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "social_impact.yaml"
RATING_LOW, RATING_HIGH = 1, 5
Rating = Annotated[int, Field(ge=RATING_LOW, le=RATING_HIGH)]
KpiKind = Literal["business", "social"]

# --- sample data ---------------------------------------------------------------------------


class Task(Strict):
    task: Prose
    hours_per_week: Annotated[float, Field(ge=0, le=80)]
    automatable_share: Annotated[float, Field(ge=0, le=1)]
    hourly_cost: Annotated[float, Field(ge=0)]
    tool_cost_per_month: Annotated[float, Field(ge=0)]


class Kpi(Strict):
    process: Prose
    automation: Prose
    kind: KpiKind
    kpi: Prose
    baseline: float
    target: float
    current: float


class Candidate(Strict):
    candidate: Prose
    efficiency: Rating
    social_benefit: Rating
    bias_risk: Rating
    privacy_risk: Rating
    human_contact_risk: Rating
    job_risk: Rating


class RiskInfo(Strict):
    id: Identifier
    label: Prose
    safeguard: Prose


class VerdictBand(Strict):
    up_to_risk: Rating
    verdict: Prose


class SocialImpactSamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    weeks_per_year: Annotated[int, Field(ge=1, le=52)]
    tasks: list[Task] = Field(min_length=1)
    kpis: list[Kpi] = Field(min_length=2)
    candidates: list[Candidate] = Field(min_length=2)
    risks: list[RiskInfo] = Field(min_length=1)
    verdicts: list[VerdictBand] = Field(min_length=1)

    @field_validator("verdicts")
    @classmethod
    def _bands_cover_every_risk(cls, bands: list[VerdictBand]) -> list[VerdictBand]:
        limits = [band.up_to_risk for band in bands]
        if limits != sorted(set(limits)) or limits[-1] != RATING_HIGH:
            raise ValueError(f"bands must rise strictly and the last must be up_to_risk: "
                             f"{RATING_HIGH}; found {limits}")
        return bands

    @field_validator("risks")
    @classmethod
    def _risks_are_candidate_columns(cls, risks: list[RiskInfo]) -> list[RiskInfo]:
        columns = {name for name in Candidate.model_fields if name.endswith("_risk")}
        ids = [risk.id for risk in risks]
        if sorted(ids) != sorted(columns):
            raise ValueError(f"risks must describe each of {', '.join(sorted(columns))} once; "
                             f"found {', '.join(ids)}")
        return risks


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> SocialImpactSamples:
    """The lessons' sample tasks, KPIs, candidates, risks and verdict bands, validated."""
    return load_model(path, SocialImpactSamples)


def _table(rows: Sequence[Strict]) -> pd.DataFrame:
    return pd.DataFrame([row.model_dump() for row in rows])


def example_tasks() -> pd.DataFrame:
    """The bakery's repetitive tasks, as the editable table the calculator reads."""
    return _table(load_samples().tasks)


def example_kpis() -> pd.DataFrame:
    """The cleaning service's KPI plan: business and social KPIs for each automated process."""
    return _table(load_samples().kpis)


def example_candidates() -> pd.DataFrame:
    """The community lender's candidate automations, rated 1-5."""
    return _table(load_samples().candidates)


def _check_number(value: object, where: str, name: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= value <= high:
        raise ExerciseInputError(f"{where}: {name} is {value!r}; it must be a number from "
                                 f"{low:g} to {high:g}.")


def _check_column_range(table: pd.DataFrame, label: str, column: str, low: float, high: float,
                        where: str) -> None:
    for name, value in zip(table[label], table[column], strict=True):
        _check_number(value, where, f"{name!r} {column}", low, high)


# --- fundamentals: resources freed for impact ------------------------------------------------

TASK_COLUMNS = ("task", "hours_per_week", "automatable_share", "hourly_cost",
                "tool_cost_per_month")


def freed_resources(tasks: pd.DataFrame, reinvest_share: float,
                    weeks_per_year: int | None = None) -> pd.DataFrame:
    """Per task: hours freed a week and a year, their value net of the tool, the impact hours.

    hours freed a week = hours_per_week x automatable_share; a year is that x weeks_per_year;
    net value a year = hours a year x hourly_cost - 12 x tool_cost_per_month; impact hours a
    year = hours a year x reinvest_share (the part of the freed time given to the impact goal).
    """
    where = "freed resources"
    require_columns(tasks, TASK_COLUMNS, where)
    require_unique_labels(tasks, "task", where)
    _check_number(reinvest_share, where, "reinvest_share", 0, 1)
    weeks = load_samples().weeks_per_year if weeks_per_year is None else weeks_per_year
    _check_number(weeks, where, "weeks_per_year", 1, 52)
    for column, high in (("hours_per_week", 80), ("automatable_share", 1)):
        _check_column_range(tasks, "task", column, 0, high, where)
    table = pd.DataFrame({"task": tasks["task"]})
    table["hours_freed_per_week"] = tasks["hours_per_week"] * tasks["automatable_share"]
    table["hours_freed_per_year"] = table["hours_freed_per_week"] * weeks
    table["value_freed_per_year"] = table["hours_freed_per_year"] * tasks["hourly_cost"]
    table["tool_cost_per_year"] = 12 * tasks["tool_cost_per_month"]
    table["net_value_per_year"] = table["value_freed_per_year"] - table["tool_cost_per_year"]
    table["impact_hours_per_year"] = table["hours_freed_per_year"] * reinvest_share
    return table.reset_index(drop=True)


def freed_totals(freed: pd.DataFrame) -> dict[str, float]:
    """Column totals of a ``freed_resources`` table (everything except the task names)."""
    return {column: float(freed[column].sum()) for column in freed.columns if column != "task"}


def freed_summary(freed: pd.DataFrame, impact_goal: str) -> str:
    """Two sentences a participant can take back to the team."""
    totals = freed_totals(freed)
    return (f"Automating these tasks frees about **{totals['hours_freed_per_week']:.1f} hours a "
            f"week** ({totals['hours_freed_per_year']:.0f} a year), worth about "
            f"**{totals['net_value_per_year']:,.0f}** a year in staff time after tool costs of "
            f"{totals['tool_cost_per_year']:,.0f}. Giving your chosen share to *{impact_goal}* "
            f"means **{totals['impact_hours_per_year']:.0f} hours a year** for it.")


def freed_resources_chart(freed: pd.DataFrame) -> alt.Chart:
    """Yearly hours freed per task, split into time kept for the business and time for impact."""
    data = pd.DataFrame({
        "Task": list(freed["task"]) * 2,
        "Use": ["For the impact goal"] * len(freed) + ["Kept for the business"] * len(freed),
        "Hours a year": list(freed["impact_hours_per_year"])
        + list(freed["hours_freed_per_year"] - freed["impact_hours_per_year"]),
    })
    return grouped_bar_chart(
        data, category="Task", value="Hours a year", group="Use",
        title="Hours freed each year, and how they are used",
        description="For each task, two bars: the hours a year automation frees that go to the "
                    "impact goal, and the hours kept for the business.")


# --- intermediate: the KPI planner -----------------------------------------------------------

KPI_COLUMNS = ("process", "kind", "kpi", "baseline", "target", "current")
# The first rule whose test fits a KPI's progress (1.0 = target reached) names its status.
PROGRESS_STATUS: tuple[tuple[Callable[[float], bool], str], ...] = (
    (lambda progress: progress >= 1, "target met"),
    (lambda progress: progress > 0, "on the way"),
    (lambda progress: progress == 0, "no change yet"),
    (lambda progress: True, "moving the wrong way"),
)
# Per process, the first rule that fits its mean business and social progress.
BALANCE_RULES: tuple[tuple[Callable[[float, float], bool], str], ...] = (
    (lambda business, social: business > 0 and social < 0,
     "helps the business but hurts people: rethink it"),
    (lambda business, social: business < 0 and social > 0,
     "does good but costs the business: check it can last"),
    (lambda business, social: business < 0 and social < 0, "failing on both: stop and review"),
    (lambda business, social: True, "moving together"),
)


def _status(progress: float) -> str:
    return next(label for test, label in PROGRESS_STATUS if test(progress))


def kpi_progress(plan: pd.DataFrame) -> pd.DataFrame:
    """Progress of each KPI from baseline to target, whichever way 'better' points.

    progress = (current - baseline) / (target - baseline): 0 at the baseline, 1 at the target,
    above 1 beyond it and below 0 when the KPI moved away from its target. A target below the
    baseline means lower is better, and the same formula handles it.
    """
    where = "KPI planner"
    require_columns(plan, KPI_COLUMNS, where)
    bad_kind = plan.loc[~plan["kind"].isin(["business", "social"]), "kpi"]
    if not bad_kind.empty:
        raise ExerciseInputError(f"{where}: KPI {bad_kind.iloc[0]!r} has a kind other than "
                                 "'business' or 'social'.")
    flat = plan.loc[plan["target"] == plan["baseline"], "kpi"]
    if not flat.empty:
        raise ExerciseInputError(f"{where}: KPI {flat.iloc[0]!r} has the same baseline and "
                                 "target; set a target that differs from where you start.")
    table = plan[list(KPI_COLUMNS)].copy()
    table["direction"] = ["lower is better" if target < baseline else "higher is better"
                          for baseline, target in zip(plan["baseline"], plan["target"],
                                                      strict=True)]
    table["progress"] = (plan["current"] - plan["baseline"]) / (plan["target"] - plan["baseline"])
    table["status"] = table["progress"].map(_status)
    return table.reset_index(drop=True)


def kpi_pairing(plan: pd.DataFrame) -> pd.DataFrame:
    """Per process: how many business and social KPIs it has, and what is missing."""
    require_columns(plan, ("process", "kind"), "KPI planner")
    counts = (pd.crosstab(plan["process"], plan["kind"])
              .reindex(columns=["business", "social"], fill_value=0)
              .reindex(pd.unique(plan["process"])))
    missing = [", ".join(f"add a {kind} KPI" for kind in ("business", "social") if row[kind] == 0)
               or "paired" for _, row in counts.iterrows()]
    return pd.DataFrame({"process": counts.index, "business_kpis": counts["business"].to_numpy(),
                         "social_kpis": counts["social"].to_numpy(), "check": missing})


def kpi_balance(progress: pd.DataFrame) -> pd.DataFrame:
    """Per process: mean progress of its business and its social KPIs, and what that means."""
    means = (progress.pivot_table(index="process", columns="kind", values="progress",
                                  aggfunc="mean", sort=False)
             .reindex(columns=["business", "social"]))
    verdicts = [next(label for test, label in BALANCE_RULES if test(business, social))
                if pd.notna(business) and pd.notna(social) else "not paired yet"
                for business, social in zip(means["business"], means["social"], strict=True)]
    return pd.DataFrame({"process": means.index, "business_progress": means["business"].to_numpy(),
                         "social_progress": means["social"].to_numpy(), "verdict": verdicts})


def kpi_balance_chart(balance: pd.DataFrame) -> alt.Chart:
    """Business against social progress per process; 100% means the targets are reached."""
    data = balance.melt(id_vars="process", value_vars=["business_progress", "social_progress"],
                        var_name="KPI kind", value_name="Progress")
    data["KPI kind"] = data["KPI kind"].map({"business_progress": "Business",
                                             "social_progress": "Social"})
    data = data.rename(columns={"process": "Process"}).dropna()
    return grouped_bar_chart(
        data, category="Process", value="Progress", group="KPI kind",
        value_title="Progress towards target (1 = reached)",
        title="Is each automation moving business and social KPIs together?",
        description="For every automated process, the average progress of its business KPIs "
                    "and of its social KPIs, from 0 at the baseline to 1 at the target; bars "
                    "left of zero moved the wrong way.")


# --- advanced: the automation-for-impact prioritiser -----------------------------------------

CANDIDATE_SCORES = ("efficiency", "social_benefit", "bias_risk", "privacy_risk",
                    "human_contact_risk", "job_risk")
RISK_COLUMNS = tuple(column for column in CANDIDATE_SCORES if column.endswith("_risk"))
CANDIDATE_LABELS = {"efficiency": "Efficiency gain", "social_benefit": "Social benefit",
                    "bias_risk": "Risk: bias", "privacy_risk": "Risk: privacy",
                    "human_contact_risk": "Risk: human contact", "job_risk": "Risk: jobs"}
DEFAULT_EFFICIENCY_WEIGHT = 0.5
DEFAULT_RISK_PENALTY = 0.5
# Verdict bands from safest to riskiest: green, orange, vermillion (all Okabe-Ito).
VERDICT_COLOURS = (OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"])


def _verdict(worst_risk: int, samples: SocialImpactSamples) -> str:
    return next(band.verdict for band in samples.verdicts if worst_risk <= band.up_to_risk)


def _scored(candidates: pd.DataFrame, efficiency_weight: float, risk_penalty: float,
            risk: pd.Series) -> pd.DataFrame:
    where = "prioritiser"
    check_scores(candidates, "candidate", CANDIDATE_SCORES, RATING_LOW, RATING_HIGH, where)
    _check_number(efficiency_weight, where, "efficiency_weight", 0, 1)
    _check_number(risk_penalty, where, "risk_penalty", 0, 2)
    table = candidates[["candidate", "social_benefit"]].copy()
    table["benefit"] = (efficiency_weight * candidates["efficiency"]
                        + (1 - efficiency_weight) * candidates["social_benefit"])
    table["risk"] = risk
    table["priority"] = table["benefit"] - risk_penalty * (table["risk"] - RATING_LOW)
    return table


def prioritise(candidates: pd.DataFrame, efficiency_weight: float = DEFAULT_EFFICIENCY_WEIGHT,
               risk_penalty: float = DEFAULT_RISK_PENALTY,
               samples: SocialImpactSamples | None = None) -> pd.DataFrame:
    """Rank candidate automations; the worst of the four risks decides the verdict.

    benefit = w x efficiency + (1 - w) x social_benefit; priority = benefit - penalty x
    (worst risk - 1). Candidates are ordered by verdict band first (go ahead, with safeguards,
    redesign), then by priority, then by social benefit. An average of the risks would let one
    severe harm hide behind three mild ones; the worst risk cannot hide.
    """
    samples = samples or load_samples()
    risks = candidates.reindex(columns=list(RISK_COLUMNS))
    table = _scored(candidates, efficiency_weight, risk_penalty, risks.max(axis=1))
    labels = {risk.id: risk for risk in samples.risks}
    # Risks inside the first verdict band need no safeguard, so none is named for them.
    serious = [labels[column] if value > samples.verdicts[0].up_to_risk else None
               for column, value in zip(risks.idxmax(axis=1), table["risk"], strict=True)]
    table["worst_risk"] = [risk.label if risk else "none serious" for risk in serious]
    table["verdict"] = [_verdict(int(value), samples) for value in table["risk"]]
    table["first_safeguard"] = [risk.safeguard if risk else "" for risk in serious]
    band = {band.verdict: order for order, band in enumerate(samples.verdicts)}
    table["band"] = table["verdict"].map(band)
    table = table.sort_values(["band", "priority", "social_benefit", "candidate"],
                              ascending=[True, False, False, True], kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.drop(columns=["band", "social_benefit"]).rename(
        columns={"risk": "worst_risk_score"}).reset_index(drop=True)


def risk_rule_comparison(candidates: pd.DataFrame,
                         efficiency_weight: float = DEFAULT_EFFICIENCY_WEIGHT,
                         risk_penalty: float = DEFAULT_RISK_PENALTY) -> pd.DataFrame:
    """Each candidate's rank by the worst-risk rule next to its rank if risks were averaged."""
    worst = prioritise(candidates, efficiency_weight, risk_penalty)
    averaged = _scored(candidates, efficiency_weight, risk_penalty,
                       candidates[list(RISK_COLUMNS)].mean(axis=1))
    averaged = averaged.sort_values(["priority", "social_benefit", "candidate"],
                                    ascending=[False, False, True], kind="stable")
    average_rank = dict(zip(averaged["candidate"], range(1, len(averaged) + 1), strict=True))
    return pd.DataFrame({
        "candidate": worst["candidate"],
        "rank_by_worst_risk": worst["rank"],
        "rank_if_risks_averaged": worst["candidate"].map(average_rank),
        "verdict": worst["verdict"],
    })


def prioritiser_chart(ranked: pd.DataFrame, samples: SocialImpactSamples | None = None
                      ) -> alt.Chart:
    """Priority per candidate in rank order, coloured by verdict (go green, redesign red)."""
    bands = (samples or load_samples()).verdicts
    colors = dict(zip([band.verdict for band in bands], VERDICT_COLOURS, strict=False))
    data = ranked.rename(columns={"candidate": "Candidate", "priority": "Priority",
                                  "verdict": "Verdict", "worst_risk": "Worst risk"})
    return bar_chart(
        data[["Candidate", "Priority", "Verdict", "Worst risk"]], category="Candidate",
        value="Priority", color="Verdict", colors=colors, in_data_order=True,
        title="Which automation to do first, and on what terms",
        description="Candidate automations from first to last in the recommended order, each "
                    "bar its priority score (benefit minus a penalty for its worst risk), "
                    "coloured by the verdict its worst risk leads to.")


# --- notebook widgets --------------------------------------------------------------------------

_STYLE = {"description_width": "14em"}
_WIDE = widgets.Layout(width="36em")


def _redraw(output: widgets.Output, draw: Callable[[], None]) -> Callable[..., None]:
    """A callback that clears ``output`` and draws into it; shows input problems as text."""
    def redraw(*_: object) -> None:
        with output:
            output.clear_output(wait=True)
            try:
                draw()
            except ExerciseInputError as exc:
                display(Markdown(f"**Check your input:** {exc}"))
    return redraw


def freed_resources_explorer(tasks: pd.DataFrame | None = None) -> widgets.Widget:
    """Sliders for each task's automatable share and for the share given to the impact goal."""
    table = (example_tasks() if tasks is None else tasks).copy()
    shares = {task: widgets.FloatSlider(value=share, min=0, max=1, step=0.05,
                                        description=task, style=_STYLE, layout=_WIDE,
                                        readout_format=".0%")
              for task, share in zip(table["task"], table["automatable_share"], strict=True)}
    reinvest = widgets.FloatSlider(value=0.25, min=0, max=1, step=0.05, readout_format=".0%",
                                   description="Share given to the impact goal", style=_STYLE,
                                   layout=_WIDE)
    goal = widgets.Text(value="volunteering at the community kitchen",
                        description="Your impact goal", style=_STYLE, layout=_WIDE)
    output = widgets.Output()
    latest: dict[str, pd.DataFrame] = {}

    def draw() -> None:
        table["automatable_share"] = [slider.value for slider in shares.values()]
        freed = latest["freed"] = freed_resources(table, reinvest.value)
        display(Markdown(freed_summary(freed, goal.value or "your impact goal")))
        display(freed_resources_chart(freed))

    redraw = _redraw(output, draw)
    for control in (*shares.values(), reinvest, goal):
        control.observe(redraw, names="value")
    redraw()
    header = widgets.HTML("<b>How much of each task could a tool take over?</b>")
    box = widgets.VBox([header, *shares.values(), reinvest, goal, output])
    box.shares, box.reinvest, box.goal, box.output, box.latest = (shares, reinvest, goal,
                                                                   output, latest)
    return box


def kpi_planner(plan: pd.DataFrame | None = None) -> widgets.Widget:
    """Add KPIs to a plan with a small form, and watch pairing, progress and balance update."""
    state = {"plan": (example_kpis() if plan is None else plan).copy()}
    process = widgets.Combobox(options=sorted(pd.unique(state["plan"]["process"])),
                               description="Process", placeholder="e.g. Scheduling",
                               style=_STYLE, layout=_WIDE)
    kind = widgets.ToggleButtons(options=[("Business KPI", "business"),
                                          ("Social KPI", "social")], description="Kind",
                                 style=_STYLE)
    kpi = widgets.Text(description="KPI name", placeholder="e.g. Volunteer hours per month",
                       style=_STYLE, layout=_WIDE)
    numbers = {name: widgets.FloatText(description=name.capitalize(), style=_STYLE,
                                       layout=_WIDE)
               for name in ("baseline", "target", "current")}
    add = widgets.Button(description="Add KPI", button_style="primary")
    clear = widgets.Button(description="Start an empty plan")
    message = widgets.HTML()
    output = widgets.Output()

    def draw() -> None:
        if state["plan"].empty:
            display(Markdown("The plan is empty: add a business and a social KPI for a process."))
            return
        display(Markdown("**Is every process paired?**"), kpi_pairing(state["plan"]))
        progress = kpi_progress(state["plan"])
        display(Markdown("**Progress of each KPI**"),
                progress.drop(columns=["process"]).style.format({"progress": "{:.0%}"}))
        balance = kpi_balance(progress)
        display(Markdown("**Business and social, side by side**"),
                balance.style.format({"business_progress": "{:.0%}",
                                      "social_progress": "{:.0%}"}, na_rep="-"),
                kpi_balance_chart(balance))

    redraw = _redraw(output, draw)

    def on_add(_: object) -> None:
        if not process.value.strip() or not kpi.value.strip():
            message.value = "Give the process and the KPI a name first."
            return
        row = {"process": process.value.strip(), "automation": "", "kind": kind.value,
               "kpi": kpi.value.strip(), **{name: box.value for name, box in numbers.items()}}
        state["plan"] = pd.concat([state["plan"], pd.DataFrame([row])], ignore_index=True)
        process.options = sorted(pd.unique(state["plan"]["process"]))
        message.value = f"Added {row['kind']} KPI <i>{row['kpi']}</i> to {row['process']}."
        redraw()

    def on_clear(_: object) -> None:
        state["plan"] = state["plan"].iloc[0:0]
        message.value = "Started an empty plan."
        redraw()

    add.on_click(on_add)
    clear.on_click(on_clear)
    redraw()
    box = widgets.VBox([process, kind, kpi, *numbers.values(), widgets.HBox([add, clear]),
                        message, output])
    box.state, box.process, box.kind, box.kpi, box.numbers = state, process, kind, kpi, numbers
    box.add_button, box.message, box.output = add, message, output
    return box


def prioritiser(candidates: pd.DataFrame | None = None) -> widgets.Widget:
    """Re-rate a candidate or change the weights, and watch the ranking and verdicts move."""
    editor = ScoreTableEditor(example_candidates() if candidates is None else candidates,
                              "candidate", CANDIDATE_LABELS, RATING_LOW, RATING_HIGH)
    weight = widgets.FloatSlider(value=DEFAULT_EFFICIENCY_WEIGHT, min=0, max=1, step=0.1,
                                 description="Weight of efficiency", style=_STYLE, layout=_WIDE)
    penalty = widgets.FloatSlider(value=DEFAULT_RISK_PENALTY, min=0, max=2, step=0.1,
                                  description="Penalty per risk point", style=_STYLE,
                                  layout=_WIDE)
    output = widgets.Output()
    latest: dict[str, pd.DataFrame] = {}

    def draw() -> None:
        ranked = latest["ranked"] = prioritise(editor.table, weight.value, penalty.value)
        display(ranked.set_index("rank").style.format({"benefit": "{:.2f}",
                                                       "priority": "{:.2f}"}),
                prioritiser_chart(ranked))

    redraw = _redraw(output, draw)
    editor.on_change(redraw)
    weight.observe(redraw, names="value")
    penalty.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([editor.widget, weight, penalty, output])
    box.editor, box.weight, box.penalty, box.output, box.latest = (editor, weight, penalty,
                                                                   output, latest)
    return box
