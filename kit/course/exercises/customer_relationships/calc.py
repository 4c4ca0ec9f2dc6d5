"""Customer-relationship arithmetic: fair decisions, lean data, and a checklist of habits.

- a bias audit: approval rates per group, the disparate-impact ratio (lowest group rate divided
  by highest) and the four-fifths rule, over loan applications scored by a transparent points
  rule that can use or ignore the applicant's postcode;
- a data-minimisation review: every field a business collects, the purpose it is kept for, and
  whether that purpose really needs it;
- the nine-point ethical automation checklist: what is in place, and the first step for each gap;
- a customer-journey review: which of the seven humanistic principles each step breaks, which
  principle is broken most often, and which step to fix first.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import pandas as pd

from kit.course.exercises.customer_relationships.data import (
    Checklist,
    Journey,
    LoanScoring,
    Principle,
)
from kit.course.exercises.score_tables import require_columns, require_unique_labels
from kit.errors import ExerciseInputError

FOUR_FIFTHS = Fraction(4, 5)

# --- bias audit -------------------------------------------------------------------------------


def approval_rates(
    applications: pd.DataFrame, group: str = "group", outcome: str = "approved"
) -> pd.DataFrame:
    """Applications, approvals and approval rate per group: the first table of any bias audit."""
    where = "approval rates"
    require_columns(applications, [group, outcome], where)
    if applications[group].isna().any():
        raise ExerciseInputError(
            f"{where}: some rows have no {group!r}; every application needs a group to be counted."
        )
    outcomes = applications[outcome]
    if not outcomes.isin([True, False]).all():
        odd = outcomes[~outcomes.isin([True, False])].iloc[0]
        raise ExerciseInputError(
            f"{where}: column {outcome!r} holds {odd!r}; it must say "
            "True/False (or 1/0) for approved or not."
        )
    table = (
        applications.assign(**{outcome: outcomes.astype(bool)})
        .groupby(group, sort=True)[outcome]
        .agg(applications="size", approved="sum")
        .reset_index()
        .rename(columns={group: "group"})
    )
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
        return (
            f"Group {self.lowest_group} is approved at {float(self.ratio):.0%} of the rate "
            f"of group {self.highest_group}: this {outcome} the four-fifths rule "
            f"(at least {float(self.threshold):.0%})."
        )


def disparate_impact(rates: pd.DataFrame, threshold: Fraction = FOUR_FIFTHS) -> DisparateImpact:
    """Lowest group approval rate / highest, compared with the four-fifths (0.8) rule.

    The ratio is worked out from whole counts as a fraction, so a ratio of exactly 4/5 counts
    as meeting the rule instead of depending on floating-point rounding.
    """
    require_columns(rates, ["group", "applications", "approved"], "disparate impact")
    if len(rates) < 2:
        raise ExerciseInputError(
            "disparate impact: only one group in the table; the ratio "
            "compares groups, so it needs at least two."
        )
    exact = {
        str(group): Fraction(int(approved), int(applications))
        for group, approved, applications in zip(
            rates["group"], rates["approved"], rates["applications"], strict=True
        )
    }
    highest = max(exact, key=exact.__getitem__)
    lowest = min(exact, key=exact.__getitem__)
    if exact[highest] == 0:
        raise ExerciseInputError(
            "disparate impact: no group has any approvals, so there is no "
            "highest rate to compare with."
        )
    return DisparateImpact(exact[lowest] / exact[highest], lowest, highest, threshold)


def score_applications(
    applications: pd.DataFrame,
    scoring: LoanScoring,
    *,
    threshold: float | None = None,
    use_postcode: bool = True,
) -> pd.DataFrame:
    """Add each applicant's score and whether it reaches the threshold (``approved``)."""
    where = "loan scoring"
    require_columns(applications, ["postcode_area", "income_k", "missed_payments"], where)
    unknown = sorted(set(applications["postcode_area"]) - set(scoring.postcode_points))
    if unknown:
        raise ExerciseInputError(
            f"{where}: postcode area(s) {', '.join(map(repr, unknown))} "
            "have no points in the scoring rule; known areas: "
            f"{', '.join(scoring.postcode_points)}."
        )
    postcode = applications["postcode_area"].map(scoring.postcode_points) if use_postcode else 0
    score = (
        applications["income_k"] * scoring.points_per_thousand_income
        + applications["missed_payments"] * scoring.points_per_missed_payment
        + postcode
    ).round(2)
    cut = scoring.threshold if threshold is None else threshold
    return applications.assign(score=score, approved=score >= cut)


@dataclass(frozen=True)
class BiasAudit:
    """What the bias-audit explorer shows: the rates per group and the four-fifths verdict."""

    rates: pd.DataFrame
    impact: DisparateImpact


def audit_applications(
    applications: pd.DataFrame, scoring: LoanScoring, *, threshold: float, use_postcode: bool
) -> BiasAudit:
    """Score the applications with this threshold and postcode choice, then audit the result."""
    rates = approval_rates(
        score_applications(applications, scoring, threshold=threshold, use_postcode=use_postcode)
    )
    return BiasAudit(rates, disparate_impact(rates))


# --- data minimisation ----------------------------------------------------------------------

Verdict = Literal["keep", "beyond purpose", "no purpose"]
NO_PURPOSE = "(no purpose)"


def _has_purpose(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def review_data_collection(
    fields: pd.DataFrame, purposes: Mapping[str, Collection[str]]
) -> pd.DataFrame:
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
        raise ExerciseInputError(
            f"{where}: purpose(s) {', '.join(map(repr, unknown))} are not "
            f"defined; known purposes: {', '.join(purposes)}."
        )
    rows = []
    for field, purpose in zip(fields["field"], fields["purpose"], strict=True):
        if not _has_purpose(purpose):
            verdict, advice = (
                "no purpose",
                ("Nothing you do uses it: stop asking for it and delete what you already hold."),
            )
        elif field in purposes[purpose]:
            verdict, advice = "keep", f"Needed for {purpose}."
        else:
            needs = ", ".join(sorted(purposes[purpose]))
            verdict, advice = (
                "beyond purpose",
                (f"{purpose} needs only {needs}; drop this field or collect a less detailed one."),
            )
        rows.append(
            {
                "field": field,
                "purpose": purpose if verdict != "no purpose" else NO_PURPOSE,
                "verdict": verdict,
                "advice": advice,
            }
        )
    return pd.DataFrame(rows)


# --- the nine-point checklist ----------------------------------------------------------------


def checklist_review(checklist: Checklist, ticked: Iterable[str]) -> pd.DataFrame:
    """Every item with whether it is in place, and for gaps the first step to take."""
    done = set(ticked)
    unknown = sorted(done - {item.id for item in checklist.items})
    if unknown:
        raise ExerciseInputError(
            f"checklist: unknown item id(s) {', '.join(unknown)}; items "
            f"are {', '.join(item.id for item in checklist.items)}."
        )
    return pd.DataFrame(
        [
            {
                "id": item.id,
                "area": item.area,
                "question": item.question,
                "in_place": item.id in done,
                "next_step": "" if item.id in done else item.action,
            }
            for item in checklist.items
        ]
    )


def gap_summary(review: pd.DataFrame) -> str:
    """'6 of 9 in place; gaps: ...' as the widget and a facilitator would say it."""
    gaps = review.loc[~review["in_place"], "area"].tolist()
    head = f"{len(review) - len(gaps)} of {len(review)} in place"
    return f"{head}; gaps: {', '.join(gaps)}." if gaps else f"{head}: no gaps."


# --- a customer journey against the humanistic principles ------------------------------------


def journey_review(
    journey: Journey, principles: Sequence[Principle], broken: Mapping[str, Iterable[str]]
) -> pd.DataFrame:
    """One row per step and principle, saying whether the reviewer found that step breaks it.

    ``broken`` maps a step id to the ids of the principles it breaks; steps left out break none.
    """
    where = "journey review"
    steps = {step.id for step in journey.steps}
    known = {principle.id for principle in principles}
    unknown_steps = sorted(set(broken) - steps)
    if unknown_steps:
        raise ExerciseInputError(
            f"{where}: no step {', '.join(map(repr, unknown_steps))} in {journey.title!r}; "
            f"steps are {', '.join(step.id for step in journey.steps)}."
        )
    marks = {step: set(ids) for step, ids in broken.items()}
    for step, ids in marks.items():
        unknown = sorted(ids - known)
        if unknown:
            raise ExerciseInputError(
                f"{where}: step {step!r} names unknown principle(s) {', '.join(unknown)}; "
                f"principles are {', '.join(p.id for p in principles)}."
            )
    return pd.DataFrame(
        [
            {
                "step": step.stage,
                "principle": principle.label,
                "broken": principle.id in marks.get(step.id, set()),
            }
            for step in journey.steps
            for principle in principles
        ]
    )


def journey_findings(review: pd.DataFrame) -> str:
    """What the review found, as a facilitator would sum it up: the weakest principle and the
    step to fix first (the one breaking the most principles; the earlier step on a tie)."""
    steps: dict[str, int] = {}
    principles: dict[str, int] = {}
    for step, principle, broken in zip(
        review["step"], review["principle"], review["broken"], strict=True
    ):
        steps[step] = steps.get(step, 0) + int(broken)
        principles[principle] = principles.get(principle, 0) + int(broken)
    failing = sum(1 for count in steps.values() if count > 0)
    if failing == 0:
        return f"No step of the {len(steps)} breaks a principle."
    most = max(principles.values())
    weakest = [name for name, count in principles.items() if count == most]
    first = max(steps, key=steps.__getitem__)  # the first of the steps with the most
    never = [name for name, count in principles.items() if count == 0]
    return (
        f"{failing} of the {len(steps)} steps {'breaks' if failing == 1 else 'break'} at least "
        f"one principle. Broken most often "
        f"({most} {'step' if most == 1 else 'steps'}): {', '.join(weakest)}. Fix first: "
        f"{first} ({steps[first]} broken)."
        + (f" Never broken: {', '.join(never)}." if never else "")
    )
