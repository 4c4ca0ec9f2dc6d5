"""Customer-experience arithmetic: is fair automation paying off, and is the chatbot honest?

Pure functions, tested against hand-computed values: Net Promoter Score, retention, churn and
customer lifetime value for a year before a change and the year after it, the return on the
money spent, a rule-by-rule transparency check of a chatbot transcript, and whether a pooled
report that names no one could still point to one customer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from statistics import NormalDist
from typing import Literal, cast

import pandas as pd

from kit.core.cohort_stats import MIN_GROUP
from kit.course.exercises.customer_experience.data import (
    DEFAULT_MARGIN_PERCENT,
    SPEAKERS,
    CustomerYear,
    RoiScenario,
    Speaker,
    Status,
    Transcript,
    TransparencyRule,
    TransparencyRules,
    Turn,
    load_transparency_rules,
)
from kit.course.exercises.score_tables import require_columns
from kit.errors import ExerciseInputError

# --- Net Promoter Score -----------------------------------------------------------------------

NPS_BANDS: dict[str, range] = {
    "promoter": range(9, 11),
    "passive": range(7, 9),
    "detractor": range(0, 7),
}


def _checked_ratings(ratings: Iterable[int]) -> list[int]:
    values = list(ratings)
    if not values:
        raise ExerciseInputError(
            "NPS: the list of ratings is empty; it needs at least one rating from 0 to 10."
        )
    for position, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value <= 10:
            raise ExerciseInputError(
                f"NPS: rating number {position} is {value!r}; every rating "
                "must be a whole number from 0 to 10."
            )
    return [int(value) for value in values]


def nps_breakdown(ratings: Iterable[int]) -> pd.DataFrame:
    """How many ratings fall in each band and their share in per cent: the bars behind NPS."""
    values = _checked_ratings(ratings)
    table = pd.DataFrame(
        {
            "band": list(NPS_BANDS),
            "count": [sum(value in span for value in values) for span in NPS_BANDS.values()],
        }
    )
    table["share"] = 100 * table["count"] / len(values)
    return table


def nps(ratings: Iterable[int]) -> float:
    """Net Promoter Score: per cent promoters (9-10) minus per cent detractors (0-6)."""
    shares = nps_breakdown(ratings).set_index("band")["share"]
    return float(shares["promoter"] - shares["detractor"])


# --- retention, churn, lifetime value ---------------------------------------------------------


def _check_counts(customers_at_start: int, customers_at_end: int, new_customers: int) -> None:
    counts = {
        "customers_at_start": customers_at_start,
        "customers_at_end": customers_at_end,
        "new_customers": new_customers,
    }
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise ExerciseInputError(
                f"retention: {name} is {value!r}; it must be a whole "
                "number of customers, 0 or more."
            )
    if customers_at_start == 0:
        raise ExerciseInputError(
            "retention: customers_at_start is 0; with nobody to keep, there is no rate to work out."
        )
    if new_customers > customers_at_end:
        raise ExerciseInputError(
            f"retention: new_customers ({new_customers}) is more than "
            f"customers_at_end ({customers_at_end}); the year-end count "
            "includes the newcomers, so it cannot be smaller."
        )
    if customers_at_end - new_customers > customers_at_start:
        raise ExerciseInputError(
            f"retention: {customers_at_end - new_customers} customers "
            f"kept out of {customers_at_start} at the start; nobody can "
            "keep more customers than they began with."
        )


def retention_rate(customers_at_start: int, customers_at_end: int, new_customers: int) -> float:
    """Per cent of the customers you began the year with who are still customers at its end."""
    _check_counts(customers_at_start, customers_at_end, new_customers)
    return 100 * (customers_at_end - new_customers) / customers_at_start


def churn_rate(customers_at_start: int, customers_at_end: int, new_customers: int) -> float:
    """Per cent of the starting customers who left during the year (100 minus retention)."""
    return 100 - retention_rate(customers_at_start, customers_at_end, new_customers)


def customer_lifetime_value(
    average_order_value: float, orders_per_year: float, churn_percent: float
) -> float:
    """Revenue one customer brings over the whole relationship, in a deliberately simple model.

    Order value x orders a year x expected years as a customer, where the expected years are
    100 / annual churn %: if a fifth of customers leave each year, a customer stays five years
    on average (the mean; see ``median_lifetime_years`` for the typical stay).
    """
    for name, value in {
        "average_order_value": average_order_value,
        "orders_per_year": orders_per_year,
    }.items():
        if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
            raise ExerciseInputError(f"CLTV: {name} is {value!r}; it must be a number, 0 or more.")
    return average_order_value * orders_per_year * mean_lifetime_years(churn_percent)


def _check_churn(churn_percent: float) -> None:
    if (
        isinstance(churn_percent, bool)
        or not isinstance(churn_percent, Real)
        or not 0 < churn_percent <= 100
    ):
        raise ExerciseInputError(
            f"lifetime: annual churn is {churn_percent!r} %; it must be "
            "above 0 and at most 100 (with no churn at all a customer "
            "would stay forever and the value would have no end)."
        )


def mean_lifetime_years(churn_percent: float) -> float:
    """Average years a customer stays when the same share leaves every year: 100 / churn %."""
    _check_churn(churn_percent)
    return 100 / churn_percent


def median_lifetime_years(churn_percent: float) -> float:
    """Years by which half the customers have left: the typical stay, shorter than the mean.

    With a share c leaving each year, (1 - c) ** t are still there after t years; half are
    left when t = ln 2 / -ln(1 - c). A few very loyal customers pull the mean above it.
    """
    _check_churn(churn_percent)
    if churn_percent == 100:
        return 0.0
    return math.log(2) / -math.log(1 - churn_percent / 100)


def customers_needed_per_year(before_percent: float, after_percent: float) -> int:
    """Customers to follow in each year to tell two retention rates apart reliably.

    The usual two-proportion formula: a 5 % chance of seeing a change that is not there
    (two-sided) and an 80 % chance of seeing one that is, n = (z_a + z_b)^2 x
    (p1 q1 + p2 q2) / (p1 - p2)^2, rounded up.
    """
    for name, value in {"before_percent": before_percent, "after_percent": after_percent}.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < 100:
            raise ExerciseInputError(
                f"sample size: {name} is {value!r}; it must be a rate above 0 and below 100 %."
            )
    if before_percent == after_percent:
        raise ExerciseInputError(
            "sample size: the two rates are equal; no number of customers "
            "can show a difference that is not there."
        )
    p1, p2 = before_percent / 100, after_percent / 100
    z = NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.80)
    return math.ceil(z**2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p1 - p2) ** 2)


def nps_margin_of_error(ratings: Iterable[int]) -> float:
    """Half-width, in NPS points, of a 95 % interval around the score from these ratings.

    Each answer counts +1 (promoter), 0 (passive) or -1 (detractor); NPS is 100 x their mean,
    so its standard error is 100 x sqrt(variance / n) and the margin 1.96 times that.
    """
    values = _checked_ratings(ratings)
    promoters = sum(value >= 9 for value in values) / len(values)
    detractors = sum(value <= 6 for value in values) / len(values)
    variance = promoters + detractors - (promoters - detractors) ** 2
    return 100 * NormalDist().inv_cdf(0.975) * math.sqrt(variance / len(values))


def retention(year: CustomerYear) -> float:
    """``retention_rate`` of one year's figures."""
    return retention_rate(year.customers_at_start, year.customers_at_end, year.new_customers)


def churn(year: CustomerYear) -> float:
    """``churn_rate`` of one year's figures."""
    return churn_rate(year.customers_at_start, year.customers_at_end, year.new_customers)


def lifetime_value(year: CustomerYear) -> float:
    """``customer_lifetime_value`` of one year's figures, at that year's churn."""
    return customer_lifetime_value(year.average_order_value, year.orders_per_year, churn(year))


# --- comparing a year before and a year after ------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A figure the calculator reports, and which direction counts as an improvement."""

    label: str
    unit: str
    higher_is_better: bool
    compute: Callable[[CustomerYear], float]


METRICS: dict[str, Metric] = {
    "nps": Metric("Net Promoter Score", "points", True, lambda year: nps(year.ratings)),
    "retention": Metric("Retention rate", "%", True, retention),
    "churn": Metric("Churn rate", "%", False, churn),
    "cltv": Metric("Customer lifetime value", "money", True, lifetime_value),
}


def compare_years(before: CustomerYear, after: CustomerYear) -> pd.DataFrame:
    """Each metric before and after, the change, and whether it moved the right way."""
    rows = []
    for metric in METRICS.values():
        old, new = metric.compute(before), metric.compute(after)
        rows.append(
            {
                "metric": metric.label,
                "unit": metric.unit,
                "before": old,
                "after": new,
                "change": new - old,
                "improved": new > old if metric.higher_is_better else new < old,
            }
        )
    return pd.DataFrame(rows).set_index("metric")


def _check_roi_inputs(investment: float, margin_percent: float) -> None:
    if isinstance(investment, bool) or not isinstance(investment, Real) or investment <= 0:
        raise ExerciseInputError(
            f"ROI: investment is {investment!r}; it must be a positive amount of money."
        )
    if (
        isinstance(margin_percent, bool)
        or not isinstance(margin_percent, Real)
        or not 0 < margin_percent <= 100
    ):
        raise ExerciseInputError(
            f"ROI: gross margin is {margin_percent!r} %; it must be above "
            "0 and at most 100 (the share of each sale left after the "
            "cost of what was sold)."
        )


def _revenue_gain(before: CustomerYear, after: CustomerYear) -> float:
    return (lifetime_value(after) - lifetime_value(before)) * after.customers_at_end


def ethical_automation_roi(
    before: CustomerYear,
    after: CustomerYear,
    investment: float,
    margin_percent: float = DEFAULT_MARGIN_PERCENT,
) -> float:
    """Return on gross margin of the money spent making automation fairer, in per cent.

    Revenue is not profit: the gain is the rise in lifetime value per customer, times the
    gross margin (what is left of a sale after the cost of the goods), times the customers at
    the end of the later year; ROI = (gain - investment) / investment x 100. It ignores timing
    and the cost of serving customers on purpose: the lesson is about direction.
    """
    _check_roi_inputs(investment, margin_percent)
    gain = _revenue_gain(before, after) * margin_percent / 100
    return 100 * (gain - investment) / investment


def break_even_margin(before: CustomerYear, after: CustomerYear, investment: float) -> float:
    """The gross margin, in per cent, below which the change loses money (inf if it never pays)."""
    _check_roi_inputs(investment, DEFAULT_MARGIN_PERCENT)
    revenue_gain = _revenue_gain(before, after)
    return math.inf if revenue_gain <= 0 else 100 * investment / revenue_gain


# --- figures as a person reads them -----------------------------------------------------------

FORMATS: dict[str, Callable[[float, str], str]] = {
    "points": lambda value, _: f"{value:+.0f}",
    "%": lambda value, _: f"{value:.1f} %",
    "money": lambda value, currency: f"{currency}{value:,.0f}",
}


def _change(value: float, unit: str, currency: str) -> str:
    if unit == "money":
        return f"{'+' if value >= 0 else '-'}{currency}{abs(value):,.0f}"
    return f"{value:+.0f}" if unit == "points" else f"{value:+.1f} points"


def comparison_table(
    before: CustomerYear, after: CustomerYear, currency: str = "£"
) -> pd.DataFrame:
    """``compare_years`` written for a reader: units, thousands separators, yes or no."""
    table = compare_years(before, after)
    rows = {
        metric: {
            before.label: FORMATS[row.unit](row.before, currency),
            after.label: FORMATS[row.unit](row.after, currency),
            "change": _change(row.change, row.unit, currency),
            "better?": "yes" if row.improved else "no",
        }
        for metric, row in table.iterrows()
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "figure"
    return frame


def roi_sentence(
    before: CustomerYear,
    after: CustomerYear,
    investment: float,
    currency: str,
    margin_percent: float = DEFAULT_MARGIN_PERCENT,
) -> str:
    """The return in one sentence (Markdown) that says what it is and what it assumes."""
    roi = ethical_automation_roi(before, after, investment, margin_percent)
    floor = break_even_margin(before, after, investment)
    limit = (
        "it never pays back at any margin"
        if math.isinf(floor) or floor > 100
        else f"below a {floor:.0f} % margin it loses money"
    )
    return (
        f"**Return on gross margin: {roi:+,.0f} %** on the {currency}{investment:,.0f} "
        f"spent, with a {margin_percent:.0f} % gross margin (the rise in lifetime value "
        f"counted as profit, not revenue, over {after.customers_at_end} customers); "
        f"{limit}."
    )


@dataclass(frozen=True)
class RoiWhatIf:
    """The ROI calculator's answer to "what if the later year had gone like this?"."""

    before: CustomerYear
    after: CustomerYear
    comparison: pd.DataFrame
    investment: float
    margin_percent: float
    roi: float


def roi_what_if(
    scenario: RoiScenario,
    *,
    customers_at_end: int,
    average_order_value: float,
    investment: float,
    margin_percent: float = DEFAULT_MARGIN_PERCENT,
) -> RoiWhatIf:
    """The scenario with the later year's customers, order value, money spent and margin
    replaced."""
    after = scenario.after.model_copy(
        update={"customers_at_end": customers_at_end, "average_order_value": average_order_value}
    )
    return RoiWhatIf(
        scenario.before,
        after,
        comparison_table(scenario.before, after, scenario.currency),
        investment,
        margin_percent,
        ethical_automation_roi(scenario.before, after, investment, margin_percent),
    )


# --- chatbot transparency ---------------------------------------------------------------------


def parse_transcript(text: str) -> list[Turn]:
    """Read lines such as ``bot: Hello!`` into turns, so participants can type a conversation."""
    turns = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        speaker, colon, said = line.partition(":")
        speaker = speaker.strip().lower()
        if not colon or speaker not in SPEAKERS or not said.strip():
            raise ExerciseInputError(
                f"transcript line {number}: {line.strip()!r} should start "
                "with 'bot:', 'customer:' or 'staff:' followed by what "
                "was said."
            )
        turns.append(Turn(speaker=cast(Speaker, speaker), text=said.strip()))
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
    return [(number, turn) for number, turn in enumerate(turns, start=1) if turn.speaker == speaker]


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
    return "fail", (
        f"The bot's first message (turn {number}) uses none of {_listing(rule.phrases)}."
    )


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
    asked = [
        number for number, turn in _numbered(turns, "customer") if _found(turn.text, rule.triggers)
    ]
    if not asked:
        return "not applicable", "No customer asked for a person, so there was no handover to test."
    for number in asked:
        reply = turns[number] if number < len(turns) else None  # turn numbers start at 1
        if reply is None:
            return "fail", (
                f"The customer asks for a person in turn {number} and the "
                "conversation ends without a reply."
            )
        handed_over = reply.speaker == "staff" or (
            reply.speaker == "bot" and _found(reply.text, rule.phrases) is not None
        )
        if not handed_over:
            return "fail", (
                f"The customer asks for a person in turn {number}, but turn "
                f"{number + 1} ({reply.speaker}) neither hands over nor says who "
                "will take over."
            )
    return "pass", (
        "Every request for a person (turn "
        + ", ".join(map(str, asked))
        + ") was followed straight away by a handover."
    )


CHECKS: dict[str, Callable[[TransparencyRule, Sequence[Turn]], tuple[Status, str]]] = {
    "first_bot_turn_says": _first_bot_turn_says,
    "some_bot_turn_says": _some_bot_turn_says,
    "no_bot_turn_says": _no_bot_turn_says,
    "handover_when_asked": _handover_when_asked,
}


def rules_table(rules: TransparencyRules | None = None) -> pd.DataFrame:
    """The rules as a participant reads them: what each asks for and why it matters."""
    rules = rules or load_transparency_rules()
    return pd.DataFrame(
        [{"rule": rule.title, "why it matters": rule.why} for rule in rules.rules]
    ).set_index("rule")


def check_transcript(
    turns: Transcript | Sequence[Turn], rules: TransparencyRules | None = None
) -> pd.DataFrame:
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


# --- a pooled report: could it still point to one customer? -----------------------------------

Detail = Literal["as recorded", "coarser", "left out"]
DETAILS: tuple[Detail, ...] = ("as recorded", "coarser", "left out")


@dataclass(frozen=True)
class PooledReport:
    """A report of how many customers share each combination of details, and how safe it is.

    A row standing for fewer than ``minimum`` customers could let someone who knows the area
    recognise a person, however anonymous the table looks: the same rule, five by default, that
    the kit's cohort summary uses before it shows a count.
    """

    rows: pd.DataFrame  # one column per detail shown, then ``customers``
    minimum: int

    @property
    def smallest(self) -> int:
        return int(self.rows["customers"].min())

    @property
    def customers_at_risk(self) -> int:
        """Customers in rows smaller than the minimum: the ones the report could point to."""
        return int(self.rows.loc[self.rows["customers"] < self.minimum, "customers"].sum())

    @property
    def safe(self) -> bool:
        return self.smallest >= self.minimum

    def summary(self) -> str:
        """What the report is, in two sentences."""
        total = int(self.rows["customers"].sum())
        shape = (
            f"{len(self.rows)} rows for {total} customers; the smallest row stands for "
            f"{self.smallest} {'customer' if self.smallest == 1 else 'customers'}."
        )
        if self.safe:
            return f"{shape} Every row has at least {self.minimum}: safe to share."
        return (
            f"{shape} {self.customers_at_risk} of the {total} customers sit in rows of fewer "
            f"than {self.minimum}, so the report could point to someone."
        )


def pooled_report(
    buyers: pd.DataFrame,
    detail: Mapping[str, Detail],
    coarser: Mapping[str, Mapping[str, str]],
    minimum: int = MIN_GROUP,
) -> PooledReport:
    """Count the customers behind each combination of the details kept, at the chosen level.

    ``detail`` says for each column whether the report shows it as recorded, at its coarser
    level (``coarser`` maps each recorded value to the coarser one), or leaves it out.
    """
    where = "pooled report"
    require_columns(buyers, list(detail), where)
    for column, level in detail.items():
        if level not in DETAILS:
            raise ExerciseInputError(
                f"{where}: {column} is set to {level!r}; choose one of {', '.join(DETAILS)}."
            )
    if minimum < 2:
        raise ExerciseInputError(
            f"{where}: the smallest row allowed is {minimum!r}; it must be at least 2, since a "
            "row of one is a person."
        )
    shown = [column for column, level in detail.items() if level != "left out"]
    if not shown:
        raise ExerciseInputError(
            f"{where}: every detail is left out; keep at least one, or the report says only how "
            "many customers there are."
        )
    table = buyers[shown].copy()
    for column in shown:
        if detail[column] == "coarser":
            missing = sorted(set(table[column]) - set(coarser[column]))
            if missing:
                raise ExerciseInputError(
                    f"{where}: {column} value(s) {', '.join(map(repr, missing))} have no "
                    "coarser version."
                )
            table[column] = table[column].map(coarser[column])
    rows = table.groupby(shown, sort=True).size().rename("customers").reset_index()
    return PooledReport(rows, minimum)
