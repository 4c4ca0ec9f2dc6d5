"""Social-impact arithmetic: what does automation free up, and is the good it does measured?

- fundamentals, freed resources: the hours and money a set of automated tasks frees each year,
  and how much of that time goes to an impact goal;
- intermediate, the KPI planner: every automated process paired with a business KPI and a
  social KPI, progress read from baseline to target in either direction, and a warning when a
  process helps one side while hurting the other;
- advanced, the automation-for-impact prioritiser: candidates ranked by benefit, with the worst
  risk (not the average) deciding whether to go ahead, and the first safeguard to put in place.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import pandas as pd

from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.course.exercises.social_impact.data import (
    RATING_HIGH,
    RATING_LOW,
    SocialImpactSamples,
    load_samples,
)
from kit.errors import ExerciseInputError


def _check_number(value: object, where: str, name: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or not low <= float(value) <= high:
        raise ExerciseInputError(
            f"{where}: {name} is {value!r}; it must be a number from {low:g} to {high:g}."
        )


def _check_column_range(
    table: pd.DataFrame, label: str, column: str, low: float, high: float, where: str
) -> None:
    for name, value in zip(table[label], table[column], strict=True):
        _check_number(value, where, f"{name!r} {column}", low, high)


# --- fundamentals: resources freed for impact ------------------------------------------------

TASK_COLUMNS = ("task", "hours_per_week", "automatable_share", "hourly_cost", "tool_cost_per_month")


def _payback_months(setup_cost: float, net_value_per_year: float) -> float:
    """Months of net savings that repay the set-up cost (inf when the savings never do)."""
    if setup_cost == 0:
        return 0.0
    return math.inf if net_value_per_year <= 0 else 12 * setup_cost / net_value_per_year


def freed_resources(
    tasks: pd.DataFrame, reinvest_share: float, weeks_per_year: int | None = None
) -> pd.DataFrame:
    """Per task: hours freed a week and a year, their value net of the tool, the impact hours,
    and how many months of that value pay back the one-off set-up cost.

    hours freed a week = hours_per_week x automatable_share; a year is that x weeks_per_year;
    net value a year = hours a year x hourly_cost - 12 x tool_cost_per_month; impact hours a
    year = hours a year x reinvest_share (the part of the freed time given to the impact goal);
    payback = 12 x setup_cost / net value a year (``setup_cost`` is optional, 0 when absent).
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
    setup = tasks["setup_cost"] if "setup_cost" in tasks else pd.Series(0.0, index=tasks.index)
    _check_column_range(tasks.assign(setup_cost=setup), "task", "setup_cost", 0, math.inf, where)
    table["setup_cost"] = setup.astype(float)
    table["payback_months"] = [
        _payback_months(cost, net)
        for cost, net in zip(table["setup_cost"], table["net_value_per_year"], strict=True)
    ]
    return table.reset_index(drop=True)


def freed_totals(freed: pd.DataFrame) -> dict[str, float]:
    """Column totals of a ``freed_resources`` table; payback is that of all tasks together."""
    totals = {
        column: float(freed[column].sum())
        for column in freed.columns
        if column not in {"task", "payback_months"}
    }
    totals["payback_months"] = _payback_months(totals["setup_cost"], totals["net_value_per_year"])
    return totals


FREED_HEADINGS = {
    "hours_freed_per_week": "hours freed a week",
    "hours_freed_per_year": "hours a year",
    "net_value_per_year": "value a year after fees",
    "setup_cost": "set-up (once)",
    "payback_months": "paid back in",
    "impact_hours_per_year": "hours for the impact goal",
}


def _months(months: float) -> str:
    return "never" if math.isinf(months) else "-" if months == 0 else f"{months:.1f} months"


def freed_table(freed: pd.DataFrame) -> pd.DataFrame:
    """A ``freed_resources`` table as a participant reads it: rounded, with words for units."""
    shown = pd.DataFrame(
        {
            "hours_freed_per_week": [f"{hours:.1f}" for hours in freed["hours_freed_per_week"]],
            "hours_freed_per_year": [f"{hours:.0f}" for hours in freed["hours_freed_per_year"]],
            "net_value_per_year": [f"{value:,.0f}" for value in freed["net_value_per_year"]],
            "setup_cost": [f"{cost:,.0f}" for cost in freed["setup_cost"]],
            "payback_months": [_months(months) for months in freed["payback_months"]],
            "impact_hours_per_year": [f"{hours:.0f}" for hours in freed["impact_hours_per_year"]],
        },
        index=pd.Index(freed["task"], name="task"),
    )
    return shown.rename(columns=FREED_HEADINGS)


def _payback_words(months: float) -> str:
    if months == 0:
        return "with nothing to set up there is nothing to pay back"
    if math.isinf(months):
        return "the savings never pay it back"
    return f"paid back in about **{months:.1f} months**"


def freed_summary(freed: pd.DataFrame, impact_goal: str) -> str:
    """Two sentences a participant can take back to the team."""
    totals = freed_totals(freed)
    return (
        f"Automating these tasks frees about **{totals['hours_freed_per_week']:.1f} hours a "
        f"week** ({totals['hours_freed_per_year']:.0f} a year), worth about "
        f"**{totals['net_value_per_year']:,.0f}** a year in staff time after tool fees of "
        f"{totals['tool_cost_per_year']:,.0f} a year. Setting the tools up costs "
        f"{totals['setup_cost']:,.0f} once, {_payback_words(totals['payback_months'])}. "
        f"Giving your chosen share to *{impact_goal}* "
        f"means **{totals['impact_hours_per_year']:.0f} hours a year** for it."
    )


@dataclass(frozen=True)
class FreedTime:
    """What the freed-resources explorer shows: the table per task and its two-sentence summary."""

    freed: pd.DataFrame
    summary: str


def freed_time(tasks: pd.DataFrame, reinvest_share: float, impact_goal: str) -> FreedTime:
    """``freed_resources`` and ``freed_summary`` in one step (a blank goal reads "your impact
    goal")."""
    freed = freed_resources(tasks, reinvest_share)
    return FreedTime(freed, freed_summary(freed, impact_goal.strip() or "your impact goal"))


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
    (
        lambda business, social: business > 0 and social < 0,
        "helps the business but hurts people: rethink it",
    ),
    (
        lambda business, social: business < 0 and social > 0,
        "does good but costs the business: check it can last",
    ),
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
        raise ExerciseInputError(
            f"{where}: KPI {bad_kind.iloc[0]!r} has a kind other than 'business' or 'social'."
        )
    flat = plan.loc[plan["target"] == plan["baseline"], "kpi"]
    if not flat.empty:
        raise ExerciseInputError(
            f"{where}: KPI {flat.iloc[0]!r} has the same baseline and "
            "target; set a target that differs from where you start."
        )
    table = plan[list(KPI_COLUMNS)].copy()
    table["direction"] = [
        "lower is better" if target < baseline else "higher is better"
        for baseline, target in zip(plan["baseline"], plan["target"], strict=True)
    ]
    table["progress"] = (plan["current"] - plan["baseline"]) / (plan["target"] - plan["baseline"])
    table["status"] = table["progress"].map(_status)
    return table.reset_index(drop=True)


def kpi_pairing(plan: pd.DataFrame) -> pd.DataFrame:
    """Per process: how many business and social KPIs it has, and what is missing."""
    require_columns(plan, ("process", "kind"), "KPI planner")
    counts = (
        pd.crosstab(plan["process"], plan["kind"])
        .reindex(columns=["business", "social"], fill_value=0)
        .reindex(pd.unique(plan["process"]))
    )
    missing = [
        ", ".join(f"add a {kind} KPI" for kind in ("business", "social") if row[kind] == 0)
        or "paired"
        for _, row in counts.iterrows()
    ]
    return pd.DataFrame(
        {
            "process": counts.index,
            "business_kpis": counts["business"].to_numpy(),
            "social_kpis": counts["social"].to_numpy(),
            "check": missing,
        }
    )


def kpi_balance(progress: pd.DataFrame) -> pd.DataFrame:
    """Per process: mean progress of its business and its social KPIs, and what that means."""
    means = progress.pivot_table(
        index="process", columns="kind", values="progress", aggfunc="mean", sort=False
    ).reindex(columns=["business", "social"])
    verdicts = [
        next(label for test, label in BALANCE_RULES if test(business, social))
        if pd.notna(business) and pd.notna(social)
        else "not paired yet"
        for business, social in zip(means["business"], means["social"], strict=True)
    ]
    return pd.DataFrame(
        {
            "process": means.index,
            "business_progress": means["business"].to_numpy(),
            "social_progress": means["social"].to_numpy(),
            "verdict": verdicts,
        }
    )


@dataclass(frozen=True)
class KpiReport:
    """The KPI planner's three views of one plan: pairing, progress per KPI, balance."""

    pairing: pd.DataFrame
    progress: pd.DataFrame
    balance: pd.DataFrame


def kpi_report(plan: pd.DataFrame) -> KpiReport:
    """Pair, measure and balance a KPI plan (an empty plan is refused with a reason)."""
    progress = kpi_progress(plan)
    return KpiReport(kpi_pairing(plan), progress, kpi_balance(progress))


# --- advanced: the automation-for-impact prioritiser -----------------------------------------

CANDIDATE_SCORES = (
    "efficiency",
    "social_benefit",
    "bias_risk",
    "privacy_risk",
    "human_contact_risk",
    "job_risk",
)
RISK_COLUMNS = tuple(column for column in CANDIDATE_SCORES if column.endswith("_risk"))
CANDIDATE_LABELS = {
    "efficiency": "Efficiency gain",
    "social_benefit": "Social benefit",
    "bias_risk": "Risk: bias",
    "privacy_risk": "Risk: privacy",
    "human_contact_risk": "Risk: human contact",
    "job_risk": "Risk: jobs",
}
DEFAULT_EFFICIENCY_WEIGHT = 0.5
DEFAULT_RISK_PENALTY = 0.5


def _verdict(worst_risk: int, samples: SocialImpactSamples) -> str:
    return next(band.verdict for band in samples.verdicts if worst_risk <= band.up_to_risk)


def _scored(
    candidates: pd.DataFrame, efficiency_weight: float, risk_penalty: float, risk: pd.Series
) -> pd.DataFrame:
    where = "prioritiser"
    check_scores(candidates, "candidate", CANDIDATE_SCORES, RATING_LOW, RATING_HIGH, where)
    _check_number(efficiency_weight, where, "efficiency_weight", 0, 1)
    _check_number(risk_penalty, where, "risk_penalty", 0, 2)
    table = candidates[["candidate", "social_benefit"]].copy()
    table["benefit"] = (
        efficiency_weight * candidates["efficiency"]
        + (1 - efficiency_weight) * candidates["social_benefit"]
    )
    table["risk"] = risk
    table["priority"] = table["benefit"] - risk_penalty * (table["risk"] - RATING_LOW)
    return table


def prioritise(
    candidates: pd.DataFrame,
    efficiency_weight: float = DEFAULT_EFFICIENCY_WEIGHT,
    risk_penalty: float = DEFAULT_RISK_PENALTY,
    samples: SocialImpactSamples | None = None,
) -> pd.DataFrame:
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
    # idxmax(axis=1) gives column labels (str here); pandas-stubs types its result as int.
    serious = [
        labels[column] if value > samples.verdicts[0].up_to_risk else None  # type: ignore[index]
        for column, value in zip(risks.idxmax(axis=1), table["risk"], strict=True)
    ]
    table["worst_risk"] = [risk.label if risk else "none serious" for risk in serious]
    table["verdict"] = [_verdict(int(value), samples) for value in table["risk"]]
    table["first_safeguard"] = [risk.safeguard if risk else "" for risk in serious]
    band = {band.verdict: order for order, band in enumerate(samples.verdicts)}
    table["band"] = table["verdict"].map(band)
    table = table.sort_values(
        ["band", "priority", "social_benefit", "candidate"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    table.insert(0, "rank", range(1, len(table) + 1))
    return (
        table.drop(columns=["band", "social_benefit"])
        .rename(columns={"risk": "worst_risk_score"})
        .reset_index(drop=True)
    )


def risk_rule_comparison(
    candidates: pd.DataFrame,
    efficiency_weight: float = DEFAULT_EFFICIENCY_WEIGHT,
    risk_penalty: float = DEFAULT_RISK_PENALTY,
) -> pd.DataFrame:
    """Each candidate's rank by the worst-risk rule next to its rank if risks were averaged."""
    worst = prioritise(candidates, efficiency_weight, risk_penalty)
    averaged = _scored(
        candidates, efficiency_weight, risk_penalty, candidates[list(RISK_COLUMNS)].mean(axis=1)
    )
    averaged = averaged.sort_values(
        ["priority", "social_benefit", "candidate"], ascending=[False, False, True], kind="stable"
    )
    average_rank = dict(zip(averaged["candidate"], range(1, len(averaged) + 1), strict=True))
    return pd.DataFrame(
        {
            "candidate": worst["candidate"],
            "rank_by_worst_risk": worst["rank"],
            "rank_if_risks_averaged": worst["candidate"].map(average_rank),
            "verdict": worst["verdict"],
        }
    )
