"""Fairness arithmetic: why each applicant got their decision, what would change it, two
fairness measures side by side, and a governance record written out for download."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral
from typing import cast

import pandas as pd
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kit.course.exercises.customer_relationships.calc import FOUR_FIFTHS
from kit.course.exercises.customer_relationships.data import LoanScoring
from kit.course.exercises.fair_decisions.data import GovernanceRecord, GroupOutcomes, Measure
from kit.course.exercises.score_tables import require_columns, require_unique_labels
from kit.errors import ExerciseInputError

DEFAULT_GAP_POINTS = 10

# --- the rule and its results, as a participant reads them ----------------------------------


def rule_table(scoring: LoanScoring) -> pd.DataFrame:
    """The points rule as a short table of what earns or costs points."""
    rows = [
        ("income", f"{scoring.points_per_thousand_income:+g} per thousand"),
        ("each missed payment", f"{scoring.points_per_missed_payment:+g}"),
        *((f"lives in {area}", f"{points:+g}") for area, points in scoring.postcode_points.items()),
        ("approved at", f"{scoring.threshold:g} points or more"),
    ]
    return pd.DataFrame(rows, columns=["what counts", "points"]).set_index("what counts")


def approval_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Approval counts and rates per group, written '27 of 30' and '90 %'."""
    return pd.DataFrame(
        {
            "approved": [
                f"{approved} of {applications}"
                for approved, applications in zip(
                    rates["approved"], rates["applications"], strict=True
                )
            ],
            "rate": [f"{100 * rate:.0f} %" for rate in rates["rate"]],
        },
        index=pd.Index(rates["group"], name="group"),
    )


# --- explaining one decision ------------------------------------------------------------------


def _exact(value: float) -> Fraction:
    """Points as exact fractions, so 1.9 + 0.1 reaches a threshold of 2.0 exactly."""
    return Fraction(str(value))


@dataclass(frozen=True)
class Explanation:
    """One applicant's decision in words: the points behind it and what would change it."""

    applicant_id: str
    score: Fraction
    approved: bool
    reasons: tuple[str, ...]
    changes: tuple[str, ...]

    def text(self) -> str:
        """Markdown a refused (or approved) applicant could be sent."""
        outcome = "approved" if self.approved else "refused"
        lines = [
            f"**{self.applicant_id}: {outcome}** with {float(self.score):.1f} points",
            "",
            "Reasons:",
            *(f"- {reason}" for reason in self.reasons),
            "",
            "The smallest single change that would alter the decision:",
            *(f"- {change}" for change in self.changes),
        ]
        return "\n".join(lines)


def _points(value: Fraction) -> str:
    return f"{float(value):+.1f} points"


def explain_applicant(applicant: pd.Series, scoring: LoanScoring) -> Explanation:
    """Each factor's points and, for each factor, the smallest change that flips the result.

    A refused applicant needs the income rise (in whole thousands) or the fewer missed
    payments that close the gap to the threshold; an approved one is told how little it
    would take to lose the approval. Other postcode areas that would flip it are listed
    last, because an applicant cannot fairly be asked to move.
    """
    area, income, missed = (
        applicant["postcode_area"],
        applicant["income_k"],
        int(applicant["missed_payments"]),
    )
    if area not in scoring.postcode_points:
        raise ExerciseInputError(
            f"explanation: applicant {applicant['applicant_id']} lives in "
            f"{area!r}, which has no points in the rule."
        )
    per_k, per_missed = (
        _exact(scoring.points_per_thousand_income),
        _exact(scoring.points_per_missed_payment),
    )
    parts = {
        "income": _exact(income) * per_k,
        "missed": missed * per_missed,
        "area": _exact(scoring.postcode_points[area]),
    }
    score, threshold = sum(parts.values(), Fraction(0)), _exact(scoring.threshold)
    approved = score >= threshold
    reasons = (
        f"income of {income:g} thousand: {_points(parts['income'])}",
        f"{missed} missed payment{'s' if missed != 1 else ''}: {_points(parts['missed'])}",
        f"lives in {area}: {_points(parts['area'])}",
        f"total {float(score):.1f} against a threshold of {float(threshold):.1f}",
    )
    changes = _flips(score, threshold, approved, missed, per_k, per_missed)
    moves = [
        other
        for other, points in scoring.postcode_points.items()
        if other != area and (score - parts["area"] + _exact(points) >= threshold) != approved
    ]
    if moves:
        changes.append(
            f"living in {' or '.join(moves)} instead (a postcode is not something "
            "to ask anyone to change: that it matters at all is the audit's concern)"
        )
    return Explanation(str(applicant["applicant_id"]), score, approved, reasons, tuple(changes))


def _flips(
    score: Fraction,
    threshold: Fraction,
    approved: bool,
    missed: int,
    per_k: Fraction,
    per_missed: Fraction,
) -> list[str]:
    """The income and missed-payment changes that would turn the decision round."""
    changes = []
    if approved:
        room = score - threshold  # any fall larger than this refuses
        changes.append(f"income {math.floor(room / per_k) + 1} thousand lower")
        if per_missed < 0:
            changes.append(f"{math.floor(room / -per_missed) + 1} more missed payment(s)")
        return changes
    gap = threshold - score
    changes.append(f"income {math.ceil(gap / per_k)} thousand higher")
    fewer = math.ceil(gap / -per_missed) if per_missed < 0 else None
    if fewer is not None and fewer <= missed:
        changes.append(f"{fewer} fewer missed payment(s)")
    else:
        changes.append(
            "no change in missed payments would be enough"
            + (" (there are none to remove)" if missed == 0 else "")
        )
    return changes


def explain_applicants(
    applications: pd.DataFrame, scoring: LoanScoring, applicant_ids: Sequence[str]
) -> list[Explanation]:
    """Explanations for the chosen applicants, in the order asked for."""
    indexed = applications.set_index("applicant_id", drop=False)
    missing = [wanted for wanted in applicant_ids if wanted not in indexed.index]
    if missing:
        raise ExerciseInputError(
            f"explanation: no applicant {', '.join(missing)} in the applications."
        )
    # ids are unique (checked with the sample), so each lookup is one row
    return [
        explain_applicant(cast(pd.Series, indexed.loc[wanted]), scoring) for wanted in applicant_ids
    ]


# --- two fairness measures --------------------------------------------------------------------


@dataclass(frozen=True)
class FairnessComparison:
    """The four-fifths rule and equal opportunity on the same decisions."""

    rates: pd.DataFrame  # group, approval, repaid_approval: per cent of each group
    four_fifths_ratio: Fraction
    equal_opportunity_gap: Fraction  # in percentage points
    gap_allowed: int

    def table(self) -> pd.DataFrame:
        """The two rates per group as a participant reads them."""
        return pd.DataFrame(
            {
                "approval rate": [f"{rate:.0f} %" for rate in self.rates["approval"]],
                "approved among those who repaid": [
                    f"{rate:.0f} %" for rate in self.rates["repaid_approval"]
                ],
            },
            index=pd.Index(self.rates["group"], name="group"),
        )

    @property
    def passes_four_fifths(self) -> bool:
        return self.four_fifths_ratio >= FOUR_FIFTHS

    @property
    def meets_equal_opportunity(self) -> bool:
        return self.equal_opportunity_gap <= self.gap_allowed

    def verdict(self) -> str:
        four = "meets" if self.passes_four_fifths else "fails"
        equal = "meets" if self.meets_equal_opportunity else "fails"
        agree = (
            "The two measures agree."
            if self.passes_four_fifths == self.meets_equal_opportunity
            else "The two measures disagree."
        )
        return (
            f"Four-fifths rule: the lowest approval rate is {float(self.four_fifths_ratio):.0%}"
            f" of the highest, so it {four} the rule. Equal opportunity: among applicants "
            f"who repaid, approval rates are {float(self.equal_opportunity_gap):.0f} points "
            f"apart, so it {equal} a limit of {self.gap_allowed} points. {agree}"
        )


def _rate(part: int, whole: int, what: str, group: str) -> Fraction:
    if whole == 0:
        raise ExerciseInputError(
            f"fairness: group {group} has no {what}, so its rate cannot be worked out."
        )
    return Fraction(part, whole)


def compare_fairness(
    groups: Sequence[GroupOutcomes], gap_allowed: int = DEFAULT_GAP_POINTS
) -> FairnessComparison:
    """Approval rate (four-fifths) and true-positive rate (equal opportunity) per group.

    The true-positive rate is the share approved among those who went on to repay: equal
    opportunity asks that people who would repay have the same chance whatever their group.
    """
    if len(groups) < 2:
        raise ExerciseInputError("fairness: only one group; both measures compare groups.")
    if not 0 <= gap_allowed <= 100:
        raise ExerciseInputError(
            f"fairness: the allowed gap is {gap_allowed} points; it must be from 0 to 100."
        )
    approval, repaid = {}, {}
    for g in groups:
        approved = g.repaid_approved + g.defaulted_approved
        total = approved + g.repaid_refused + g.defaulted_refused
        approval[g.group] = _rate(approved, total, "applicants", g.group)
        repaid[g.group] = _rate(
            g.repaid_approved,
            g.repaid_approved + g.repaid_refused,
            "applicants who repaid",
            g.group,
        )
    if max(approval.values()) == 0:
        raise ExerciseInputError("fairness: no group has any approvals to compare with.")
    rates = pd.DataFrame(
        {
            "group": list(approval),
            "approval": [100 * float(rate) for rate in approval.values()],
            "repaid_approval": [100 * float(rate) for rate in repaid.values()],
        }
    )
    return FairnessComparison(
        rates,
        min(approval.values()) / max(approval.values()),
        100 * (max(repaid.values()) - min(repaid.values())),
        gap_allowed,
    )


# --- the stakeholder map --------------------------------------------------------------------

APPROACHES = {
    (True, True): "involve closely",
    (True, False): "keep satisfied",
    (False, True): "consult and protect",
    (False, False): "keep informed",
}
HIGH = 3


def stakeholder_map(stakeholders: pd.DataFrame) -> pd.DataFrame:
    """Each stakeholder's place on the influence / affected grid and how to deal with them.

    Scores of 3 or more count as high. Those highly affected but with little influence
    ("consult and protect") are the people an automated decision most easily overlooks.
    """
    where = "stakeholder map"
    require_columns(stakeholders, ["stakeholder", "influence", "affected"], where)
    require_unique_labels(stakeholders, "stakeholder", where)
    for column in ("influence", "affected"):
        for name, value in zip(stakeholders["stakeholder"], stakeholders[column], strict=True):
            if (
                isinstance(value, bool)
                or not isinstance(value, Integral)
                or not 1 <= int(value) <= 5
            ):
                raise ExerciseInputError(
                    f"{where}: {name!r} {column} is {value!r}; "
                    "it must be a whole number from 1 to 5."
                )
    return stakeholders.assign(
        approach=[
            APPROACHES[(int(influence) >= HIGH, int(affected) >= HIGH)]
            for influence, affected in zip(
                stakeholders["influence"], stakeholders["affected"], strict=True
            )
        ]
    ).reset_index(drop=True)


# --- the governance record --------------------------------------------------------------------


def governance_record(
    system: str,
    decision: str,
    owner: str,
    appeal_route: str,
    appeal_days: int,
    review_every_months: int,
    human_review: str,
    measures: Sequence[tuple[str, str]],
) -> GovernanceRecord:
    """Check a filled-in record, naming each missing or impossible entry in plain words."""
    try:
        return GovernanceRecord(
            system=system.strip(),
            decision=decision.strip(),
            owner=owner.strip(),
            appeal_route=appeal_route.strip(),
            appeal_days=appeal_days,
            review_every_months=review_every_months,
            human_review=human_review.strip(),
            measures=[
                Measure(measure=m.strip(), alert_when=a.strip())
                for m, a in measures
                if m.strip() or a.strip()
            ],
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {_plain(e)}" for e in exc.errors())
        raise ExerciseInputError(f"governance record: {problems}.") from None


def _plain(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in {"string_too_short", "too_short"}:
        return "write at least a few words here"
    if kind.startswith(("greater_than", "less_than")):
        return f"{error['msg'].lower()}"
    return str(error["msg"])


def _safe(text: str) -> str:
    """Typed text as inert Markdown: no HTML, and no pipe to break the table."""
    return html.escape(" ".join(text.split())).replace("|", "&#124;")


def record_markdown(record: GovernanceRecord) -> str:
    """The record as a page a business can print, file and review against."""
    measures = "\n".join(f"| {_safe(m.measure)} | {_safe(m.alert_when)} |" for m in record.measures)
    return (
        f"# Governance record: {_safe(record.system)}\n\n"
        f"- **Decision it makes:** {_safe(record.decision)}\n"
        f"- **Owner (answers for it):** {_safe(record.owner)}\n"
        f"- **Human review:** {_safe(record.human_review)}\n"
        f"- **How a customer contests a decision:** {_safe(record.appeal_route)}; "
        "answered within "
        f"{record.appeal_days} working days\n"
        f"- **Reviewed every:** {record.review_every_months} month"
        f"{'s' if record.review_every_months != 1 else ''}\n\n"
        "| Monitoring measure | Act when |\n| --- | --- |\n"
        f"{measures}\n"
    )
