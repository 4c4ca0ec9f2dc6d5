"""Community-engagement exercises: what does automating a touchpoint cost in human contact?

Four exercises for the community_engagement lessons:

- a touchpoint matrix: for each place a business meets its customers, what automating it gains
  in speed and cost against what it loses in human contact, with a verdict per touchpoint;
- a matching exercise pairing the community risks of CRM, marketing automation and chatbots
  with their mitigations;
- a community-health metric mix that checks whether numbers and customers' voices are balanced;
- a trust-safeguard audit of automated decisions (told, explained, overridable).

Pure functions come first and are tested against hand-computed values; charts and the notebook
widgets follow. Sample data lives in ``content/exercises/community_engagement.yaml``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import Annotated, Literal

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from pydantic import Field, model_validator

from kit.charts.builders import bar_chart, described
from kit.charts.palette import PALETTE
from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.course.exercises.table_editor import ScoreTableEditor
from kit.errors import ExerciseInputError
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "community_engagement.yaml"

# --- sample data --------------------------------------------------------------------------------

SCORE_LOW, SCORE_HIGH = 0, 5
Score = Annotated[int, Field(ge=SCORE_LOW, le=SCORE_HIGH)]
MetricKindId = Literal["quantitative", "qualitative"]


class Touchpoint(Strict):
    touchpoint: Prose
    speed_gain: Score
    cost_saving: Score
    contact_loss: Score


class Tool(Strict):
    id: Identifier
    name: Prose
    benefit: Prose


class Mitigation(Strict):
    id: Identifier
    text: Prose


class Risk(Strict):
    id: Identifier
    tool: Identifier
    text: Prose
    mitigation: Identifier


class MetricKind(Strict):
    id: MetricKindId
    label: Prose
    advice_if_missing: Prose


class CommunityMetric(Strict):
    id: Identifier
    name: Prose
    kind: MetricKindId


class Safeguard(Strict):
    id: Identifier
    label: Prose
    question: Prose


class AutomatedDecision(Strict):
    system: Prose
    in_place: list[Identifier] = Field(default_factory=list)


def _repeated(ids: Iterable[str]) -> list[str]:
    return sorted(item for item, count in Counter(ids).items() if count > 1)


class CommunitySamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    touchpoints: list[Touchpoint] = Field(min_length=1)
    tools: list[Tool] = Field(min_length=1)
    mitigations: list[Mitigation] = Field(min_length=2)
    risks: list[Risk] = Field(min_length=1)
    metric_kinds: list[MetricKind] = Field(min_length=2, max_length=2)
    metrics: list[CommunityMetric] = Field(min_length=2)
    safeguards: list[Safeguard] = Field(min_length=1)
    automated_decisions: list[AutomatedDecision] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> CommunitySamples:
        problems = [f"duplicate {what} id(s): {', '.join(ids)}" for what, ids in (
            ("tool", _repeated(tool.id for tool in self.tools)),
            ("mitigation", _repeated(item.id for item in self.mitigations)),
            ("risk", _repeated(risk.id for risk in self.risks)),
            ("metric", _repeated(metric.id for metric in self.metrics)),
            ("safeguard", _repeated(item.id for item in self.safeguards)),
        ) if ids]
        tools = {tool.id for tool in self.tools}
        mitigations = {item.id for item in self.mitigations}
        safeguards = {item.id for item in self.safeguards}
        problems += [f"risk {risk.id}: unknown tool {risk.tool!r}"
                     for risk in self.risks if risk.tool not in tools]
        problems += [f"risk {risk.id}: unknown mitigation {risk.mitigation!r}"
                     for risk in self.risks if risk.mitigation not in mitigations]
        problems += [f"automated decision {decision.system!r}: unknown safeguard {item!r}"
                     for decision in self.automated_decisions for item in decision.in_place
                     if item not in safeguards]
        if {kind.id for kind in self.metric_kinds} != {"quantitative", "qualitative"}:
            problems.append("metric_kinds must describe 'quantitative' and 'qualitative' once each")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CommunitySamples:
    """The lessons' sample touchpoints, risks, metrics and decisions, validated."""
    return load_model(path, CommunitySamples)


def sample_touchpoints() -> pd.DataFrame:
    """The café's touchpoints as the editable table the matrix reads."""
    return pd.DataFrame([item.model_dump() for item in load_samples().touchpoints])


def sample_decisions() -> pd.DataFrame:
    """The accounting firm's automated decisions: one True/False column per safeguard."""
    samples = load_samples()
    return pd.DataFrame([
        {"system": decision.system,
         **{safeguard.id: safeguard.id in decision.in_place for safeguard in samples.safeguards}}
        for decision in samples.automated_decisions])


# --- touchpoint matrix -------------------------------------------------------------------------

TOUCHPOINT_LABELS = {"speed_gain": "Speed gained", "cost_saving": "Cost saved",
                     "contact_loss": "Human contact lost"}
TOUCHPOINT_SCORES = tuple(TOUCHPOINT_LABELS)
DEFAULT_CONTACT_WEIGHT = 2.0
# A touchpoint gets the first verdict whose floor its net score reaches.
VERDICTS: tuple[tuple[float, str], ...] = (
    (4, "automate"),
    (0, "automate, keep a human touch"),
    (-math.inf, "keep it human"),
)


def verdict(net_score: float) -> str:
    """The advice for one net score, read from the ``VERDICTS`` bands."""
    return next(label for floor, label in VERDICTS if net_score >= floor)


def touchpoint_matrix(touchpoints: pd.DataFrame,
                      contact_weight: float = DEFAULT_CONTACT_WEIGHT) -> pd.DataFrame:
    """Net score and verdict per touchpoint, best candidate for automation first.

    net = speed_gain + cost_saving - contact_weight x contact_loss, every rating 0-5. The
    weight says how much one point of lost human contact counts against one point of gain; the
    default of 2 encodes the lesson's view that contact is what a small business trades on.
    """
    where = "touchpoint matrix"
    check_scores(touchpoints, "touchpoint", TOUCHPOINT_SCORES, SCORE_LOW, SCORE_HIGH, where)
    if isinstance(contact_weight, bool) or not isinstance(contact_weight, Real) \
            or not contact_weight >= 0:
        raise ExerciseInputError(f"{where}: contact_weight is {contact_weight!r}; it must be a "
                                 "number, 0 or more (0 means human contact does not count).")
    table = touchpoints[["touchpoint", *TOUCHPOINT_SCORES]].copy()
    table["net_score"] = (table["speed_gain"] + table["cost_saving"]
                          - contact_weight * table["contact_loss"])
    table["verdict"] = table["net_score"].map(verdict)
    return table.sort_values("net_score", ascending=False, kind="stable").reset_index(drop=True)


# --- risk and mitigation matching --------------------------------------------------------------

NOT_ANSWERED = "(not answered)"


def check_matches(answers: Mapping[str, str | None],
                  samples: CommunitySamples | None = None) -> pd.DataFrame:
    """For each risk: the mitigation chosen, the one that fits best, and whether they agree.

    ``answers`` maps risk ids to mitigation ids; a risk left out (or None) counts as wrong.
    """
    samples = samples or load_samples()
    risks = {risk.id: risk for risk in samples.risks}
    mitigations = {item.id: item.text for item in samples.mitigations}
    unknown_risks = sorted(set(answers) - set(risks))
    if unknown_risks:
        raise ExerciseInputError(f"risk matching: unknown risk id(s) {', '.join(unknown_risks)}; "
                                 f"known: {', '.join(risks)}.")
    for risk_id, chosen in answers.items():
        if chosen is not None and chosen not in mitigations:
            raise ExerciseInputError(f"risk matching: the answer for {risk_id} is {chosen!r}, "
                                     f"which is not a mitigation id; known: "
                                     f"{', '.join(mitigations)}.")
    tools = {tool.id: tool.name for tool in samples.tools}
    rows = []
    for risk in samples.risks:
        chosen = answers.get(risk.id)
        rows.append({"tool": tools[risk.tool], "risk": risk.text,
                     "your_answer": mitigations.get(chosen, NOT_ANSWERED),
                     "best_answer": mitigations[risk.mitigation],
                     "correct": chosen == risk.mitigation})
    return pd.DataFrame(rows)


# --- community-health metric mix ---------------------------------------------------------------

MIN_SHARE = Fraction(1, 3)  # each kind of measure should be at least a third of the mix


def metric_mix(chosen: Iterable[str], samples: CommunitySamples | None = None) -> pd.DataFrame:
    """How many of the chosen measures are numbers and how many are customers' voices."""
    samples = samples or load_samples()
    metrics = {metric.id: metric for metric in samples.metrics}
    picked = list(dict.fromkeys(chosen))
    unknown = [metric_id for metric_id in picked if metric_id not in metrics]
    if unknown:
        raise ExerciseInputError(f"metric mix: unknown metric id(s) {', '.join(unknown)}; "
                                 f"known: {', '.join(metrics)}.")
    if not picked:
        raise ExerciseInputError("metric mix: no metrics chosen; pick at least one to see the mix.")
    rows = []
    for kind in samples.metric_kinds:
        names = [metrics[metric_id].name for metric_id in picked
                 if metrics[metric_id].kind == kind.id]
        rows.append({"kind": kind.id, "label": kind.label, "count": len(names),
                     "share": 100 * len(names) / len(picked), "metrics": "; ".join(names)})
    return pd.DataFrame(rows)


def mix_advice(mix: pd.DataFrame, samples: CommunitySamples | None = None) -> list[str]:
    """Advice for each kind of measure below a third of the mix; empty when it is balanced."""
    samples = samples or load_samples()
    require_columns(mix, ["kind", "count"], "metric mix advice")
    total = int(mix["count"].sum())
    if total == 0:
        raise ExerciseInputError("metric mix advice: the mix counts no measures at all; choose "
                                 "at least one first.")
    advice = {kind.id: kind.advice_if_missing for kind in samples.metric_kinds}
    return [advice[row.kind] for row in mix.itertuples()
            if Fraction(int(row.count), total) < MIN_SHARE]


# --- trust-safeguard audit ---------------------------------------------------------------------

# Indexed by the number of missing safeguards; two or more missing is high.
TRUST_RISK = ("low", "medium", "high")


def safeguard_gaps(decisions: pd.DataFrame,
                   safeguards: Sequence[Safeguard] | None = None) -> pd.DataFrame:
    """Which safeguards each automated decision lacks, riskiest decision first.

    ``decisions`` has a ``system`` column and one True/False column per safeguard id.
    """
    safeguards = list(safeguards or load_samples().safeguards)
    where = "safeguard audit"
    ids = [safeguard.id for safeguard in safeguards]
    require_columns(decisions, ["system", *ids], where)
    require_unique_labels(decisions, "system", where)
    for column in ids:
        odd = [value for value in decisions[column] if not isinstance(value, bool | np.bool_)]
        if odd:
            raise ExerciseInputError(f"{where}: column {column} holds {odd[0]!r}; use True when "
                                     "the safeguard is in place and False when it is not.")
    rows = []
    for _, decision in decisions.iterrows():
        missing = [safeguard.label for safeguard in safeguards if not decision[safeguard.id]]
        rows.append({"system": decision["system"], "in_place": len(ids) - len(missing),
                     "missing": ", ".join(missing) or "none",
                     "trust_risk": TRUST_RISK[min(len(missing), len(TRUST_RISK) - 1)]})
    table = pd.DataFrame(rows)
    return table.sort_values("in_place", kind="stable").reset_index(drop=True)


# --- charts -------------------------------------------------------------------------------------

DIVERGING = [PALETTE[4], "#FFFFFF", PALETTE[3]]  # vermillion (loss) - white - blue (gain)
SAFEGUARD_COLOURS = {"in place": PALETTE[2], "missing": PALETTE[4]}


def _tile_grid(data: pd.DataFrame, *, x: str, y: str, color: alt.Color, text: str,
               x_order: list[str], y_order: list[str]) -> alt.LayerChart:
    """Coloured tiles with their value written on them, so colour is never the only cue."""
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:N", sort=x_order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=180)),
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=list(data.columns),
    )
    return alt.layer(base.mark_rect(stroke="#FFFFFF").encode(color=color),
                     base.mark_text(fontSize=13).encode(text=f"{text}:N"))


def touchpoint_chart(matrix: pd.DataFrame) -> alt.LayerChart:
    """Gains in blue, weighted loss of contact in vermillion, and the net score per touchpoint."""
    require_columns(matrix, ["touchpoint", *TOUCHPOINT_SCORES, "net_score", "verdict"],
                    "touchpoint chart")
    columns = {"Speed gained": matrix["speed_gain"], "Cost saved": matrix["cost_saving"],
               "Contact lost (weighted)": matrix["net_score"] - matrix["speed_gain"]
               - matrix["cost_saving"], "Net score": matrix["net_score"]}
    long = pd.concat([pd.DataFrame({"touchpoint": matrix["touchpoint"], "column": name,
                                    "value": values, "verdict": matrix["verdict"]})
                      for name, values in columns.items()], ignore_index=True)
    long["label"] = long["value"].map(lambda value: f"{value:+g}")
    reach = max(1.0, float(long["value"].abs().max()))
    color = alt.Color("value:Q", title="Effect on score",
                      scale=alt.Scale(domain=[-reach, 0, reach], range=DIVERGING))
    grid = _tile_grid(long, x="column", y="touchpoint", color=color, text="label",
                      x_order=list(columns), y_order=list(matrix["touchpoint"]))
    verdicts = "; ".join(f"{row.touchpoint}: net {row.net_score:+g}, {row.verdict}"
                         for row in matrix.itertuples())
    return described(grid.properties(width=440), "What automating each touchpoint gains and costs",
                     "Grid of touchpoints by speed gained, cost saved, weighted contact lost and "
                     f"net score; gains are blue, losses vermillion. {verdicts}.")


def metric_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Count of chosen measures by kind, one colour per kind."""
    summary = ", ".join(f"{row.label}: {row.count}" for row in mix.itertuples())
    data = mix.rename(columns={"label": "kind of measure", "count": "measures chosen"})
    return bar_chart(data[["kind of measure", "measures chosen", "metrics"]],
                     category="kind of measure", value="measures chosen", color="kind of measure",
                     title="Numbers and voices in your community-health measures",
                     description=f"Bars counting the chosen measures of each kind. {summary}.")


def safeguard_chart(decisions: pd.DataFrame,
                    safeguards: Sequence[Safeguard] | None = None) -> alt.LayerChart:
    """A tile per decision and safeguard: green and 'yes' when in place, vermillion and 'no'."""
    safeguards = list(safeguards or load_samples().safeguards)
    long = pd.DataFrame([
        {"system": row["system"], "safeguard": safeguard.label,
         "status": "in place" if row[safeguard.id] else "missing",
         "mark": "yes" if row[safeguard.id] else "no"}
        for _, row in decisions.iterrows() for safeguard in safeguards])
    color = alt.Color("status:N", title="Safeguard",
                      scale=alt.Scale(domain=list(SAFEGUARD_COLOURS),
                                      range=list(SAFEGUARD_COLOURS.values())))
    grid = _tile_grid(long, x="safeguard", y="system", color=color, text="mark",
                      x_order=[safeguard.label for safeguard in safeguards],
                      y_order=list(decisions["system"]))
    gaps = "; ".join(f"{row.system}: missing {row.missing}"
                     for row in safeguard_gaps(decisions, safeguards).itertuples())
    return described(grid.properties(width=420), "Trust safeguards on each automated decision",
                     f"Grid of automated decisions by safeguard, yes or no. {gaps}.")


# --- notebook widgets ---------------------------------------------------------------------------

_STYLE = {"description_width": "12em"}
_WIDE = widgets.Layout(width="32em")


def touchpoint_explorer(touchpoints: pd.DataFrame | None = None) -> widgets.Widget:
    """Pick a touchpoint, move its ratings or the contact weight, watch the verdicts change."""
    editor = ScoreTableEditor(sample_touchpoints() if touchpoints is None else touchpoints,
                              "touchpoint", TOUCHPOINT_LABELS, SCORE_LOW, SCORE_HIGH)
    weight = widgets.FloatSlider(value=DEFAULT_CONTACT_WEIGHT, min=0, max=4, step=0.5,
                                 description="Weight of contact", style=_STYLE, layout=_WIDE)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        matrix = touchpoint_matrix(editor.table, weight.value)
        with output:
            output.clear_output(wait=True)
            display(matrix.set_index("touchpoint"))
            display(touchpoint_chart(matrix))

    editor.on_change(redraw)
    weight.observe(redraw, names="value")
    redraw()
    return widgets.VBox([editor.widget, weight, output])


def risk_matching(samples: CommunitySamples | None = None) -> widgets.Widget:
    """One drop-down of mitigations per risk; Check marks each match and shows the best one."""
    samples = samples or load_samples()
    choices = [("(choose a mitigation)", ""),
               *sorted((item.text, item.id) for item in samples.mitigations)]
    tools = {tool.id: tool.name for tool in samples.tools}
    pickers = {risk.id: widgets.Dropdown(options=choices, value="",
                                         layout=widgets.Layout(width="34em"))
               for risk in samples.risks}
    rows = [widgets.VBox([widgets.HTML(f"<b>{tools[risk.tool]}</b>: {risk.text}"),
                          pickers[risk.id]]) for risk in samples.risks]
    button = widgets.Button(description="Check", button_style="primary")
    output = widgets.Output()

    def check(*_: object) -> None:
        results = check_matches({risk_id: picker.value or None
                                 for risk_id, picker in pickers.items()}, samples)
        with output:
            output.clear_output(wait=True)
            display(Markdown(f"**{int(results['correct'].sum())} of {len(results)} matched.**"))
            display(results.set_index("risk")[["your_answer", "best_answer", "correct"]])

    button.on_click(check)
    return widgets.VBox([*rows, button, output])


def metric_mix_picker(start_with: Sequence[str] = ("transactions", "acquisition_cost"),
                      samples: CommunitySamples | None = None) -> widgets.Widget:
    """Tick the measures you would track; the mix, the advice and the chart follow."""
    samples = samples or load_samples()
    boxes = {metric.id: widgets.Checkbox(value=metric.id in start_with, description=metric.name,
                                         indent=False, layout=widgets.Layout(width="34em"))
             for metric in samples.metrics}
    output = widgets.Output()

    def redraw(*_: object) -> None:
        chosen = [metric_id for metric_id, box in boxes.items() if box.value]
        with output:
            output.clear_output(wait=True)
            if not chosen:
                display(Markdown("Tick at least one measure."))
                return
            mix = metric_mix(chosen, samples)
            advice = mix_advice(mix, samples)
            display(mix.set_index("label")[["count", "share", "metrics"]].round(1))
            display(Markdown("\n".join(f"- {text}" for text in advice)
                             or "**Balanced:** you will see both what happens and why."))
            display(metric_mix_chart(mix))

    for box in boxes.values():
        box.observe(redraw, names="value")
    redraw()
    return widgets.VBox([*boxes.values(), output])


def safeguard_audit(decisions: pd.DataFrame | None = None) -> widgets.Widget:
    """Tick the safeguards each automated decision has; gaps and trust risk update at once."""
    safeguards = load_samples().safeguards
    table = (sample_decisions() if decisions is None else decisions).copy()
    boxes = {(index, safeguard.id): widgets.Checkbox(value=bool(table.at[index, safeguard.id]),
                                                      description=safeguard.label, indent=False)
             for index in table.index for safeguard in safeguards}
    output = widgets.Output()

    def redraw(*_: object) -> None:
        for (index, column), box in boxes.items():
            table.at[index, column] = box.value
        with output:
            output.clear_output(wait=True)
            display(safeguard_gaps(table, safeguards).set_index("system"))
            display(safeguard_chart(table, safeguards))

    for box in boxes.values():
        box.observe(redraw, names="value")
    redraw()
    rows = [widgets.VBox([widgets.HTML(f"<b>{table.at[index, 'system']}</b>"),
                          widgets.HBox([boxes[index, safeguard.id] for safeguard in safeguards])])
            for index in table.index]
    return widgets.VBox([*rows, output])
