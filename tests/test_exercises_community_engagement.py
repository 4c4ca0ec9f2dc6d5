"""The community_engagement exercises: touchpoint matrix, risk matching, metric mix, safeguards.

Expected values are worked out by hand in the comments; the shipped samples are checked for the
verdicts the lessons tell participants they will see.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kit.course.exercises.community_engagement.calc import (
    NOT_ANSWERED,
    check_matches,
    metric_mix,
    mix_advice,
    safeguard_gaps,
    touchpoint_matrix,
    verdict,
)
from kit.course.exercises.community_engagement.charts import safeguard_chart, touchpoint_chart
from kit.course.exercises.community_engagement.data import (
    SAMPLES_FILE,
    load_samples,
    sample_decisions,
    sample_touchpoints,
)
from kit.course.exercises.community_engagement.widgets import (
    metric_mix_picker,
    risk_matching,
    safeguard_audit,
    touchpoint_explorer,
)
from kit.errors import DefinitionError, ExerciseInputError, KitError


def touchpoints(*rows: tuple[str, object, object, object]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["touchpoint", "speed_gain", "cost_saving", "contact_loss"])


# --- touchpoint matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "expected"),
    [
        (8, "automate"),
        (4, "automate"),  # 4 and above
        (3.5, "automate, keep a human touch"),
        (0, "automate, keep a human touch"),
        (-0.5, "keep it human"),
        (-10, "keep it human"),  # below 0
    ],
)
def test_verdict_bands(net: float, expected: str) -> None:
    """Does each net score fall in the band the lesson describes (>= 4, 0 to < 4, < 0)?"""
    assert verdict(net) == expected


def test_touchpoint_matrix_hand_computed() -> None:
    """Is net = speed + cost - weight x contact, sorted best first, with the right verdicts?"""
    table = touchpoints(("Orders", 5, 2, 2), ("Complaints", 2, 2, 5), ("Stock", 4, 4, 0))
    result = touchpoint_matrix(table, contact_weight=2)
    # Orders 5 + 2 - 2x2 = 3; Complaints 2 + 2 - 2x5 = -6; Stock 4 + 4 - 2x0 = 8
    assert list(result["touchpoint"]) == ["Stock", "Orders", "Complaints"]
    assert list(result["net_score"]) == [8, 3, -6]
    assert list(result["verdict"]) == ["automate", "automate, keep a human touch", "keep it human"]


def test_contact_weight_changes_the_verdict() -> None:
    """Does caring less about contact (weight 0.5) turn 'keep it human' into automation?"""
    table = touchpoints(("Thank-you notes", 3, 2, 4))
    # weight 2: 3 + 2 - 8 = -3 (keep it human); weight 0.5: 3 + 2 - 2 = 3 (blend)
    assert touchpoint_matrix(table, 2)["verdict"][0] == "keep it human"
    assert touchpoint_matrix(table, 0.5)["net_score"][0] == 3
    assert touchpoint_matrix(table, 0.5)["verdict"][0] == "automate, keep a human touch"


def test_sample_cafe_verdicts() -> None:
    """Does the café sample give the spread the fundamentals lesson discusses?"""
    result = touchpoint_matrix(sample_touchpoints()).set_index("touchpoint")
    # Stock 4+4-0 = 8, Bookings 4+2-2 = 4, Morning rush 5+2-4 = 3, Social 4+2-6 = 0,
    # Thank-you 3+2-8 = -3, Complaints 2+2-10 = -6
    assert result["net_score"].to_dict() == {
        "Stock reordering": 8,
        "Table bookings": 4,
        "Morning-rush orders": 3,
        "Social media replies": 0,
        "Thank-you notes to regulars": -3,
        "Handling complaints": -6,
    }
    assert result["verdict"].value_counts().to_dict() == {
        "automate": 2,
        "automate, keep a human touch": 2,
        "keep it human": 2,
    }


@pytest.mark.parametrize(
    ("table", "weight", "message"),
    [
        (
            touchpoints(("Orders", 6, 2, 2)),
            2,
            r"'Orders' has speed_gain = 6; ratings must be whole "
            r"numbers from 0 to 5",
        ),
        (touchpoints(("Orders", 5, -1, 2)), 2, "'Orders' has cost_saving = -1"),
        (touchpoints(("Orders", 5, 2, 2.5)), 2, "'Orders' has contact_loss = 2.5"),
        (touchpoints(("Orders", 5, 2, "high")), 2, "'Orders' has contact_loss = 'high'"),
        (
            touchpoints(("Orders", 5, 2, 2), ("Orders", 1, 1, 1)),
            2,
            "'Orders' appears more than once",
        ),
        (
            touchpoints(("Orders", 5, 2, 2)),
            -1,
            "contact_weight is -1; it must be a number, 0 or more",
        ),
        (touchpoints(), 2, "the table has no rows"),
        (
            pd.DataFrame({"touchpoint": ["Orders"], "speed_gain": [5]}),
            2,
            "no column.s. cost_saving, contact_loss",
        ),
    ],
)
def test_touchpoint_matrix_rejects_bad_input(
    table: pd.DataFrame, weight: float, message: str
) -> None:
    """Does a rating outside 0-5, a repeated row or a negative weight stop with a clear reason?"""
    with pytest.raises(ExerciseInputError, match=message) as caught:
        touchpoint_matrix(table, weight)
    assert isinstance(caught.value, KitError)
    assert str(caught.value).startswith("touchpoint matrix:")


def test_touchpoint_chart_is_described() -> None:
    """Does the heatmap carry a title and a description naming every verdict?"""
    spec = touchpoint_chart(touchpoint_matrix(sample_touchpoints())).to_dict()
    assert spec["title"] == "What automating each touchpoint gains and costs"
    assert "Handling complaints: net -6, keep it human" in spec["description"]


# --- risk and mitigation matching ---------------------------------------------------------


def test_every_risk_has_a_distinct_best_mitigation() -> None:
    """Is the matching fair: each risk's best mitigation is used by that risk only?"""
    samples = load_samples()
    best = [risk.mitigation for risk in samples.risks]
    assert len(best) == len(set(best))


def test_check_matches_marks_each_answer() -> None:
    """Are right, wrong and missing answers marked, with the best mitigation shown?"""
    result = check_matches(
        {"crm_privacy_worry": "plain_data_policy", "chatbot_stuck": "honest_bot_limits"}
    ).set_index("risk")
    right = result.loc["Customers worry about what the business records about them."]
    wrong = result.loc[
        "A customer with a complex problem gets stuck in a loop of unhelpful answers."
    ]
    missing = result.loc["Frequent emails start to read like spam."]
    assert right["correct"] and right["tool"] == "CRM system"
    assert not wrong["correct"]
    assert wrong["best_answer"] == (
        "Offer a route to a person as soon as the question gets complicated."
    )
    assert missing["your_answer"] == NOT_ANSWERED and not missing["correct"]
    assert int(result["correct"].sum()) == 1


def test_check_matches_all_right() -> None:
    """Does the answer key from the data file score full marks (8 of 8)?"""
    answers = {risk.id: risk.mitigation for risk in load_samples().risks}
    assert check_matches(answers)["correct"].all()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"crm_spam": "plain_data_policy"}, "unknown risk id.s. crm_spam"),
        (
            {"crm_privacy_worry": "delete_everything"},
            "'delete_everything', which is not a mitigation",
        ),
    ],
)
def test_check_matches_rejects_unknown_ids(answers: dict, message: str) -> None:
    """Does an unknown risk or mitigation id stop the check and list the known ones?"""
    with pytest.raises(ExerciseInputError, match=message):
        check_matches(answers)


# --- community-health metric mix ----------------------------------------------------------


def test_metric_mix_counts_and_shares() -> None:
    """Do two numbers and one voice give 2/3 and 1/3, which counts as balanced?"""
    mix = metric_mix(["transactions", "retention", "reviews"]).set_index("kind")
    # 3 chosen: quantitative 2 -> 66.7 %, qualitative 1 -> 33.3 % (exactly the 1/3 floor)
    assert mix["count"].to_dict() == {"quantitative": 2, "qualitative": 1}
    assert mix.loc["quantitative", "share"] == pytest.approx(200 / 3)
    assert mix.loc["qualitative", "share"] == pytest.approx(100 / 3)
    assert mix_advice(mix.reset_index()) == []


def test_numbers_only_gets_advice_to_add_voices() -> None:
    """Do transactions and acquisition cost alone (0 % voices) earn the 'add voices' advice?"""
    mix = metric_mix(["transactions", "acquisition_cost"])
    advice = mix_advice(mix)
    voices = next(kind for kind in load_samples().metric_kinds if kind.id == "qualitative")
    assert advice == [voices.advice_if_missing]


def test_one_number_among_four_is_too_few() -> None:
    """Is 1 number out of 4 (25 %, under a third) flagged as too few numbers?"""
    mix = metric_mix(["retention", "reviews", "surveys", "sentiment"])
    numbers = next(kind for kind in load_samples().metric_kinds if kind.id == "quantitative")
    assert mix_advice(mix) == [numbers.advice_if_missing]


def test_metric_mix_ignores_repeats() -> None:
    """Does ticking the same measure twice count it once?"""
    mix = metric_mix(["reviews", "reviews"]).set_index("kind")
    assert mix["count"].to_dict() == {"quantitative": 0, "qualitative": 1}


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "no metrics chosen"),
        (["footfall"], "unknown metric id.s. footfall"),
    ],
)
def test_metric_mix_rejects_bad_choices(chosen: list[str], message: str) -> None:
    """Does an empty or unknown choice stop with a reason?"""
    with pytest.raises(ExerciseInputError, match=message):
        metric_mix(chosen)


# --- trust-safeguard audit ----------------------------------------------------------------


def test_sample_decisions_gaps() -> None:
    """Does the accounting firm's audit list what is missing, riskiest first?"""
    result = safeguard_gaps(sample_decisions())
    # chat assistant: 0 of 3 (high); review model: 1 of 3 (high); audit flags: 2 of 3
    # (medium, lacks 'Staff can explain'); reminders: 3 of 3 (low)
    assert list(result["in_place"]) == [0, 1, 2, 3]
    assert list(result["trust_risk"]) == ["high", "high", "medium", "low"]
    assert result.loc[2, "system"] == "AI audit flags unusual transactions"
    assert result.loc[2, "missing"] == "Staff can explain"
    assert result.loc[3, "missing"] == "none"


def test_safeguard_gaps_rejects_non_boolean_marks() -> None:
    """Does a 'yes' typed instead of True stop the audit with the column named?"""
    table = sample_decisions()
    table["transparency"] = table["transparency"].astype(object)
    table.loc[0, "transparency"] = "yes"
    with pytest.raises(ExerciseInputError, match="column transparency holds 'yes'"):
        safeguard_gaps(table)


def test_safeguard_chart_is_described() -> None:
    """Does the grid describe each decision's gaps in text?"""
    spec = safeguard_chart(sample_decisions()).to_dict()
    assert spec["title"] == "Trust safeguards on each automated decision"
    assert "Chat assistant answers tax questions: missing Customers are told" in spec["description"]


# --- data file and widgets ----------------------------------------------------------------


def test_samples_reject_a_risk_with_unknown_mitigation(tmp_path) -> None:
    """Does a risk pointing at a mitigation that does not exist fail validation with its id?"""
    broken = tmp_path / "community_engagement.yaml"
    broken.write_text(
        SAMPLES_FILE.read_text(encoding="utf-8").replace(
            "mitigation: plain_data_policy", "mitigation: no_such_thing"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="risk crm_privacy_worry: unknown mitigation"):
        load_samples(broken)


def _verdict_of(matrix: pd.DataFrame, touchpoint: str) -> str:
    return matrix.set_index("touchpoint").loc[touchpoint, "verdict"]


def test_touchpoint_explorer_follows_the_sliders() -> None:
    """Do the explorer's sliders load the chosen row and change its verdict when moved?"""
    explorer = touchpoint_explorer()
    editor = explorer.controls["touchpoints"]
    editor.picker.value = "Handling complaints"
    assert [slider.value for slider in editor.sliders.values()] == [2, 2, 5]
    assert _verdict_of(explorer.result, "Handling complaints") == "keep it human"
    explorer.controls["contact_weight"].value = 0  # 2 + 2 - 0 x 5 = 4 -> automate
    assert _verdict_of(explorer.result, "Handling complaints") == "automate"
    editor.sliders["contact_loss"].value = 0  # the table follows a slider, too
    assert editor.value.set_index("touchpoint").loc["Handling complaints", "contact_loss"] == 0


def test_risk_matching_shows_nothing_until_checked() -> None:
    """Are the answers kept back until Check, then each choice marked?"""
    matching = risk_matching()
    assert matching.result is None and matching.error is None
    matching.controls["crm_privacy_worry"].value = "plain_data_policy"
    assert matching.result is None  # choosing does not reveal anything
    matching.button.click()
    # one right answer, the other seven left unanswered (as in test_check_matches_marks_...)
    assert int(matching.result["correct"].sum()) == 1
    assert (matching.result["your_answer"] == NOT_ANSWERED).sum() == len(matching.result) - 1


def test_metric_mix_picker_follows_the_ticks() -> None:
    """Ticking a voice beside two numbers: does the advice go; unticking all: is it explained?"""
    picker = metric_mix_picker()  # transactions and acquisition cost
    mix, advice = picker.result
    assert mix.set_index("kind")["count"].to_dict() == {"quantitative": 2, "qualitative": 0}
    assert len(advice) == 1
    picker.controls["reviews"].value = True  # 2 numbers, 1 voice: 1/3 each is enough
    assert picker.result[1] == []
    for metric in ("transactions", "acquisition_cost", "reviews"):
        picker.controls[metric].value = False
    assert picker.error == ("metric mix: no metrics chosen; pick at least one to see the mix.")


def test_safeguard_audit_follows_the_boxes() -> None:
    """Ticking 'explainability' for the audit flags: does its trust risk drop to low?"""
    audit = safeguard_audit()
    grid = audit.controls["decisions"]
    flags = "AI audit flags unusual transactions"
    gaps = audit.result[1].set_index("system")
    assert (gaps.loc[flags, "in_place"], gaps.loc[flags, "trust_risk"]) == (2, "medium")
    grid.boxes[flags, "explainability"].value = True  # now 3 of 3
    gaps = audit.result[1].set_index("system")
    assert (
        gaps.loc[flags, "in_place"],
        gaps.loc[flags, "missing"],
        gaps.loc[flags, "trust_risk"],
    ) == (3, "none", "low")
