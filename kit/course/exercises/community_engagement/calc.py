"""Community-engagement arithmetic: what does automating a touchpoint cost in human contact?

- a touchpoint matrix: what automating each place a business meets its customers gains in speed
  and cost against what it loses in human contact, with a verdict per touchpoint;
- matching the community risks of CRM, marketing automation and chatbots with mitigations;
- a community-health metric mix that checks whether numbers and customers' voices are balanced;
- a trust-safeguard audit of automated decisions (told, explained, overridable).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Real

import numpy as np
import pandas as pd

from kit.course.exercises.community_engagement.data import (
    SCORE_HIGH,
    SCORE_LOW,
    CommunitySamples,
    Safeguard,
    load_samples,
)
from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.errors import ExerciseInputError

# --- touchpoint matrix -------------------------------------------------------------------------

TOUCHPOINT_LABELS = {
    "speed_gain": "Speed gained",
    "cost_saving": "Cost saved",
    "contact_loss": "Human contact lost",
}
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


def touchpoint_matrix(
    touchpoints: pd.DataFrame, contact_weight: float = DEFAULT_CONTACT_WEIGHT
) -> pd.DataFrame:
    """Net score and verdict per touchpoint, best candidate for automation first.

    net = speed_gain + cost_saving - contact_weight x contact_loss, every rating 0-5. The
    weight says how much one point of lost human contact counts against one point of gain; the
    default of 2 encodes the lesson's view that contact is what a small business trades on.
    """
    where = "touchpoint matrix"
    check_scores(touchpoints, "touchpoint", TOUCHPOINT_SCORES, SCORE_LOW, SCORE_HIGH, where)
    if (
        isinstance(contact_weight, bool)
        or not isinstance(contact_weight, Real)
        or not contact_weight >= 0
    ):
        raise ExerciseInputError(
            f"{where}: contact_weight is {contact_weight!r}; it must be a "
            "number, 0 or more (0 means human contact does not count)."
        )
    table = touchpoints[["touchpoint", *TOUCHPOINT_SCORES]].copy()
    table["net_score"] = (
        table["speed_gain"] + table["cost_saving"] - contact_weight * table["contact_loss"]
    )
    table["verdict"] = table["net_score"].map(verdict)
    return table.sort_values("net_score", ascending=False, kind="stable").reset_index(drop=True)


# --- risk and mitigation matching --------------------------------------------------------------

NOT_ANSWERED = "(not answered)"


def check_matches(
    answers: Mapping[str, str | None], samples: CommunitySamples | None = None
) -> pd.DataFrame:
    """For each risk: the mitigation chosen, the one that fits best, and whether they agree.

    ``answers`` maps risk ids to mitigation ids; a risk left out (or None) counts as wrong.
    """
    samples = samples or load_samples()
    risks = {risk.id: risk for risk in samples.risks}
    mitigations = {item.id: item.text for item in samples.mitigations}
    unknown_risks = sorted(set(answers) - set(risks))
    if unknown_risks:
        raise ExerciseInputError(
            f"risk matching: unknown risk id(s) {', '.join(unknown_risks)}; "
            f"known: {', '.join(risks)}."
        )
    for risk_id, chosen in answers.items():
        if chosen is not None and chosen not in mitigations:
            raise ExerciseInputError(
                f"risk matching: the answer for {risk_id} is {chosen!r}, "
                f"which is not a mitigation id; known: "
                f"{', '.join(mitigations)}."
            )
    tools = {tool.id: tool.name for tool in samples.tools}
    rows = []
    for risk in samples.risks:
        chosen = answers.get(risk.id)
        rows.append(
            {
                "tool": tools[risk.tool],
                "risk": risk.text,
                "your_answer": NOT_ANSWERED if chosen is None else mitigations[chosen],
                "best_answer": mitigations[risk.mitigation],
                "correct": chosen == risk.mitigation,
            }
        )
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
        raise ExerciseInputError(
            f"metric mix: unknown metric id(s) {', '.join(unknown)}; known: {', '.join(metrics)}."
        )
    if not picked:
        raise ExerciseInputError("metric mix: no metrics chosen; pick at least one to see the mix.")
    rows = []
    for kind in samples.metric_kinds:
        names = [
            metrics[metric_id].name for metric_id in picked if metrics[metric_id].kind == kind.id
        ]
        rows.append(
            {
                "kind": kind.id,
                "label": kind.label,
                "count": len(names),
                "share": 100 * len(names) / len(picked),
                "metrics": "; ".join(names),
            }
        )
    return pd.DataFrame(rows)


def mix_advice(mix: pd.DataFrame, samples: CommunitySamples | None = None) -> list[str]:
    """Advice for each kind of measure below a third of the mix; empty when it is balanced."""
    samples = samples or load_samples()
    require_columns(mix, ["kind", "count"], "metric mix advice")
    total = int(mix["count"].sum())
    if total == 0:
        raise ExerciseInputError(
            "metric mix advice: the mix counts no measures at all; choose at least one first."
        )
    advice = {kind.id: kind.advice_if_missing for kind in samples.metric_kinds}
    return [
        advice[kind]
        for kind, count in zip(mix["kind"], mix["count"], strict=True)
        if Fraction(int(count), total) < MIN_SHARE
    ]


# --- trust-safeguard audit ---------------------------------------------------------------------

# Indexed by the number of missing safeguards; two or more missing is high.
TRUST_RISK = ("low", "medium", "high")


def safeguard_gaps(
    decisions: pd.DataFrame, safeguards: Sequence[Safeguard] | None = None
) -> pd.DataFrame:
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
            raise ExerciseInputError(
                f"{where}: column {column} holds {odd[0]!r}; use True when "
                "the safeguard is in place and False when it is not."
            )
    rows = []
    for _, decision in decisions.iterrows():
        missing = [safeguard.label for safeguard in safeguards if not decision[safeguard.id]]
        rows.append(
            {
                "system": decision["system"],
                "in_place": len(ids) - len(missing),
                "missing": ", ".join(missing) or "none",
                "trust_risk": TRUST_RISK[min(len(missing), len(TRUST_RISK) - 1)],
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values("in_place", kind="stable").reset_index(drop=True)
