"""The customer_relationships exercises: bias audit, data minimisation and the checklist.

Expected values are worked out by hand in the comments; the shipped samples are checked for the
results the lessons tell participants they will see.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import Markdown

from kit.course.exercises.customer_relationships.calc import (
    approval_rates,
    checklist_review,
    disparate_impact,
    gap_summary,
    journey_findings,
    journey_review,
    review_data_collection,
    score_applications,
)
from kit.course.exercises.customer_relationships.charts import (
    approval_chart,
    checklist_chart,
    journey_chart,
    minimisation_chart,
)
from kit.course.exercises.customer_relationships.data import (
    LoanScoring,
    data_inventory,
    journey,
    load_applications,
    load_checklist,
    load_samples,
)
from kit.course.exercises.customer_relationships.widgets import (
    bias_audit,
    checklist_widget,
    data_minimisation_review,
    journey_review_widget,
    principle_questions,
)
from kit.errors import DefinitionError, ExerciseInputError, KitError

# --- bias audit ----------------------------------------------------------------------------


def _decisions(**approved_of_total: tuple[int, int]) -> pd.DataFrame:
    """A table of applications: for group=(approved, total), that many True then False rows."""
    rows = [
        {"group": group, "approved": index < approved}
        for group, (approved, total) in approved_of_total.items()
        for index in range(total)
    ]
    return pd.DataFrame(rows)


def test_approval_rates_per_group() -> None:
    """Does the audit table count applications and approvals and divide them per group?"""
    table = approval_rates(_decisions(A=(8, 10), B=(5, 10))).set_index("group")
    assert table.loc["A"].tolist() == [10, 8, 0.8]
    assert table.loc["B"].tolist() == [10, 5, 0.5]


@pytest.mark.parametrize(
    ("groups", "ratio", "lowest", "highest", "passes"),
    [
        # A 8/10 = 0.8, B 5/10 = 0.5 -> 0.5 / 0.8 = 0.625 -> fails four-fifths
        ({"A": (8, 10), "B": (5, 10)}, Fraction(5, 8), "B", "A", False),
        # A 10/10 = 1.0, B 8/10 = 0.8 -> exactly 0.8 -> meets the rule (at least four fifths)
        ({"A": (10, 10), "B": (8, 10)}, Fraction(4, 5), "B", "A", True),
        # A 5/10 = 0.5, B 4/10 = 0.4 -> 0.4 / 0.5 = 0.8, the boundary again with other counts
        ({"A": (5, 10), "B": (4, 10)}, Fraction(4, 5), "B", "A", True),
        # A 10/10, B 7/10 -> 0.7 -> fails
        ({"A": (10, 10), "B": (7, 10)}, Fraction(7, 10), "B", "A", False),
        # A 9/10 = 0.9, B 6/8 = 0.75, C 3/6 = 0.5 -> lowest C, highest A: 0.5 / 0.9 = 5/9 -> fails
        ({"A": (9, 10), "B": (6, 8), "C": (3, 6)}, Fraction(5, 9), "C", "A", False),
        # B 9/12 = 0.75 beats A 6/10 = 0.6 -> 0.6 / 0.75 = 0.8 -> meets
        ({"A": (6, 10), "B": (9, 12)}, Fraction(4, 5), "A", "B", True),
    ],
)
def test_disparate_impact_and_four_fifths(
    groups: dict, ratio: Fraction, lowest: str, highest: str, passes: bool
) -> None:
    """Is the ratio lowest rate / highest rate, and does 0.8 or more meet the four-fifths rule?"""
    impact = disparate_impact(approval_rates(_decisions(**groups)))
    assert (impact.ratio, impact.lowest_group, impact.highest_group) == (ratio, lowest, highest)
    assert impact.passes is passes
    assert ("meets" if passes else "fails") in impact.verdict()


def test_verdict_reads_as_a_sentence() -> None:
    """Does the verdict name both groups, the percentage and the rule?"""
    impact = disparate_impact(approval_rates(_decisions(A=(8, 10), B=(5, 10))))
    assert impact.verdict() == (
        "Group B is approved at 62% of the rate of group A: this fails "
        "the four-fifths rule (at least 80%)."
    )


def test_outcome_may_be_ones_and_zeros() -> None:
    """Are 1/0 outcomes counted like True/False?"""
    table = pd.DataFrame({"group": ["A", "A", "B", "B"], "approved": [1, 0, 1, 1]})
    assert approval_rates(table)["rate"].tolist() == [0.5, 1.0]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"group": ["A"], "decision": [True]}), "no column\\(s\\) approved"),
        (pd.DataFrame({"group": [], "approved": []}), "no rows"),
        (pd.DataFrame({"group": ["A", "B"], "approved": ["yes", "no"]}), "holds 'yes'"),
        (pd.DataFrame({"group": ["A", None], "approved": [True, False]}), "some rows have no"),
    ],
)
def test_approval_rates_reject_unusable_tables(table: pd.DataFrame, message: str) -> None:
    """Does a table the audit cannot count fail with a message saying what to fix?"""
    with pytest.raises(ExerciseInputError, match=message) as caught:
        approval_rates(table)
    assert isinstance(caught.value, KitError)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"A": (3, 10)}, "only one group"),
        ({"A": (0, 10), "B": (0, 5)}, "no group has any approvals"),
    ],
)
def test_disparate_impact_needs_something_to_compare(groups: dict, message: str) -> None:
    """Is a ratio refused when there is one group or no approvals at all?"""
    with pytest.raises(ExerciseInputError, match=message):
        disparate_impact(approval_rates(_decisions(**groups)))


SCORING = LoanScoring(
    points_per_thousand_income=0.1,
    points_per_missed_payment=-1.0,
    postcode_points={"Riverside": 1.5, "Hillview": -1.0},
    threshold=2.0,
)
APPLICANTS = pd.DataFrame(
    {"postcode_area": ["Riverside", "Hillview"], "income_k": [30, 25], "missed_payments": [1, 0]}
)


@pytest.mark.parametrize(
    ("use_postcode", "scores", "approved"),
    [
        # Riverside: 30 x 0.1 - 1 + 1.5 = 3.5; Hillview: 25 x 0.1 - 0 - 1.0 = 1.5 (below 2.0)
        (True, [3.5, 1.5], [True, False]),
        # without the postcode: 3.0 - 1 = 2.0 (exactly the threshold, approved) and 2.5
        (False, [2.0, 2.5], [True, True]),
    ],
)
def test_score_applications(use_postcode: bool, scores: list[float], approved: list[bool]) -> None:
    """Is the score income points + missed-payment points (+ postcode points when used)?"""
    scored = score_applications(APPLICANTS, SCORING, use_postcode=use_postcode)
    assert scored["score"].tolist() == scores
    assert scored["approved"].tolist() == approved


def test_score_rejects_an_area_without_points() -> None:
    """Does an applicant from an area the rule does not know fail with the known areas listed?"""
    odd = APPLICANTS.assign(postcode_area=["Riverside", "Seaside"])
    with pytest.raises(ExerciseInputError, match=r"'Seaside' have no points.*Riverside, Hillview"):
        score_applications(odd, SCORING)


@pytest.mark.parametrize(
    ("use_postcode", "threshold", "approved", "passes"),
    [
        # the lesson's story: with the postcode, group B gets 16 of 30 and group A 27 of 30
        # -> 16/27 = 0.59, fails; without it B 20/30 and A 24/30 -> 20/24 = 0.83, meets
        (True, 2.0, {"A": 27, "B": 16, "C": 26}, False),
        (False, 2.0, {"A": 24, "B": 20, "C": 22}, True),
        # a stricter threshold without the postcode: B 14/30, A 20/30 -> 14/20 = 0.7, fails
        (False, 2.5, {"A": 20, "B": 14, "C": 15}, False),
    ],
)
def test_shipped_applications_tell_the_lesson_story(
    use_postcode: bool, threshold: float, approved: dict, passes: bool
) -> None:
    """Do the 90 shipped applicants give the counts the advanced lesson discusses?"""
    scored = score_applications(
        load_applications(),
        load_samples().loan_scoring,
        threshold=threshold,
        use_postcode=use_postcode,
    )
    rates = approval_rates(scored).set_index("group")
    assert rates["approved"].to_dict() == approved
    assert rates["applications"].tolist() == [30, 30, 30]
    assert disparate_impact(rates.reset_index()).passes is passes


# --- data minimisation -----------------------------------------------------------------------

NEWSLETTER = {"newsletter": {"email"}, "delivery": {"name", "address"}}


def test_review_gives_each_field_a_verdict() -> None:
    """Is a field kept only when its purpose needs it, and flagged when beyond or without one?"""
    fields = pd.DataFrame(
        {
            "field": ["email", "date_of_birth", "phone", "address", "notes"],
            "purpose": ["newsletter", "newsletter", None, "delivery", ""],
        }
    )
    review = review_data_collection(fields, NEWSLETTER).set_index("field")
    assert review["verdict"].to_dict() == {
        "email": "keep",
        "date_of_birth": "beyond purpose",
        "phone": "no purpose",
        "address": "keep",
        "notes": "no purpose",
    }
    assert review.loc["date_of_birth", "advice"].startswith("newsletter needs only email")
    assert review.loc["phone", "purpose"] == "(no purpose)"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            pd.DataFrame({"field": ["email"], "purpose": ["marketing"]}),
            "purpose\\(s\\) 'marketing' are not defined; known purposes: newsletter, delivery",
        ),
        (
            pd.DataFrame({"field": ["email", "email"], "purpose": ["newsletter", "delivery"]}),
            "'email' appears more than once",
        ),
        (pd.DataFrame({"field": ["email"]}), "no column\\(s\\) purpose"),
    ],
)
def test_review_rejects_unusable_inventories(fields: pd.DataFrame, message: str) -> None:
    """Does an unknown purpose, a repeated field or a missing column fail with a clear message?"""
    with pytest.raises(ExerciseInputError, match=message):
        review_data_collection(fields, NEWSLETTER)


def test_sample_inventory_flags_what_the_lesson_discusses() -> None:
    """Does the shipped bookshop inventory flag exactly the fields the lesson talks about?"""
    inventory = data_inventory("bookshop_events")
    review = review_data_collection(inventory.table(), inventory.needs())
    flags = review.loc[review["verdict"] != "keep"].set_index("field")["verdict"]
    assert flags.to_dict() == {
        "date_of_birth": "beyond purpose",
        "home_address": "no purpose",
        "phone_number": "no purpose",
    }


def test_bookshop_can_declare_the_delivery_purpose_the_lesson_asks_for() -> None:
    """Can the participant give address and phone the planned delivery purpose, as asked?"""
    inventory = data_inventory("bookshop_events")
    table = inventory.table()
    table.loc[table["field"].isin(["home_address", "phone_number"]), "purpose"] = "home_delivery"
    review = review_data_collection(table, inventory.needs()).set_index("field")
    assert review.loc["home_address", "verdict"] == "keep"
    assert review.loc["phone_number", "verdict"] == "keep"
    assert review.loc["date_of_birth", "verdict"] == "beyond purpose"


# --- the nine-point checklist ---------------------------------------------------------------


def test_checklist_has_the_nine_areas_in_order() -> None:
    """Does the shipped checklist hold the nine areas of the step-by-step approach, in order?"""
    assert [item.area for item in load_checklist().items] == [
        "Ethical audit",
        "Ethical guidelines",
        "Data security",
        "Algorithmic fairness",
        "Transparency",
        "Customer control",
        "Value creation",
        "Employee training",
        "Monitoring and evaluation",
    ]


def test_checklist_review_lists_the_gaps() -> None:
    """With three items ticked, are six gaps listed, each with its next step?"""
    review = checklist_review(
        load_checklist(), ["data_security", "transparency", "employee_training"]
    )
    assert review["in_place"].sum() == 3
    assert (review.loc[review["in_place"], "next_step"] == "").all()
    assert (review.loc[~review["in_place"], "next_step"] != "").all()
    assert gap_summary(review) == (
        "3 of 9 in place; gaps: Ethical audit, Ethical guidelines, Algorithmic fairness, "
        "Customer control, Value creation, Monitoring and evaluation."
    )


def test_checklist_all_ticked_has_no_gaps() -> None:
    """Does a full checklist say so instead of listing an empty gap list?"""
    checklist = load_checklist()
    review = checklist_review(checklist, [item.id for item in checklist.items])
    assert gap_summary(review) == "9 of 9 in place: no gaps."


def test_checklist_rejects_unknown_items() -> None:
    """Is a ticked id that is not on the checklist refused, with the real ids listed?"""
    with pytest.raises(
        ExerciseInputError, match="unknown item id\\(s\\) encryption; items are ethical_audit, "
    ):
        checklist_review(load_checklist(), ["encryption"])


def test_checklist_file_with_repeated_id_is_refused(tmp_path: Path) -> None:
    """Does a checklist file using one id twice fail naming the file and the id?"""
    item = "  - id: audit\n    area: Audit\n    question: Did you look?\n    action: Look at it.\n"
    path = tmp_path / "checklist.yaml"
    path.write_text(
        "schema_version: 1\nsource: 004_9ab61650dc909d3c.txt\ntitle: Mini\nitems:\n" + item + item,
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match=r"checklist.yaml.*duplicate checklist item id"):
        load_checklist(path)


def test_bias_audit_follows_the_postcode_switch() -> None:
    """Switching the postcode off: does the audit turn from failing to meeting the rule?"""
    audit = bias_audit()
    # The lesson's story, as in test_shipped_applications_tell_the_lesson_story: 16/27 fails.
    assert audit.result.rates.set_index("group")["approved"].to_dict() == {
        "A": 27,
        "B": 16,
        "C": 26,
    }
    assert audit.result.impact.ratio == Fraction(16, 27)
    audit.controls["use_postcode"].value = False
    # Without the postcode: B 20/30 and A 24/30 -> 20/24 = 5/6, meets the four-fifths rule.
    assert audit.result.impact.ratio == Fraction(5, 6)
    assert audit.result.impact.passes
    audit.controls["threshold"].value = 2.5  # stricter: B 14, A 20 -> 0.7, fails
    assert audit.result.impact.ratio == Fraction(14, 20)


def test_bias_audit_says_the_ratio_as_a_percentage() -> None:
    """Does the participant read the ratio as 59 %, never as the decimal 0.59?"""
    audit = bias_audit()
    parts = audit.show(audit.result)
    shown = " ".join(part.data for part in parts if isinstance(part, Markdown))
    # 16/27 = 59.26 %, shown rounded to a whole per cent; 16/30 = 53 %, 27/30 = 90 %.
    assert "Disparate-impact ratio: 59%." in shown
    assert "approved at 59% of the rate of group A" in shown
    assert "0.59" not in shown


def test_minimisation_review_reads_the_pickers_on_press() -> None:
    """Giving the phone number a purpose and pressing Review: is it judged against that purpose?"""
    review = data_minimisation_review("bookshop_events")
    verdicts = review.result.set_index("field")["verdict"]
    assert (verdicts["phone_number"], verdicts["date_of_birth"]) == ("no purpose", "beyond purpose")
    review.controls["phone_number"].value = "loyalty_card"
    review.controls["date_of_birth"].value = ""
    review.button.click()
    # loyalty_card needs name, email, purchase_history: a phone number is beyond it.
    verdicts = review.result.set_index("field")["verdict"]
    assert (verdicts["phone_number"], verdicts["date_of_birth"]) == ("beyond purpose", "no purpose")


def test_checklist_widget_counts_the_ticked_boxes() -> None:
    """Ticking a second area: does the summary go from 1 to 2 of 9 in place?"""
    checklist = checklist_widget(["transparency"])
    assert gap_summary(checklist.result).startswith("1 of 9 in place; gaps: ")
    checklist.controls["ethical_audit"].value = True
    assert gap_summary(checklist.result).startswith("2 of 9 in place; gaps: ")
    assert "ethical_audit" not in checklist.result.loc[~checklist.result["in_place"], "id"].values


def test_charts_carry_title_and_a_description_of_the_data() -> None:
    """Does each chart have a title and a description that states the result in words?"""
    rates = approval_rates(_decisions(A=(8, 10), B=(5, 10)))
    approval = approval_chart(rates, disparate_impact(rates)).to_dict()
    assert approval["title"] == "Approval rate by group"
    assert "group A 80%, group B 50%" in approval["description"]
    assert "this fails the four-fifths rule" in approval["description"]
    review = checklist_review(load_checklist(), ["transparency"])
    assert checklist_chart(review).to_dict()["description"].startswith("1 of 9 in place; gaps:")
    inventory = data_inventory("bookshop_events")
    minimal = minimisation_chart(review_data_collection(inventory.table(), inventory.needs()))
    assert minimal.to_dict()["description"].endswith("4 keep, 1 beyond purpose, 2 no purpose.")


# --- a customer journey against the seven principles -----------------------------------------

# The facilitator's worked review of the veg-box journey (the lesson's worked answer).
WORKED_REVIEW = {
    "sign_up": ["autonomy", "transparency"],
    "weekly_box": ["transparency", "autonomy"],
    "delivery_charge": ["transparency", "fairness"],
    "missed_delivery": ["oversight", "empathy"],
    "last_chance_offer": ["long_term", "transparency", "human_centred"],
    "cancelling": ["autonomy", "human_centred", "long_term"],
}


def _veg_box_review(broken: dict) -> pd.DataFrame:
    return journey_review(
        journey("veg_box_subscription"), load_samples().humanistic_principles, broken
    )


def test_journey_review_marks_each_step_and_principle() -> None:
    """7 steps x 7 principles = 49 cells; the worked review marks 2+2+2+2+3+3 = 14 of them."""
    review = _veg_box_review(WORKED_REVIEW)
    assert len(review) == 49
    assert int(review["broken"].sum()) == 14
    cancelling = review[review["step"] == "6. Cancelling"]
    assert cancelling.loc[cancelling["broken"], "principle"].tolist() == [
        "Human-centred design",
        "Customer autonomy and control",
        "Long-term relationship",
    ]


def test_journey_findings_of_the_worked_review() -> None:
    """Transparency in 4 steps (1, 2, 3, 5); steps 5 and 6 tie on 3, so the earlier is named."""
    assert journey_findings(_veg_box_review(WORKED_REVIEW)) == (
        "6 of the 7 steps break at least one principle. Broken most often (4 steps): "
        "Transparency and explainability. Fix first: 5. The last-chance offer (3 broken)."
    )


def test_journey_findings_with_one_mark_and_with_none() -> None:
    """One mark: singular wording and the six principles never broken; no marks: no step."""
    findings = journey_findings(_veg_box_review({"cancelling": ["autonomy"]}))
    assert findings.startswith(
        "1 of the 7 steps breaks at least one principle. Broken most often (1 step): "
        "Customer autonomy and control. Fix first: 6. Cancelling (1 broken). Never broken: "
        "Human-centred design, Transparency and explainability,"
    )
    assert journey_findings(_veg_box_review({})) == "No step of the 7 breaks a principle."


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"checkout": ["autonomy"]}, "no step 'checkout'"),
        ({"sign_up": ["kindness"]}, "step 'sign_up' names unknown principle\\(s\\) kindness"),
    ],
)
def test_journey_review_names_an_unknown_step_or_principle(broken: dict, message: str) -> None:
    """Is a step or principle that does not exist named, with the ones that do?"""
    with pytest.raises(ExerciseInputError, match=message):
        _veg_box_review(broken)


def test_journey_widget_waits_for_review_then_reads_the_pickers() -> None:
    """Nothing is shown before Review; after it, the picked principles are in the grid."""
    widget = journey_review_widget()
    assert widget.result is None
    widget.controls["missed_delivery"].value = ("oversight", "empathy")
    widget.button.click()
    assert widget.result.loc[widget.result["broken"], "principle"].tolist() == [
        "Human oversight and accountability",
        "Empathy",
    ]
    spec = str(journey_chart(widget.result).to_dict())
    assert "Fix first: 4. A missed delivery (2 broken)." in spec


def test_principle_questions_list_all_seven() -> None:
    """Does the lesson's list show each principle with its question, seven in all?"""
    lines = principle_questions().data.splitlines()
    assert len(lines) == 7
    assert lines[4] == (
        "- **Human oversight and accountability**: Can a named person step in, and can the "
        "customer reach them?"
    )


def test_unknown_journey_is_named_with_the_known_ones() -> None:
    """Asking for a journey the samples file lacks: are the file and the known ids named?"""
    with pytest.raises(
        ExerciseInputError,
        match=r"relationships\.yaml: no journey with id 'gym'; known: veg_box_subscription",
    ):
        journey("gym")
