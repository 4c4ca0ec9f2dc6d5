"""Customer-experience exercises: is fair automation paying off, and is the chatbot honest?

Two exercises for the customer_experience lessons:

- an ROI calculator over the figures the lessons use to show trust paying off (Net Promoter
  Score, retention, churn, customer lifetime value), comparing a year before a change with the
  year after it;
- a transparency checker that reads a chatbot transcript against the rules declared in
  ``content/checklists/chatbot_transparency.yaml`` and says, rule by rule, pass or fail and why.

Pure functions come first and are tested against hand-computed values; the widget wrappers at
the end are the only part that needs Jupyter. Sample data lives in
``content/exercises/customer_experience.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path
from typing import Literal, TypeVar

import altair as alt
import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown, display
from pydantic import Field, model_validator

from kit.charts.builders import described
from kit.charts.palette import OKABE_ITO
from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.course.exercises.status_tiles import status_tiles
from kit.errors import ExerciseInputError
from kit.paths import CONTENT_DIR

RULES_FILE = CONTENT_DIR / "checklists" / "chatbot_transparency.yaml"
SAMPLES_FILE = CONTENT_DIR / "exercises" / "customer_experience.yaml"

# --- Net Promoter Score -----------------------------------------------------------------------

NPS_BANDS: dict[str, range] = {
    "promoter": range(9, 11),
    "passive": range(7, 9),
    "detractor": range(0, 7),
}


def _checked_ratings(ratings: Iterable[int]) -> list[int]:
    values = list(ratings)
    if not values:
        raise ExerciseInputError("NPS: the list of ratings is empty; it needs at least one "
                                 "rating from 0 to 10.")
    for position, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value <= 10:
            raise ExerciseInputError(f"NPS: rating number {position} is {value!r}; every rating "
                                     "must be a whole number from 0 to 10.")
    return [int(value) for value in values]


def nps_breakdown(ratings: Iterable[int]) -> pd.DataFrame:
    """How many ratings fall in each band and their share in per cent: the bars behind NPS."""
    values = _checked_ratings(ratings)
    table = pd.DataFrame({
        "band": list(NPS_BANDS),
        "count": [sum(value in span for value in values) for span in NPS_BANDS.values()],
    })
    table["share"] = 100 * table["count"] / len(values)
    return table


def nps(ratings: Iterable[int]) -> float:
    """Net Promoter Score: per cent promoters (9-10) minus per cent detractors (0-6)."""
    shares = nps_breakdown(ratings).set_index("band")["share"]
    return float(shares["promoter"] - shares["detractor"])


# --- retention, churn, lifetime value ---------------------------------------------------------


def _check_counts(customers_at_start: int, customers_at_end: int, new_customers: int) -> None:
    counts = {"customers_at_start": customers_at_start, "customers_at_end": customers_at_end,
              "new_customers": new_customers}
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise ExerciseInputError(f"retention: {name} is {value!r}; it must be a whole "
                                     "number of customers, 0 or more.")
    if customers_at_start == 0:
        raise ExerciseInputError("retention: customers_at_start is 0; with nobody to keep, "
                                 "there is no rate to work out.")
    if new_customers > customers_at_end:
        raise ExerciseInputError(f"retention: new_customers ({new_customers}) is more than "
                                 f"customers_at_end ({customers_at_end}); the year-end count "
                                 "includes the newcomers, so it cannot be smaller.")
    if customers_at_end - new_customers > customers_at_start:
        raise ExerciseInputError(f"retention: {customers_at_end - new_customers} customers "
                                 f"kept out of {customers_at_start} at the start; nobody can "
                                 "keep more customers than they began with.")


def retention_rate(customers_at_start: int, customers_at_end: int, new_customers: int) -> float:
    """Per cent of the customers you began the year with who are still customers at its end."""
    _check_counts(customers_at_start, customers_at_end, new_customers)
    return 100 * (customers_at_end - new_customers) / customers_at_start


def churn_rate(customers_at_start: int, customers_at_end: int, new_customers: int) -> float:
    """Per cent of the starting customers who left during the year (100 minus retention)."""
    return 100 - retention_rate(customers_at_start, customers_at_end, new_customers)


def customer_lifetime_value(average_order_value: float, orders_per_year: float,
                            churn_percent: float) -> float:
    """Revenue one customer brings over the whole relationship, in a deliberately simple model.

    Order value x orders a year x expected years as a customer, where the expected years are
    100 / annual churn %: if a fifth of customers leave each year, a customer stays five years.
    """
    for name, value in {"average_order_value": average_order_value,
                        "orders_per_year": orders_per_year}.items():
        if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
            raise ExerciseInputError(f"CLTV: {name} is {value!r}; it must be a number, 0 or more.")
    if not 0 < churn_percent <= 100:
        raise ExerciseInputError(f"CLTV: annual churn is {churn_percent!r} %; it must be above 0 "
                                 "and at most 100 (with no churn at all a customer would stay "
                                 "forever and the value would have no end).")
    return average_order_value * orders_per_year * 100 / churn_percent


# --- comparing a year before and a year after ------------------------------------------------


class CustomerYear(Strict):
    """One year of a business's customer figures: the unit the ROI calculator compares."""

    label: Prose
    ratings: list[int] = Field(min_length=1,
                               description="0-10 answers to 'would you recommend us?'")
    customers_at_start: int = Field(gt=0)
    customers_at_end: int = Field(ge=0)
    new_customers: int = Field(ge=0)
    average_order_value: float = Field(ge=0)
    orders_per_year: float = Field(ge=0)

    def retention(self) -> float:
        return retention_rate(self.customers_at_start, self.customers_at_end, self.new_customers)

    def churn(self) -> float:
        return churn_rate(self.customers_at_start, self.customers_at_end, self.new_customers)

    def lifetime_value(self) -> float:
        return customer_lifetime_value(self.average_order_value, self.orders_per_year,
                                       self.churn())


@dataclass(frozen=True)
class Metric:
    """A figure the calculator reports, and which direction counts as an improvement."""

    label: str
    unit: str
    higher_is_better: bool
    compute: Callable[[CustomerYear], float]


METRICS: dict[str, Metric] = {
    "nps": Metric("Net Promoter Score", "points", True, lambda year: nps(year.ratings)),
    "retention": Metric("Retention rate", "%", True, CustomerYear.retention),
    "churn": Metric("Churn rate", "%", False, CustomerYear.churn),
    "cltv": Metric("Customer lifetime value", "money", True, CustomerYear.lifetime_value),
}


def compare_years(before: CustomerYear, after: CustomerYear) -> pd.DataFrame:
    """Each metric before and after, the change, and whether it moved the right way."""
    rows = []
    for metric in METRICS.values():
        old, new = metric.compute(before), metric.compute(after)
        rows.append({"metric": metric.label, "unit": metric.unit, "before": old, "after": new,
                     "change": new - old,
                     "improved": new > old if metric.higher_is_better else new < old})
    return pd.DataFrame(rows).set_index("metric")


def ethical_automation_roi(before: CustomerYear, after: CustomerYear, investment: float) -> float:
    """Return on the money spent making automation fairer, in per cent.

    The gain is the rise in lifetime value per customer times the customers at the end of the
    later year; ROI = (gain - investment) / investment x 100. It ignores timing and costs of
    serving customers on purpose: the lesson is about direction, not accounting.
    """
    if isinstance(investment, bool) or not isinstance(investment, Real) or investment <= 0:
        raise ExerciseInputError(f"ROI: investment is {investment!r}; it must be a positive "
                                 "amount of money.")
    gain = (after.lifetime_value() - before.lifetime_value()) * after.customers_at_end
    return 100 * (gain - investment) / investment


# --- chatbot transparency ---------------------------------------------------------------------

Speaker = Literal["bot", "customer", "staff"]
SPEAKERS: tuple[str, ...] = ("bot", "customer", "staff")
Status = Literal["pass", "fail", "not applicable"]


class Turn(Strict):
    speaker: Speaker
    text: str = Field(min_length=1)


class Transcript(Strict):
    id: Identifier
    title: Prose
    turns: list[Turn] = Field(min_length=1)

    def as_text(self) -> str:
        """The ``speaker: words`` form participants edit in the checker."""
        return "\n".join(f"{turn.speaker}: {turn.text}" for turn in self.turns)


def parse_transcript(text: str) -> list[Turn]:
    """Read lines such as ``bot: Hello!`` into turns, so participants can type a conversation."""
    turns = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        speaker, colon, said = line.partition(":")
        speaker = speaker.strip().lower()
        if not colon or speaker not in SPEAKERS or not said.strip():
            raise ExerciseInputError(f"transcript line {number}: {line.strip()!r} should start "
                                     "with 'bot:', 'customer:' or 'staff:' followed by what "
                                     "was said.")
        turns.append(Turn(speaker=speaker, text=said.strip()))
    if not turns:
        raise ExerciseInputError("transcript: it is empty; write at least one 'bot: ...' line.")
    return turns


def _found(text: str, phrases: Sequence[str]) -> str | None:
    """The first phrase that occurs in the text as whole words, ignoring case."""
    text = text.replace("\u2019", "'")
    for phrase in phrases:
        if re.search(rf"\b{re.escape(phrase)}\b", text, flags=re.IGNORECASE):
            return phrase
    return None


def _numbered(turns: Sequence[Turn], speaker: str) -> list[tuple[int, Turn]]:
    return [(number, turn) for number, turn in enumerate(turns, start=1)
            if turn.speaker == speaker]


def _listing(phrases: Sequence[str]) -> str:
    return ", ".join(repr(phrase) for phrase in phrases)


def _first_bot_turn_says(rule: TransparencyRule, turns: Sequence[Turn]) -> tuple[Status, str]:
    bot_turns = _numbered(turns, "bot")
    if not bot_turns:
        return "fail", "The transcript has no bot messages, so nothing tells the customer."
    number, turn = bot_turns[0]
    phrase = _found(turn.text, rule.phrases)
    if phrase:
        return "pass", f"The bot's first message (turn {number}) says {phrase!r}."
    return "fail", (f"The bot's first message (turn {number}) uses none of "
                    f"{_listing(rule.phrases)}.")


def _some_bot_turn_says(rule: TransparencyRule, turns: Sequence[Turn]) -> tuple[Status, str]:
    for number, turn in _numbered(turns, "bot"):
        phrase = _found(turn.text, rule.phrases)
        if phrase:
            return "pass", f"Turn {number} (bot) says {phrase!r}."
    return "fail", f"No bot message uses any of {_listing(rule.phrases)}."


def _no_bot_turn_says(rule: TransparencyRule, turns: Sequence[Turn]) -> tuple[Status, str]:
    for number, turn in _numbered(turns, "bot"):
        phrase = _found(turn.text, rule.phrases)
        if phrase:
            return "fail", f"Turn {number} (bot) says {phrase!r}."
    return "pass", f"No bot message uses any of {_listing(rule.phrases)}."


def _handover_when_asked(rule: TransparencyRule, turns: Sequence[Turn]) -> tuple[Status, str]:
    asked = [number for number, turn in _numbered(turns, "customer")
             if _found(turn.text, rule.triggers)]
    if not asked:
        return "not applicable", "No customer asked for a person, so there was no handover to test."
    for number in asked:
        reply = turns[number] if number < len(turns) else None  # turn numbers start at 1
        if reply is None:
            return "fail", (f"The customer asks for a person in turn {number} and the "
                            "conversation ends without a reply.")
        handed_over = reply.speaker == "staff" or (
            reply.speaker == "bot" and _found(reply.text, rule.phrases) is not None)
        if not handed_over:
            return "fail", (f"The customer asks for a person in turn {number}, but turn "
                            f"{number + 1} ({reply.speaker}) neither hands over nor says who "
                            "will take over.")
    return "pass", ("Every request for a person (turn " + ", ".join(map(str, asked))
                    + ") was followed straight away by a handover.")


CHECKS: dict[str, Callable[[TransparencyRule, Sequence[Turn]], tuple[Status, str]]] = {
    "first_bot_turn_says": _first_bot_turn_says,
    "some_bot_turn_says": _some_bot_turn_says,
    "no_bot_turn_says": _no_bot_turn_says,
    "handover_when_asked": _handover_when_asked,
}


class TransparencyRule(Strict):
    id: Identifier
    title: Prose
    why: Prose
    check: Identifier
    phrases: list[Prose] = Field(min_length=1, description="Words that show the rule is met "
                                 "(or, for no_bot_turn_says, broken).")
    triggers: list[Prose] = Field(default_factory=list, description="handover_when_asked only: "
                                  "customer words that ask for a person.")

    @model_validator(mode="after")
    def _known_check(self) -> TransparencyRule:
        if self.check not in CHECKS:
            raise ValueError(f"check {self.check!r} is not one of {', '.join(CHECKS)}")
        if (self.check == "handover_when_asked") != bool(self.triggers):
            raise ValueError("'triggers' is needed by handover_when_asked and only by it")
        return self


class TransparencyRules(Strict):
    schema_version: Literal[1]
    source: SourceFile
    rules: list[TransparencyRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> TransparencyRules:
        ids = [rule.id for rule in self.rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id(s): {', '.join(duplicates)}")
        return self


@lru_cache(maxsize=4)
def load_transparency_rules(path: Path = RULES_FILE) -> TransparencyRules:
    """The chatbot rules, validated (file:line messages through DefinitionError)."""
    return load_model(path, TransparencyRules)


def rules_table(rules: TransparencyRules | None = None) -> pd.DataFrame:
    """The rules as a participant reads them: what each asks for and why it matters."""
    rules = rules or load_transparency_rules()
    return pd.DataFrame([{"rule": rule.title, "why it matters": rule.why}
                         for rule in rules.rules]).set_index("rule")


def check_transcript(turns: Transcript | Sequence[Turn],
                     rules: TransparencyRules | None = None) -> pd.DataFrame:
    """Every rule's verdict on one conversation: rule, title, status, reason."""
    rules = rules or load_transparency_rules()
    sequence = turns.turns if isinstance(turns, Transcript) else list(turns)
    if not sequence:
        raise ExerciseInputError("transcript: it has no turns; there is nothing to check.")
    rows = []
    for rule in rules.rules:
        status, reason = CHECKS[rule.check](rule, sequence)
        rows.append({"rule": rule.id, "title": rule.title, "status": status, "reason": reason})
    return pd.DataFrame(rows)


# --- sample data --------------------------------------------------------------------------------


class RoiScenario(Strict):
    id: Identifier
    title: Prose
    currency: str = Field(min_length=1, max_length=3)
    investment: float = Field(gt=0)
    before: CustomerYear
    after: CustomerYear


class CustomerExperienceSamples(Strict):
    schema_version: Literal[1]
    roi_scenarios: list[RoiScenario] = Field(min_length=1)
    transcripts: list[Transcript] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CustomerExperienceSamples:
    """The lessons' sample scenarios and transcripts, validated."""
    return load_model(path, CustomerExperienceSamples)


Sample = TypeVar("Sample", RoiScenario, Transcript)


def _pick(items: Sequence[Sample], wanted: str, what: str) -> Sample:
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(item.id for item in items)
    raise ExerciseInputError(f"{SAMPLES_FILE.name}: no {what} with id {wanted!r}; known: {known}.")


def roi_scenario(scenario_id: str) -> RoiScenario:
    """One before-and-after scenario from the samples file, by id."""
    return _pick(load_samples().roi_scenarios, scenario_id, "ROI scenario")


def sample_transcript(transcript_id: str) -> Transcript:
    """One sample conversation from the samples file, by id."""
    return _pick(load_samples().transcripts, transcript_id, "transcript")


# --- charts -----------------------------------------------------------------------------------

BAND_COLOURS = {"promoter": OKABE_ITO["bluish_green"], "passive": OKABE_ITO["sky_blue"],
                "detractor": OKABE_ITO["vermillion"]}
STATUS_COLOURS = {"pass": OKABE_ITO["bluish_green"], "fail": OKABE_ITO["vermillion"],
                  "not applicable": OKABE_ITO["sky_blue"]}


def nps_chart(years: Sequence[CustomerYear]) -> alt.Chart:
    """Stacked shares of promoters, passives and detractors, one bar per year."""
    table = pd.concat([nps_breakdown(year.ratings).assign(year=year.label) for year in years])
    table["band_order"] = table["band"].map({band: n for n, band in enumerate(NPS_BANDS)})
    scores = ", ".join(f"{year.label}: {nps(year.ratings):+.0f}" for year in years)
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("share:Q", title="Share of ratings (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("year:N", title=None, sort=[year.label for year in years]),
        color=alt.Color("band:N", title="Band", sort=list(BAND_COLOURS),
                        scale=alt.Scale(domain=list(BAND_COLOURS),
                                        range=list(BAND_COLOURS.values()))),
        order=alt.Order("band_order:Q"),
        tooltip=["year", "band", "count", alt.Tooltip("share:Q", format=".0f")],
    ).properties(width=420)
    return described(chart, "Who would recommend us?",
                     "Stacked bars of promoters (9-10), passives (7-8) and detractors (0-6) as a "
                     f"share of all ratings, one bar per year. NPS {scores}.")


def transparency_chart(results: pd.DataFrame) -> alt.LayerChart:
    """One tile per rule, so a failing rule stands out at a glance."""
    return status_tiles(results, label="title", status="status", colours=STATUS_COLOURS,
                        tooltip=["title", "status", "reason"],
                        title="Chatbot transparency check",
                        description="; ".join(f"{row.title}: {row.status}"
                                              for row in results.itertuples()))


# --- notebook widgets -------------------------------------------------------------------------


def roi_calculator(scenario_id: str = "local_eats_chatbot") -> widgets.Widget:
    """Sliders for the later year's figures; the table, ROI and chart follow them."""
    scenario = roi_scenario(scenario_id)
    before, after = scenario.before, scenario.after
    style = {"description_width": "14em"}
    layout = widgets.Layout(width="34em")
    kept = widgets.IntSlider(value=after.customers_at_end, min=after.new_customers,
                             max=after.new_customers + after.customers_at_start - 1,
                             description="Customers at year end", style=style, layout=layout)
    order_value = widgets.FloatSlider(value=after.average_order_value, min=1.0,
                                      max=round(3 * before.average_order_value), step=0.5,
                                      description=f"Average order ({scenario.currency})",
                                      style=style, layout=layout)
    investment = widgets.IntSlider(value=round(scenario.investment), min=500,
                                   max=round(5 * scenario.investment), step=500,
                                   description=f"Spent on the change ({scenario.currency})",
                                   style=style, layout=layout)
    output = widgets.Output()

    def redraw(*_: object) -> None:
        year = after.model_copy(update={"customers_at_end": kept.value,
                                        "average_order_value": order_value.value})
        roi = ethical_automation_roi(before, year, investment.value)
        with output:
            output.clear_output(wait=True)
            display(compare_years(before, year).round(1))
            display(Markdown(f"**Return on the {scenario.currency}{investment.value:,} spent: "
                             f"{roi:,.0f} %**"))
            display(nps_chart([before, year]))

    for control in (kept, order_value, investment):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HTML(f"<b>{scenario.title}</b>"), kept, order_value,
                         investment, output])


def transparency_checker(transcript_id: str = "local_eats_before") -> widgets.Widget:
    """Pick or type a conversation, press Check, read each rule's verdict and reason."""
    transcripts = load_samples().transcripts
    picker = widgets.Dropdown(options=[(t.title, t.id) for t in transcripts],
                              value=transcript_id, description="Sample")
    editor = widgets.Textarea(value=sample_transcript(transcript_id).as_text(),
                              layout=widgets.Layout(width="100%", height="12em"))
    button = widgets.Button(description="Check", button_style="primary")
    output = widgets.Output()

    def load(change: dict) -> None:
        editor.value = sample_transcript(change["new"]).as_text()

    def check(*_: object) -> None:
        with output:
            output.clear_output(wait=True)
            try:
                results = check_transcript(parse_transcript(editor.value))
            except ExerciseInputError as exc:
                display(Markdown(f"**Cannot check yet:** {exc}"))
                return
            passed = (results["status"] == "pass").sum()
            display(Markdown(f"**{passed} of {len(results)} rules pass.**"))
            display(results.set_index("title")[["status", "reason"]])
            display(transparency_chart(results))

    picker.observe(load, names="value")
    button.on_click(check)
    check()
    return widgets.VBox([picker, editor, button, output])
