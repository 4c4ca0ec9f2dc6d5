"""Customer-relationship exercises: fair decisions, lean data, and a checklist of habits.

Three exercises for the customer_relationships lessons (and one reused in customer_experience):

- a bias audit: approval rates per group, the disparate-impact ratio (lowest group rate divided
  by highest) and the four-fifths rule, over invented loan applications scored by a transparent
  points rule that can use or ignore the applicant's postcode;
- a data-minimisation review: every field a business collects, the purpose it is kept for, and
  whether that purpose really needs it;
- the nine-point ethical automation checklist from ``content/checklists/ethical_automation.yaml``
  with a tick-box widget that lists the gaps.

Pure functions come first and are tested against hand-computed values; widgets come last.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Literal

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display
from pydantic import Field, model_validator

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.course.exercises.score_tables import require_columns, require_unique_labels
from kit.course.exercises.status_tiles import status_tiles
from kit.errors import ExerciseInputError, InputFileError
from kit.paths import CONTENT_DIR

CHECKLIST_FILE = CONTENT_DIR / "checklists" / "ethical_automation.yaml"
SAMPLES_FILE = CONTENT_DIR / "exercises" / "customer_relationships.yaml"
LOANS_FILE = CONTENT_DIR / "exercises" / "customer_relationships_loans.csv"
FOUR_FIFTHS = Fraction(4, 5)

# --- bias audit -------------------------------------------------------------------------------


def approval_rates(applications: pd.DataFrame, group: str = "group",
                   outcome: str = "approved") -> pd.DataFrame:
    """Applications, approvals and approval rate per group: the first table of any bias audit."""
    where = "approval rates"
    require_columns(applications, [group, outcome], where)
    if applications[group].isna().any():
        raise ExerciseInputError(f"{where}: some rows have no {group!r}; every application "
                                 "needs a group to be counted.")
    outcomes = applications[outcome]
    if not outcomes.isin([True, False]).all():
        odd = outcomes[~outcomes.isin([True, False])].iloc[0]
        raise ExerciseInputError(f"{where}: column {outcome!r} holds {odd!r}; it must say "
                                 "True/False (or 1/0) for approved or not.")
    table = (applications.assign(**{outcome: outcomes.astype(bool)})
             .groupby(group, sort=True)[outcome]
             .agg(applications="size", approved="sum")
             .reset_index()
             .rename(columns={group: "group"}))
    table["approved"] = table["approved"].astype(int)
    table["rate"] = table["approved"] / table["applications"]
    return table


@dataclass(frozen=True)
class DisparateImpact:
    """The outcome of comparing the least and the most favoured group."""

    ratio: Fraction
    lowest_group: str
    highest_group: str
    threshold: Fraction = FOUR_FIFTHS

    @property
    def passes(self) -> bool:
        return self.ratio >= self.threshold

    def verdict(self) -> str:
        """One sentence a participant can read out."""
        outcome = "meets" if self.passes else "fails"
        return (f"Group {self.lowest_group} is approved at {float(self.ratio):.0%} of the rate "
                f"of group {self.highest_group}: this {outcome} the four-fifths rule "
                f"(at least {float(self.threshold):.0%}).")


def disparate_impact(rates: pd.DataFrame, threshold: Fraction = FOUR_FIFTHS) -> DisparateImpact:
    """Lowest group approval rate / highest, compared with the four-fifths (0.8) rule.

    The ratio is worked out from whole counts as a fraction, so a ratio of exactly 4/5 counts
    as meeting the rule instead of depending on floating-point rounding.
    """
    require_columns(rates, ["group", "applications", "approved"], "disparate impact")
    if len(rates) < 2:
        raise ExerciseInputError("disparate impact: only one group in the table; the ratio "
                                 "compares groups, so it needs at least two.")
    exact = {str(row.group): Fraction(int(row.approved), int(row.applications))
             for row in rates.itertuples()}
    highest = max(exact, key=exact.__getitem__)
    lowest = min(exact, key=exact.__getitem__)
    if exact[highest] == 0:
        raise ExerciseInputError("disparate impact: no group has any approvals, so there is no "
                                 "highest rate to compare with.")
    return DisparateImpact(exact[lowest] / exact[highest], lowest, highest, threshold)


class LoanScoring(Strict):
    """A points rule simple enough to explain to an applicant, read from the samples file."""

    points_per_thousand_income: float
    points_per_missed_payment: float
    postcode_points: dict[str, float] = Field(min_length=1)
    threshold: float


def load_applications(path: Path = LOANS_FILE) -> pd.DataFrame:
    """The invented loan applications the audit lessons use."""
    try:
        return pd.read_csv(path, dtype={"group": str})
    except (OSError, pd.errors.ParserError) as exc:
        raise InputFileError(f"{path}: cannot read the applications ({exc})") from None


def score_applications(applications: pd.DataFrame, scoring: LoanScoring, *,
                       threshold: float | None = None, use_postcode: bool = True) -> pd.DataFrame:
    """Add each applicant's score and whether it reaches the threshold (``approved``)."""
    where = "loan scoring"
    require_columns(applications, ["postcode_area", "income_k", "missed_payments"], where)
    unknown = sorted(set(applications["postcode_area"]) - set(scoring.postcode_points))
    if unknown:
        raise ExerciseInputError(f"{where}: postcode area(s) {', '.join(map(repr, unknown))} "
                                 "have no points in the scoring rule; known areas: "
                                 f"{', '.join(scoring.postcode_points)}.")
    postcode = applications["postcode_area"].map(scoring.postcode_points) if use_postcode else 0
    score = (applications["income_k"] * scoring.points_per_thousand_income
             + applications["missed_payments"] * scoring.points_per_missed_payment
             + postcode).round(2)
    cut = scoring.threshold if threshold is None else threshold
    return applications.assign(score=score, approved=score >= cut)


# --- data minimisation ----------------------------------------------------------------------

Verdict = Literal["keep", "beyond purpose", "no purpose"]
VERDICT_COLOURS: dict[str, str] = {
    "keep": OKABE_ITO["bluish_green"],
    "beyond purpose": OKABE_ITO["orange"],
    "no purpose": OKABE_ITO["vermillion"],
}
NO_PURPOSE = "(no purpose)"
CHECKLIST_COLOURS = {"in place": OKABE_ITO["bluish_green"], "gap": OKABE_ITO["vermillion"]}


def _has_purpose(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def review_data_collection(fields: pd.DataFrame,
                           purposes: Mapping[str, Collection[str]]) -> pd.DataFrame:
    """Each collected field with a verdict: keep, beyond its purpose, or kept for no purpose.

    ``fields`` has one row per field with columns ``field`` and ``purpose`` (empty when nothing
    uses it); ``purposes`` maps each purpose to the fields it genuinely needs.
    """
    where = "data minimisation"
    require_columns(fields, ["field", "purpose"], where)
    require_unique_labels(fields, "field", where)
    named = fields.loc[fields["purpose"].map(_has_purpose), "purpose"]
    unknown = sorted(set(named) - set(purposes))
    if unknown:
        raise ExerciseInputError(f"{where}: purpose(s) {', '.join(map(repr, unknown))} are not "
                                 f"defined; known purposes: {', '.join(purposes)}.")
    rows = []
    for row in fields.itertuples():
        if not _has_purpose(row.purpose):
            verdict, advice = "no purpose", ("Nothing you do uses it: stop asking for it and "
                                             "delete what you already hold.")
        elif row.field in purposes[row.purpose]:
            verdict, advice = "keep", f"Needed for {row.purpose}."
        else:
            needs = ", ".join(sorted(purposes[row.purpose]))
            verdict, advice = "beyond purpose", (f"{row.purpose} needs only {needs}; drop this "
                                                 "field or collect a less detailed one.")
        rows.append({"field": row.field, "purpose": row.purpose if verdict != "no purpose"
                     else NO_PURPOSE, "verdict": verdict, "advice": advice})
    return pd.DataFrame(rows)


class Purpose(Strict):
    id: Identifier
    label: Prose
    needs: list[Identifier] = Field(min_length=1)


class CollectedField(Strict):
    field: Identifier
    description: Prose
    purpose: Identifier | None


class DataInventory(Strict):
    """What one business collects and why, as the review exercise starts from it."""

    id: Identifier
    title: Prose
    purposes: list[Purpose] = Field(min_length=1)
    fields: list[CollectedField] = Field(min_length=1)

    @model_validator(mode="after")
    def _purposes_exist(self) -> DataInventory:
        known = {purpose.id for purpose in self.purposes}
        unknown = sorted({f.purpose for f in self.fields if f.purpose and f.purpose not in known})
        if unknown:
            raise ValueError(f"fields name undefined purpose(s): {', '.join(unknown)}")
        return self

    def needs(self) -> dict[str, set[str]]:
        return {purpose.id: set(purpose.needs) for purpose in self.purposes}

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([f.model_dump() for f in self.fields])


# --- the nine-point checklist ----------------------------------------------------------------


class ChecklistItem(Strict):
    id: Identifier
    area: Prose
    question: Prose
    action: Prose = Field(description="A first step that closes the gap.")


class Checklist(Strict):
    schema_version: Literal[1]
    source: SourceFile
    title: Prose
    items: list[ChecklistItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        ids = [item.id for item in self.items]
        duplicates = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
        if duplicates:
            raise ValueError(f"duplicate checklist item id(s): {', '.join(duplicates)}")
        return self


@lru_cache(maxsize=4)
def load_checklist(path: Path = CHECKLIST_FILE) -> Checklist:
    """The checklist, validated (file:line messages through DefinitionError)."""
    return load_model(path, Checklist)


def checklist_review(checklist: Checklist, ticked: Iterable[str]) -> pd.DataFrame:
    """Every item with whether it is in place, and for gaps the first step to take."""
    done = set(ticked)
    unknown = sorted(done - {item.id for item in checklist.items})
    if unknown:
        raise ExerciseInputError(f"checklist: unknown item id(s) {', '.join(unknown)}; items "
                                 f"are {', '.join(item.id for item in checklist.items)}.")
    return pd.DataFrame([{"id": item.id, "area": item.area, "question": item.question,
                          "in_place": item.id in done,
                          "next_step": "" if item.id in done else item.action}
                         for item in checklist.items])


def gap_summary(review: pd.DataFrame) -> str:
    """'6 of 9 in place; gaps: ...' as the widget and a facilitator would say it."""
    gaps = review.loc[~review["in_place"], "area"].tolist()
    head = f"{len(review) - len(gaps)} of {len(review)} in place"
    return f"{head}; gaps: {', '.join(gaps)}." if gaps else f"{head}: no gaps."


# --- sample data -----------------------------------------------------------------------------


class CustomerRelationshipSamples(Strict):
    schema_version: Literal[1]
    loan_scoring: LoanScoring
    data_inventories: list[DataInventory] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CustomerRelationshipSamples:
    """The scoring rule and data inventories the lessons use, validated."""
    return load_model(path, CustomerRelationshipSamples)


def data_inventory(inventory_id: str) -> DataInventory:
    """One business's list of collected fields and purposes from the samples file, by id."""
    inventories = load_samples().data_inventories
    for inventory in inventories:
        if inventory.id == inventory_id:
            return inventory
    raise ExerciseInputError(f"{SAMPLES_FILE.name}: no data inventory {inventory_id!r}; known: "
                             f"{', '.join(i.id for i in inventories)}.")


# --- charts -------------------------------------------------------------------------------------


def approval_chart(rates: pd.DataFrame, impact: DisparateImpact) -> alt.LayerChart:
    """Approval rate per group, with the line a group must reach under the four-fifths rule."""
    line = float(impact.threshold) * rates["rate"].max()
    table = rates.assign(percent=100 * rates["rate"],
                         position=["below the line" if rate < line else "at or above the line"
                                   for rate in rates["rate"]])
    bars = alt.Chart(table).mark_bar().encode(
        x=alt.X("group:N", title="Group", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("percent:Q", title="Approval rate (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("position:N", title="Four-fifths line",
                        scale=alt.Scale(domain=["at or above the line", "below the line"],
                                        range=[OKABE_ITO["bluish_green"],
                                               OKABE_ITO["vermillion"]])),
        tooltip=["group", "applications", "approved", alt.Tooltip("percent:Q", format=".0f")],
    )
    rule = alt.Chart(pd.DataFrame({"percent": [100 * line]})).mark_rule(
        strokeDash=[6, 4], color=OKABE_ITO["black"]).encode(y="percent:Q")
    rates_text = ", ".join(f"group {row.group} {row.rate:.0%}" for row in rates.itertuples())
    return described((bars + rule).properties(width=320), "Approval rate by group",
                     f"Bars show the share of applications approved: {rates_text}. The dashed "
                     f"line marks four fifths of the highest rate. {impact.verdict()}")


def minimisation_chart(review: pd.DataFrame) -> alt.Chart:
    """How many fields each purpose holds, split by verdict."""
    chart = alt.Chart(review).mark_bar().encode(
        y=alt.Y("purpose:N", title=None),
        x=alt.X("count():Q", title="Fields collected", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("verdict:N", title="Verdict",
                        scale=alt.Scale(domain=list(VERDICT_COLOURS),
                                        range=list(VERDICT_COLOURS.values()))),
        tooltip=["purpose", "verdict", "field"],
    )
    counts = review["verdict"].value_counts()
    text = ", ".join(f"{counts.get(verdict, 0)} {verdict}" for verdict in VERDICT_COLOURS)
    return described(chart, "What the data is for",
                     f"Fields collected, grouped by the purpose given for them: {text}.")


def checklist_chart(review: pd.DataFrame) -> alt.LayerChart:
    """One tile per checklist area, saying whether it is in place."""
    table = review.assign(status=review["in_place"].map({True: "in place", False: "gap"}))
    return status_tiles(table, label="area", status="status", colours=CHECKLIST_COLOURS,
                        tooltip=["area", "status", "next_step"],
                        title="Ethical automation checklist", description=gap_summary(review))


# --- notebook widgets -------------------------------------------------------------------------

_STYLE = {"description_width": "12em"}


def bias_audit() -> widgets.Widget:
    """Move the threshold, switch the postcode on or off, and watch the four-fifths verdict."""
    applications, scoring = load_applications(), load_samples().loan_scoring
    threshold = widgets.FloatSlider(value=scoring.threshold, min=0.5, max=5.0, step=0.1,
                                    description="Approval threshold", style=_STYLE)
    postcode = widgets.Checkbox(value=True, description="Score uses the postcode area",
                                indent=False)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        scored = score_applications(applications, scoring, threshold=threshold.value,
                                    use_postcode=postcode.value)
        rates = approval_rates(scored)
        impact = disparate_impact(rates)
        with output:
            output.clear_output(wait=True)
            display(rates.assign(rate=rates["rate"].round(2)).set_index("group"))
            display(Markdown(f"**Disparate-impact ratio {float(impact.ratio):.2f}.** "
                             f"{impact.verdict()}"))
            display(approval_chart(rates, impact))

    threshold.observe(redraw, names="value")
    postcode.observe(redraw, names="value")
    redraw()
    return widgets.VBox([threshold, postcode, output])


def data_minimisation_review(inventory_id: str = "bookshop_events") -> widgets.Widget:
    """Choose a purpose for each field, press Review, read the verdicts and the chart."""
    inventory = data_inventory(inventory_id)
    choices = [(NO_PURPOSE, "")] + [(p.label, p.id) for p in inventory.purposes]
    pickers = {f.field: widgets.Dropdown(options=choices, value=f.purpose or "",
                                         description=f.field, style=_STYLE,
                                         tooltip=f.description)
               for f in inventory.fields}
    button = widgets.Button(description="Review", button_style="primary")
    output = widgets.Output()

    def review(*_: object) -> None:
        table = pd.DataFrame({"field": list(pickers),
                              "purpose": [picker.value for picker in pickers.values()]})
        result = review_data_collection(table, inventory.needs())
        with output:
            output.clear_output(wait=True)
            display(result.set_index("field"))
            display(minimisation_chart(result))

    button.on_click(review)
    review()
    return widgets.VBox([widgets.HTML(f"<b>{inventory.title}</b>"), *pickers.values(), button,
                         output])


def checklist_widget(ticked: Iterable[str] = ()) -> widgets.Widget:
    """Tick what is already in place; the summary and chart list the gaps and next steps."""
    checklist = load_checklist()
    already = set(ticked)
    boxes = {item.id: widgets.Checkbox(value=item.id in already, indent=False,
                                       description=f"{item.area}: {item.question}",
                                       layout=widgets.Layout(width="100%"))
             for item in checklist.items}
    output = widgets.Output()

    def redraw(*_: object) -> None:
        review = checklist_review(checklist, [i for i, box in boxes.items() if box.value])
        with output:
            output.clear_output(wait=True)
            display(Markdown(f"**{gap_summary(review)}**"))
            display(review.loc[~review["in_place"], ["area", "next_step"]].set_index("area"))
            display(checklist_chart(review))

    for box in boxes.values():
        box.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HTML(f"<b>{checklist.title}</b>"), *boxes.values(), output])
