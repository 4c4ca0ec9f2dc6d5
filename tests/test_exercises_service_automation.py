"""The service_automation exercises: prioritiser, rollout planner, tool scorecard, handover rule.

Expected values are worked out by hand in the comments; the shipped samples are checked for the
results the lessons tell participants they will see.
"""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.display import Markdown

from kit.course.exercises.service_automation.calc import (
    handover_outcome,
    handover_sweep,
    phase_load,
    plan_rollout,
    prioritise,
    question_table,
    ranking_shift,
    route_questions,
    score_tools,
)
from kit.course.exercises.service_automation.charts import (
    handover_chart,
    quadrant_chart,
    rollout_chart,
    scorecard_chart,
)
from kit.course.exercises.service_automation.data import (
    SAMPLES_FILE,
    criteria_weights,
    load_samples,
    sample_opportunities,
    sample_projects,
    sample_questions,
    sample_tools,
)
from kit.course.exercises.service_automation.widgets import (
    handover_rule,
    prioritiser,
    rollout_planner,
    tool_scorecard,
)
from kit.course.explorer import ERROR_PREFIX
from kit.errors import DefinitionError, ExerciseInputError, KitError


def ideas(*rows: tuple[str, object, object, object]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["opportunity", "impact", "feasibility", "alignment"])


def projects(*rows: tuple[str, object, object]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["opportunity", "pilot_days", "rollout_days"])


# --- opportunity prioritiser --------------------------------------------------------------

FIVE_IDEAS = ideas(("A", 5, 4, 4), ("B", 4, 2, 5), ("C", 2, 5, 3), ("D", 5, 5, 2), ("E", 2, 4, 4))


def test_prioritise_hand_computed() -> None:
    """Is priority impact x feasibility, with poorly aligned ideas parked and ties by alignment?"""
    result = prioritise(FIVE_IDEAS, alignment_floor=3)
    # A 5x4 = 20, B 4x2 = 8, C 2x5 = 10, D 5x5 = 25 but alignment 2 < 3 -> parked,
    # E 2x4 = 8 (ties with B; B's alignment 5 beats E's 4)
    assert list(result["opportunity"]) == ["A", "C", "B", "E", "D"]
    assert list(result["rank"]) == [1, 2, 3, 4, 5]
    assert list(result["priority"]) == [20, 10, 8, 8, 25]
    assert list(result["aligned"]) == [True, True, True, True, False]
    # high means 4 or 5: A (5, 4) and D (5, 5) quick wins; B (4, 2) major project;
    # C (2, 5) and E (2, 4) fill-ins
    assert result.set_index("opportunity")["quadrant"].to_dict() == {
        "A": "quick win",
        "B": "major project",
        "C": "fill-in",
        "D": "quick win",
        "E": "fill-in",
    }


def test_lower_alignment_floor_lets_the_big_idea_lead() -> None:
    """With the floor at 2, does D (25 points) move from parked to first?"""
    result = prioritise(FIVE_IDEAS, alignment_floor=2)
    assert list(result["opportunity"]) == ["D", "A", "C", "B", "E"]
    assert result["aligned"].all()


def test_three_by_three_is_not_now() -> None:
    """Is a middling idea (3, 3) 'not now' rather than a quick win, since high means 4+?"""
    assert prioritise(ideas(("Stock", 3, 3, 3)))["quadrant"][0] == "not now"


def test_sample_salon_ranking() -> None:
    """Does the salon sample rank booking first and park the loyalty scheme and the chatbot?"""
    result = prioritise(sample_opportunities())
    # booking 25, reminders 20, social posts 10, reorders 9, payroll 8; then parked:
    # loyalty 16 (alignment 2), chatbot 4 (alignment 2)
    assert list(result["opportunity"]) == [
        "Online appointment booking",
        "Text reminders the day before",
        "Scheduled social media posts",
        "Automatic reorders of hair products",
        "Payroll and tip calculations",
        "Loyalty points in a CRM",
        "Chatbot for styling advice",
    ]
    assert list(result["priority"]) == [25, 20, 10, 9, 8, 16, 4]


@pytest.mark.parametrize(
    ("table", "floor", "message"),
    [
        (
            ideas(("A", 6, 4, 4)),
            3,
            r"'A' has impact = 6; ratings must be whole numbers from 1 to 5",
        ),
        (ideas(("A", 5, 0, 4)), 3, "'A' has feasibility = 0"),
        (ideas(("A", 5, 4, 3.5)), 3, "'A' has alignment = 3.5"),
        (ideas(("A", 5, 4, 4), ("A", 1, 1, 1)), 3, "'A' appears more than once"),
        (ideas(("A", 5, 4, 4)), 0, "alignment_floor is 0; it must be a whole number from 1 to 5"),
        (ideas(("A", 5, 4, 4)), 6, "alignment_floor is 6"),
        (ideas(), 3, "the table has no rows"),
    ],
)
def test_prioritise_rejects_bad_input(table: pd.DataFrame, floor: int, message: str) -> None:
    """Does a rating outside 1-5, a repeated idea or a bad floor stop with a clear reason?"""
    with pytest.raises(ExerciseInputError, match=message) as caught:
        prioritise(table, floor)
    assert isinstance(caught.value, KitError)
    assert str(caught.value).startswith("opportunity prioritiser:")


def test_quadrant_chart_is_described() -> None:
    """Does the quadrant chart carry a title and list the ranking in its description?"""
    spec = quadrant_chart(prioritise(FIVE_IDEAS)).to_dict()
    assert spec["title"] == "Automation ideas by impact and feasibility"
    assert "1. A (quick win); 2. C (fill-in)" in spec["description"]
    assert "5. D (quick win, parked)" in spec["description"]


# --- phased rollout planner ---------------------------------------------------------------

THREE_PROJECTS = projects(("A", 4, 8), ("B", 5, 3), ("C", 6, 6))


def test_plan_rollout_hand_computed() -> None:
    """Does each project get the earliest pilot phase whose next phase fits its rollout?"""
    plan = plan_rollout(THREE_PROJECTS, capacity_days=10)
    # A: pilot phase 1 (4 of 10), rollout phase 2 (8 of 10).
    # B: phase 1 has 6 free for its 5-day pilot, but phase 2 has only 2 for its 3-day rollout;
    #    phase 2 has 2 < 5 for the pilot; phase 3 is empty -> pilot 3, rollout 4 (3 days).
    # C: phases 1 (6 free), 2 (2), 3 (5) are too full for a 6-day pilot; phase 4 has 7 free
    #    and phase 5 is empty -> pilot 4, rollout 5.
    assert plan.set_index("opportunity")[["pilot_phase", "rollout_phase"]].to_dict("index") == {
        "A": {"pilot_phase": 1, "rollout_phase": 2},
        "B": {"pilot_phase": 3, "rollout_phase": 4},
        "C": {"pilot_phase": 4, "rollout_phase": 5},
    }


def test_phase_load_hand_computed() -> None:
    """Are the booked and free days per phase what the plan above implies?"""
    load = phase_load(plan_rollout(THREE_PROJECTS, 10), 10)
    # phase 1: A pilot 4; 2: A rollout 8; 3: B pilot 5; 4: B rollout 3 + C pilot 6 = 9;
    # phase 5: C rollout 6
    assert list(load["used_days"]) == [4, 8, 5, 9, 6]
    assert list(load["free_days"]) == [6, 2, 5, 1, 4]


def test_more_capacity_shortens_the_plan() -> None:
    """With 20 days a phase, do all three pilots fit in phase 1 and all rollouts in phase 2?"""
    plan = plan_rollout(THREE_PROJECTS, 20)
    # pilots 4 + 5 + 6 = 15 <= 20; rollouts 8 + 3 + 6 = 17 <= 20
    assert set(plan["pilot_phase"]) == {1} and set(plan["rollout_phase"]) == {2}


def test_sample_law_firm_plan() -> None:
    """Does the law firm's plan need six phases with 8 staff days each, as the lesson says?"""
    plan = plan_rollout(sample_projects(), load_samples().rollout.capacity_days)
    # intake 3+5 -> 1/2; scheduling 2+3 -> 1/2 (phase 2 now full); billing 3+4 -> 3/4;
    # document assembly 6+8 -> 5/6 (phase 4 has 4 free < 6); newsletter 1+2 -> 3/4
    assert list(plan["pilot_phase"]) == [1, 1, 3, 5, 3]
    assert int(plan["rollout_phase"].max()) == 6


@pytest.mark.parametrize(
    ("table", "capacity", "message"),
    [
        (THREE_PROJECTS, 0, "capacity_days is 0; it must be a positive number"),
        (THREE_PROJECTS, 7, "'A' needs 8 days for its rollout, more than the 7 days a phase has"),
        (projects(("A", -1, 2)), 10, "'A' has pilot_days = -1"),
        (projects(("A", 1, 2), ("A", 2, 2)), 10, "'A' appears more than once"),
        (projects(), 10, "the table has no rows"),
    ],
)
def test_plan_rollout_rejects_bad_input(table: pd.DataFrame, capacity: float, message: str) -> None:
    """Does a stage bigger than a phase, or a non-positive number of days, stop the plan?"""
    with pytest.raises(ExerciseInputError, match=message):
        plan_rollout(table, capacity)


def test_rollout_chart_is_described() -> None:
    """Does the timeline say in words when each project is piloted and rolled out?"""
    spec = rollout_chart(plan_rollout(THREE_PROJECTS, 10)).to_dict()
    assert spec["title"] == "Phased rollout plan"
    assert "B: pilot in phase 3, rollout in phase 4" in spec["description"]


# --- tool-selection scorecard -------------------------------------------------------------

PRACTICAL = ("scalability", "integration", "ease_of_use", "cost_effectiveness", "vendor_support")


def test_equal_practical_weights_average_the_ratings() -> None:
    """With the five practical criteria weighted equally, is each score the plain average?"""
    scored = score_tools(sample_tools(), criteria_weights("practical"))
    # all-in-one (4+5+4+3+4)/5 = 4.0; spreadsheet (2+4+3+5+3)/5 = 3.4;
    # specialist (5+2+3+3+3)/5 = 3.2
    assert list(scored["tool"]) == [
        "All-in-one shop platform",
        "Spreadsheet plus integration platform",
        "Specialist tools, connected by hand",
    ]
    assert list(scored["score"]) == pytest.approx([4.0, 3.4, 3.2])
    assert list(scored.columns) == ["rank", "tool", *PRACTICAL, "score"]
    # each column is rating x 1/5, e.g. all-in-one integration 5 x 0.2 = 1.0
    assert scored.loc[0, "integration"] == pytest.approx(1.0)


def test_relative_weights_and_ties() -> None:
    """Are weights relative (2:1 = 2/3 and 1/3), and do equal scores share a rank?"""
    scored = score_tools(sample_tools(), {"integration": 2, "cost_effectiveness": 1})
    # all-in-one 5x2/3 + 3x1/3 = 13/3; spreadsheet 4x2/3 + 5x1/3 = 13/3;
    # specialist 2x2/3 + 3x1/3 = 7/3
    assert list(scored["score"]) == pytest.approx([13 / 3, 13 / 3, 7 / 3])
    assert list(scored["rank"]) == [1, 1, 3]
    assert list(scored["tool"])[:2] == [
        "All-in-one shop platform",
        "Spreadsheet plus integration platform",
    ]


def test_ethical_criteria_shift_the_ranking() -> None:
    """Adding the four ethical criteria at equal weight: who climbs and who drops?"""
    shift = ranking_shift(
        sample_tools(), criteria_weights("practical"), criteria_weights("practical", "ethical")
    ).set_index("tool")
    # nine criteria, equal weight: all-in-one (20 + 4+3+2+3)/9 = 32/9;
    # specialist (16 + 4+4+3+4)/9 = 31/9; spreadsheet (17 + 3+4+5+4)/9 = 33/9
    assert shift["score_after"].to_dict() == pytest.approx(
        {
            "All-in-one shop platform": 32 / 9,
            "Specialist tools, connected by hand": 31 / 9,
            "Spreadsheet plus integration platform": 33 / 9,
        }
    )
    assert shift["moved"].to_dict() == {
        "Spreadsheet plus integration platform": 1,
        "All-in-one shop platform": -1,
        "Specialist tools, connected by hand": 0,
    }


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            {"integration": -1},
            "the weight of integration is -1; weights must be numbers, 0 or more",
        ),
        ({"integration": 0, "scalability": 0}, "every weight is 0"),
        ({"glitter": 1}, "no column.s. glitter"),
    ],
)
def test_score_tools_rejects_bad_weights(weights: dict, message: str) -> None:
    """Does a negative, all-zero or unknown weight stop the scorecard with a reason?"""
    with pytest.raises(ExerciseInputError, match=message):
        score_tools(sample_tools(), weights)


def test_score_tools_rejects_a_rating_out_of_range() -> None:
    """Does a 6 on a 1-5 scale name the tool and the criterion?"""
    tools = sample_tools()
    tools.loc[0, "integration"] = 6
    with pytest.raises(
        ExerciseInputError,
        match="'All-in-one shop platform' has integration = 6; ratings must be "
        "whole numbers from 1 to 5",
    ):
        score_tools(tools, criteria_weights("practical"))


def test_scorecard_chart_is_described() -> None:
    """Does the stacked chart carry a title and the ranking in words?"""
    labels = {criterion.id: criterion.label for criterion in load_samples().criteria}
    spec = scorecard_chart(
        score_tools(sample_tools(), criteria_weights("practical")), labels
    ).to_dict()
    assert spec["title"] == "Tool scorecard"
    assert "1. All-in-one shop platform 4.00" in spec["description"]


# --- data file and widgets ----------------------------------------------------------------


def test_samples_reject_a_tool_missing_a_rating(tmp_path) -> None:
    """Does a tool without a rating for every criterion fail validation and name the tool?"""
    broken = tmp_path / "service_automation.yaml"
    broken.write_text(
        SAMPLES_FILE.read_text(encoding="utf-8").replace("      human_override: 3\n", "", 1),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="tool 'All-in-one shop platform': scores must"):
        load_samples(broken)


def test_prioritiser_follows_the_sliders() -> None:
    """Does moving a parked idea's alignment to 3 bring it into the ranking at its place?"""
    explorer = prioritiser()
    editor = explorer.controls["opportunities"]
    editor.picker.value = "Loyalty points in a CRM"
    editor.sliders["alignment"].value = 3  # alignment 2 -> 3: no longer parked
    row = explorer.result.set_index("opportunity").loc["Loyalty points in a CRM"]
    # aligned now, priority 4 x 4 = 16: behind booking (25) and reminders (20) -> rank 3
    assert (row["rank"], row["priority"], row["aligned"]) == (3, 16, True)
    explorer.controls["alignment_floor"].value = 4  # fit 3 is below 4 again: parked
    assert not explorer.result.set_index("opportunity").loc["Loyalty points in a CRM", "aligned"]


def test_rollout_planner_explains_a_phase_too_small(capsys: pytest.CaptureFixture[str]) -> None:
    """With 7 days a phase the 8-day rollout cannot fit: is that said in words, then recovered?"""
    planner = rollout_planner()
    plan, load = planner.result
    assert list(plan["pilot_phase"]) == [1, 1, 3, 5, 3]  # as in test_sample_law_firm_plan
    # phase 1: pilots 3 + 2; 2: rollouts 5 + 3; 3: pilots 3 + 1; 4: rollouts 4 + 2; 5: 6; 6: 8
    assert load["used_days"].tolist() == [5.0, 8.0, 4.0, 6.0, 6.0, 8.0]
    capsys.readouterr()
    planner.controls["capacity_days"].value = 7
    message = (
        "rollout planner: 'Document assembly' needs 8 days for its rollout, more than the "
        "7 days a phase has; split it into smaller steps or raise the capacity."
    )
    assert (planner.result, planner.error) == (None, message)
    # outside a kernel the output area prints; what it shows is one line of text
    assert capsys.readouterr().out.endswith(ERROR_PREFIX + message + "\n")
    planner.controls["capacity_days"].value = 20
    assert planner.error is None
    # pilots 3+2+3+6 in phase 1, rollouts 5+3+4+8 = 20 fill phase 2; the newsletter's rollout
    # (2) no longer fits there, so it pilots in phase 3 and rolls out in phase 4.
    assert planner.result[0]["rollout_phase"].tolist() == [2, 2, 2, 2, 4]


def test_tool_scorecard_weights_and_all_zero() -> None:
    """Do the weight sliders feed the scores, and does an all-zero weighting say why it stops?"""
    scorecard = tool_scorecard()
    # equal practical weights: 4.0, 3.4, 3.2 as in test_equal_practical_weights_average_the_ratings
    assert list(scorecard.result["score"]) == pytest.approx([4.0, 3.4, 3.2])
    for criterion in ("scalability", "ease_of_use", "vendor_support"):
        scorecard.controls[criterion].value = 0
    scorecard.controls["integration"].value = 2  # 2 : 1 as in test_relative_weights_and_ties
    assert list(scorecard.result["score"]) == pytest.approx([13 / 3, 13 / 3, 7 / 3])
    scorecard.controls["integration"].value = 0
    scorecard.controls["cost_effectiveness"].value = 0
    assert scorecard.error == (
        "tool scorecard: every weight is 0; give at least one criterion a weight above 0."
    )


# --- human in the loop: the chatbot handover rule -------------------------------------------


def questions(*rows: tuple[str, object, object, object]) -> pd.DataFrame:
    """Rows of (id, confidence, correct, high_stakes); the question text is the id."""
    table = pd.DataFrame(rows, columns=["id", "confidence", "correct", "high_stakes"])
    return table.assign(question=table["id"])


def test_handover_by_confidence_and_by_topic() -> None:
    """Does the bot answer from the threshold up, and does the topic rule override it?"""
    table = questions(("a", 90, True, False), ("b", 70, False, True), ("c", 40, True, False))
    assert route_questions(table, 70, high_stakes_to_person=False)["answered_by"].tolist() == [
        "bot",
        "bot",  # exactly at the threshold: the bot answers
        "person",
    ]
    assert route_questions(table, 70, high_stakes_to_person=True)["answered_by"].tolist() == [
        "bot",
        "person",
        "person",
    ]


def test_handover_outcome_counts_time_and_wrong_answers() -> None:
    """1 of 4 handed over, 100 a week at 6 minutes: 25 questions, 2.5 hours; 2 wrong from bot."""
    table = questions(
        ("a", 95, True, False),
        ("b", 80, False, True),
        ("c", 75, False, False),
        ("d", 10, True, False),
    )
    outcome = handover_outcome(
        table, 50, high_stakes_to_person=False, questions_per_week=100, minutes_per_handover=6
    )
    assert (outcome.handed_over, outcome.wrong_high_stakes) == (1, 1)
    assert outcome.wrong_from_bot["id"].tolist() == ["b", "c"]
    assert outcome.staff_hours_per_week == pytest.approx(2.5)
    assert outcome.summary() == (
        "A person takes 1 of the 4 questions, about 2.5 hours of staff time a week. The bot "
        "still gives 2 wrong answers, 1 of them about health, money or a complaint."
    )


def test_shipped_clinic_sample_tells_the_lesson_story() -> None:
    """The lesson's figures: 80 % alone, 70 % with the topic rule, 90 % alone, 40 % with it."""
    sample, table = load_samples().handover, sample_questions()

    def at(threshold: int, rule: bool) -> tuple[int, float, list[str], int]:
        outcome = handover_outcome(
            table,
            threshold,
            high_stakes_to_person=rule,
            questions_per_week=sample.questions_per_week,
            minutes_per_handover=sample.minutes_per_handover,
        )
        wrong = outcome.wrong_from_bot["id"].tolist()
        return outcome.handed_over, outcome.staff_hours_per_week, wrong, outcome.wrong_high_stakes

    # 80: q09-q20 go to a person (12 of 20 -> 120 a week x 3 min = 6 h); q06 and q08 wrong.
    assert at(80, False) == (12, pytest.approx(6.0), ["q06", "q08"], 1)
    # 70 + rule: q13-q20 (8) plus high-stakes q08, q09, q12 = 11 -> 110 x 3 min = 5.5 h.
    assert at(70, True) == (11, pytest.approx(5.5), ["q06"], 0)
    # 90 alone: only q01-q04 left to the bot, all right; 16 of 20 -> 8 h.
    assert at(90, False) == (16, pytest.approx(8.0), [], 0)
    # 40 + rule: q20 (35) plus the six high-stakes questions = 7 -> 3.5 h; q06 still wrong.
    assert at(40, True) == (7, pytest.approx(3.5), ["q06"], 0)


def test_handover_sweep_counts_each_threshold() -> None:
    """From 0 to 100 in the shipped sample: everything with the bot, then everything with staff."""
    sweep = handover_sweep(sample_questions(), [0, 70, 100], high_stakes_to_person=False)
    # 0: no handovers, all 8 wrong answers (6 high-stakes) sent; 70: 8 handed, q06 q08 q09 q12.
    assert sweep.to_dict("list") == {
        "threshold": [0, 70, 100],
        "handed_over": [0, 8, 20],
        "wrong_from_bot": [8, 4, 0],
        "wrong_high_stakes": [6, 3, 0],
    }


@pytest.mark.parametrize(
    ("table", "threshold", "message"),
    [
        (questions(("a", 120, True, False)), 50, "question a has a confidence of 120"),
        (questions(("a", 50, "yes", False)), 50, "question a has correct = 'yes'"),
        (questions(("a", 50, True, False)), 150, "the threshold is 150"),
        (questions(("a", 50, True, False), ("a", 60, True, False)), 50, "'a'"),
    ],
)
def test_handover_refuses_bad_input_by_name(table, threshold, message) -> None:
    """Are a confidence off the scale, a non-yes/no answer, a bad threshold, a repeated id named?"""
    with pytest.raises(ExerciseInputError, match=message):
        route_questions(table, threshold, high_stakes_to_person=False)


def test_handover_explorer_follows_its_controls() -> None:
    """Ticking the topic rule at 70 %: do the wrong answers shown drop from four to q06 alone?"""
    explorer = handover_rule()
    assert explorer.result.wrong_from_bot["id"].tolist() == ["q06", "q08", "q09", "q12"]
    explorer.controls["high_stakes_to_person"].value = True
    assert explorer.result.wrong_from_bot["id"].tolist() == ["q06"]
    explorer.controls["minutes_per_handover"].value = 6  # 11 of 20 x 200 x 6 min = 11 h
    assert explorer.result.staff_hours_per_week == pytest.approx(11.0)
    shown = [part.data for part in explorer.show(explorer.result) if isinstance(part, Markdown)]
    assert shown[0] == (
        "**A person takes 11 of the 20 questions, about 11.0 hours of staff time a week. The bot "
        "still gives 1 wrong answer, none of them about health, money or a complaint.**"
    )
    explorer.controls["threshold"].value = 90
    explorer.controls["high_stakes_to_person"].value = False
    assert explorer.result.summary().endswith("The bot gives no wrong answers.")


def test_handover_chart_describes_the_current_threshold() -> None:
    """Does the chart's text give the counts at the chosen threshold?"""
    sweep = handover_sweep(sample_questions(), range(0, 101, 5), high_stakes_to_person=False)
    spec = handover_chart(sweep, 80).to_dict()
    assert "At 80 %: 12 taken by a person, 2 wrong answers from the bot." in str(spec)


def test_question_table_says_yes_and_no() -> None:
    """Does the table a participant reads say yes/no, never True/False?"""
    table = question_table(questions(("a", 90, True, False), ("b", 40, False, True)))
    assert table.to_dict("index") == {
        "a": {"question": "a", "confidence (%)": 90, "answer right": "yes", "high stakes": "no"},
        "b": {"question": "b", "confidence (%)": 40, "answer right": "no", "high stakes": "yes"},
    }
