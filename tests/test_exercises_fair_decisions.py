"""The advanced fairness exercises: explaining the loan rule, equal opportunity next to the
four-fifths rule, and the governance record. Expected figures are worked out by hand in the
comments (rule: 0.1 points per thousand of income, -1 per missed payment, Riverside +1.5,
Old Town +0.5, Hillview -1.0, approved at 2.0 or more)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kit.course.exercises import fair_decisions as fair
from kit.course.exercises.customer_relationships.data import load_applications, load_samples
from kit.errors import ExerciseInputError


def _explained(applicant_id: str) -> fair.Explanation:
    return fair.explain_applicants(
        load_applications(), load_samples().loan_scoring, [applicant_id]
    )[0]


def test_refused_applicant_with_nothing_to_remove() -> None:
    """L052 (Hillview, 29k, no missed payments): 2.9 + 0 - 1.0 = 1.9, refused by 0.1."""
    explanation = _explained("L052")
    assert explanation.score == Fraction(19, 10)
    assert not explanation.approved
    assert explanation.reasons == (
        "income of 29 thousand: +2.9 points",
        "0 missed payments: +0.0 points",
        "lives in Hillview: -1.0 points",
        "total 1.9 against a threshold of 2.0",
    )
    assert explanation.changes == (
        "income 1 thousand higher",
        "no change in missed payments would be enough (there are none to remove)",
        "living in Riverside or Old Town instead (a postcode is not something to ask anyone "
        "to change: that it matters at all is the audit's concern)",
    )


def test_refused_applicant_one_missed_payment_away() -> None:
    """L081 (Old Town, 34k, 2 missed): 3.4 - 2 + 0.5 = 1.9; one fewer missed payment -> 2.9."""
    explanation = _explained("L081")
    assert explanation.score == Fraction(19, 10)
    assert explanation.changes[:2] == ("income 1 thousand higher", "1 fewer missed payment(s)")
    # Riverside: 3.4 - 2 + 1.5 = 2.9 approves; Hillview: 3.4 - 2 - 1 = 0.4 does not
    assert explanation.changes[2].startswith("living in Riverside instead")


def test_approved_applicant_is_told_how_close_it_was() -> None:
    """L013 (Riverside, 28k, 2 missed): 2.8 - 2 + 1.5 = 2.3; 0.3 of room above 2.0."""
    explanation = _explained("L013")
    assert explanation.approved and explanation.score == Fraction(23, 10)
    # 25k gives exactly 2.0 (still approved), 24k gives 1.9: four thousand lower refuses
    assert explanation.changes[:2] == ("income 4 thousand lower", "1 more missed payment(s)")
    # Old Town: 2.8 - 2 + 0.5 = 1.3; Hillview: -0.2; both refuse
    assert explanation.changes[2].startswith("living in Old Town or Hillview instead")
    assert explanation.text().startswith("**L013: approved** with 2.3 points")


def test_unknown_applicant_is_named() -> None:
    with pytest.raises(ExerciseInputError, match="no applicant L999"):
        fair.explain_applicants(load_applications(), load_samples().loan_scoring, ["L999"])


def test_case_that_passes_four_fifths_but_fails_equal_opportunity() -> None:
    """Case 1: A 30/50 = 60 %, B 26/50 = 52 %; among repayers A 27/30 = 90 %, B 18/30 = 60 %."""
    groups = fair.outcome_case("passes_four_fifths_fails_equal_opportunity").groups
    result = fair.compare_fairness(groups)
    assert result.four_fifths_ratio == Fraction(13, 15)  # 52 / 60 = 86.7 %
    assert result.passes_four_fifths
    assert result.equal_opportunity_gap == 30  # 90 - 60 points
    assert not result.meets_equal_opportunity
    assert result.table().to_dict("index") == {
        "A": {"approval rate": "60 %", "approved among those who repaid": "90 %"},
        "B": {"approval rate": "52 %", "approved among those who repaid": "60 %"},
    }
    assert result.verdict() == (
        "Four-fifths rule: the lowest approval rate is 87% of the highest, so it meets the "
        "rule. Equal opportunity: among applicants who repaid, approval rates are 30 points "
        "apart, so it fails a limit of 10 points. The two measures disagree."
    )
    # a business that accepts a 30-point gap sees the two agree
    assert fair.compare_fairness(groups, gap_allowed=30).meets_equal_opportunity


def test_case_that_fails_four_fifths_but_meets_equal_opportunity() -> None:
    """Case 2: A 32/50 = 64 %, B 16/50 = 32 %: ratio 1/2; repayers 32/40 = 16/20 = 80 %."""
    result = fair.compare_fairness(
        fair.outcome_case("fails_four_fifths_meets_equal_opportunity").groups
    )
    assert result.four_fifths_ratio == Fraction(1, 2)
    assert not result.passes_four_fifths
    assert result.equal_opportunity_gap == 0
    assert result.meets_equal_opportunity


def test_fairness_needs_two_groups_with_repayers() -> None:
    groups = fair.outcome_case("passes_four_fifths_fails_equal_opportunity").groups
    with pytest.raises(ExerciseInputError, match="only one group"):
        fair.compare_fairness(groups[:1])
    empty = groups[1].model_copy(update={"repaid_approved": 0, "repaid_refused": 0})
    with pytest.raises(ExerciseInputError, match="group B has no applicants who repaid"):
        fair.compare_fairness([groups[0], empty])


def _record(**changes: object) -> dict:
    values: dict = {
        "system": "Loan score",
        "decision": "Who is refused",
        "owner": "Sam Lee",
        "appeal_route": "Email the branch",
        "appeal_days": 10,
        "review_every_months": 3,
        "human_review": "An officer reads refusals",
        "measures": [("Four-fifths ratio", "below 80 %"), ("", "")],
    }
    values.update(changes)
    return values


def test_governance_record_written_for_download() -> None:
    """Does the record keep every entry, drop empty measure rows and read as a page?"""
    page = fair.record_markdown(fair.governance_record(**_record()))
    assert page.startswith("# Governance record: Loan score\n")
    assert "- **Owner (answers for it):** Sam Lee\n" in page
    assert "Email the branch; answered within 10 working days" in page
    assert "- **Reviewed every:** 3 months" in page
    assert page.endswith("| Four-fifths ratio | below 80 % |\n")


def test_governance_record_names_what_is_missing() -> None:
    with pytest.raises(ExerciseInputError, match="governance record: owner: write at least"):
        fair.governance_record(**_record(owner="  "))
    with pytest.raises(ExerciseInputError, match="measures: write at least"):
        fair.governance_record(**_record(measures=[("", "")]))


def test_governance_record_escapes_typed_text() -> None:
    page = fair.record_markdown(fair.governance_record(**_record(owner="<b>Sam</b> | boss")))
    assert "&lt;b&gt;Sam&lt;/b&gt; &#124; boss" in page and "<b>" not in page


def test_widgets_build_and_follow_their_controls() -> None:
    explorer = fair.explanation_explorer("L081")
    assert explorer.result.score == Fraction(19, 10)
    explorer.controls["applicant_id"].value = "L013"
    assert explorer.result.approved
    fairness = fair.fairness_explorer()
    fairness.controls["gap_allowed"].value = 30
    assert fairness.result.meets_equal_opportunity
    form = fair.governance_form()
    form.controls["owner"].value = ""
    form.update()
    assert form.error is not None and "owner" in form.error


def test_chart_describes_both_measures() -> None:
    result = fair.compare_fairness(
        fair.outcome_case("fails_four_fifths_meets_equal_opportunity").groups
    )
    spec = fair.fairness_chart(result).to_dict()
    assert spec["title"] == "Two ways to measure fairness"
    assert "group B: 32 % of all, 80 % of those who repaid" in spec["description"]


def test_stakeholder_map_places_the_lender_sample() -> None:
    """Influence and affected of 3 or more count as high; which quadrant is each in?"""
    mapped = fair.stakeholder_map(fair.example_stakeholders()).set_index("stakeholder")
    assert mapped["approach"].to_dict() == {
        "Refused applicants": "consult and protect",  # 1, 5
        "Loan officers": "involve closely",  # 3, 4
        "Owner and board": "involve closely",  # 5, 3
        "Financial regulator": "keep satisfied",  # 5, 1
        "Local advice centre": "keep informed",  # 2, 2
        "Software supplier": "keep satisfied",  # 4, 2
    }
    spec = fair.stakeholder_chart(mapped.reset_index()).to_dict()
    assert "Refused applicants: consult and protect" in spec["description"]


def test_stakeholder_map_refuses_a_score_outside_1_to_5() -> None:
    table = fair.example_stakeholders()
    table.loc[0, "influence"] = 6
    with pytest.raises(ExerciseInputError, match="'Refused applicants' influence is 6"):
        fair.stakeholder_map(table)
