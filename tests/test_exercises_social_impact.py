"""Social-impact exercises against values worked out by hand (the arithmetic is in comments)."""

from __future__ import annotations

import pandas as pd
import pytest

from kit.course.exercises.social_impact import calc as ex
from kit.course.exercises.social_impact import charts, data, widgets
from kit.errors import ExerciseInputError

# --- fundamentals: freed resources -------------------------------------------------------------


def _tasks(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ex.TASK_COLUMNS))


def test_freed_resources_for_two_tasks() -> None:
    """Are hours, value net of tools, impact hours and payback right for a two-task table?"""
    tasks = _tasks(("Stock count", 5, 0.6, 20, 10), ("Invoices", 4, 0.5, 25, 0))
    tasks["setup_cost"] = [570, 0]
    freed = ex.freed_resources(tasks, reinvest_share=0.25, weeks_per_year=40)
    # Stock: 5 x 0.6 = 3 h/week; x 40 = 120 h/year; x 20 = 2400; minus 12 x 10 = 2280;
    #        impact 120 x 0.25 = 30 h; set-up 570 / (2280 / 12 = 190 a month) = 3 months.
    # Invoices: 2 h/week; 80 h; 2000; no tool; impact 20 h; nothing to set up, no payback.
    assert freed.to_dict("list") == {
        "task": ["Stock count", "Invoices"],
        "hours_freed_per_week": [3.0, 2.0],
        "hours_freed_per_year": [120.0, 80.0],
        "value_freed_per_year": [2400.0, 2000.0],
        "tool_cost_per_year": [120, 0],
        "net_value_per_year": [2280.0, 2000.0],
        "impact_hours_per_year": [30.0, 20.0],
        "setup_cost": [570.0, 0.0],
        "payback_months": [3.0, 0.0],
    }
    totals = ex.freed_totals(freed)
    assert totals["impact_hours_per_year"] == 50.0
    # together: 570 / (4280 / 12) = 6840 / 4280 = 1.598 months
    assert totals["payback_months"] == pytest.approx(1.5981, abs=1e-4)


def test_payback_without_set_up_column_and_when_it_never_pays() -> None:
    """Is a missing setup_cost read as 0, and a tool that costs more than it saves 'never'?"""
    freed = ex.freed_resources(_tasks(("A", 1, 0.5, 10, 50)), 0.2, weeks_per_year=40)
    assert freed.loc[0, "setup_cost"] == 0.0 and freed.loc[0, "payback_months"] == 0.0
    tasks = _tasks(("A", 1, 0.5, 10, 50))
    tasks["setup_cost"] = [100]
    # 0.5 h x 40 = 20 h x 10 = 200 a year; fees 600: net -400, so the set-up is never repaid
    freed = ex.freed_resources(tasks, 0.2, weeks_per_year=40)
    assert freed.loc[0, "payback_months"] == float("inf")
    assert "the savings never pay it back" in ex.freed_summary(freed, "x")


def test_bakery_sample_totals_and_summary() -> None:
    """Does the bakery sample (46 weeks) give the totals the lesson quotes?"""
    freed = ex.freed_resources(data.example_tasks(), reinvest_share=0.25)
    # Hours/week: 3.0 + 1.5 + 2.0 + 1.5 + 1.2 = 9.2; a year: 9.2 x 46 = 423.2.
    # Value: 138x18 + 69x18 + 92x22 + 69x18 + 55.2x18 = 7985.6; tools 12 x (15+0+20+10+0) = 540.
    totals = ex.freed_totals(freed)
    assert totals["hours_freed_per_week"] == pytest.approx(9.2)
    assert totals["hours_freed_per_year"] == pytest.approx(423.2)
    assert totals["net_value_per_year"] == pytest.approx(7445.6)
    assert totals["impact_hours_per_year"] == pytest.approx(105.8)
    # set-up 600 + 0 + 900 + 150 + 450 = 2,100; 12 x 2,100 / 7,445.6 = 3.38 months
    assert totals["setup_cost"] == 2100
    assert ex.freed_summary(freed, "the food bank") == (
        "Automating these tasks frees about **9.2 hours a week** (423 a year), worth about "
        "**7,446** a year in staff time after tool fees of 540 a year. Setting the tools up "
        "costs 2,100 once, paid back in about **3.4 months**. Giving your chosen share to "
        "*the food bank* means **106 hours a year** for it."
    )


@pytest.mark.parametrize(
    ("tasks", "share", "message"),
    [
        (
            _tasks(("A", 5, 1.5, 20, 0)),
            0.2,
            "'A' automatable_share is 1.5; it must be a number from 0 to 1",
        ),
        (_tasks(("A", 5, 0.5, 20, 0)), 1.2, "reinvest_share is 1.2"),
        (
            _tasks(("A", 5, 0.5, 20, 0), ("A", 1, 0.5, 20, 0)),
            0.2,
            "task 'A' appears more than once",
        ),
        (
            pd.DataFrame({"task": ["A"], "hours_per_week": [5]}),
            0.2,
            "no column(s) automatable_share",
        ),
    ],
)
def test_freed_resources_refuses_unusable_input(tasks, share, message) -> None:
    """Is a share above 100%, a repeated task or a missing column refused with its name?"""
    with pytest.raises(ExerciseInputError, match="freed resources: ") as caught:
        ex.freed_resources(tasks, share)
    assert message in str(caught.value)


def test_freed_resources_chart_splits_each_tasks_hours() -> None:
    """Do the chart's two bars per task add up to the hours freed, with title and description?"""
    freed = ex.freed_resources(_tasks(("Stock count", 5, 0.6, 20, 10)), 0.25, 40)
    spec = charts.freed_resources_chart(freed).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {(row["Use"], row["Hours a year"]) for row in rows} == {
        ("For the impact goal", 30.0),
        ("Kept for the business", 90.0),
    }
    assert spec["title"] and spec["description"]


# --- intermediate: KPI planner -----------------------------------------------------------------


def _plan(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ex.KPI_COLUMNS))


@pytest.mark.parametrize(
    ("baseline", "target", "current", "progress", "direction", "status"),
    [
        (420, 340, 360, 0.75, "lower is better", "on the way"),  # -60 / -80
        (15, 35, 23, 0.40, "higher is better", "on the way"),  # 8 / 20
        (6, 1, 0.5, 1.10, "lower is better", "target met"),  # -5.5 / -5
        (3, 2, 7, -4.0, "lower is better", "moving the wrong way"),  # 4 / -1
        (10, 20, 10, 0.0, "higher is better", "no change yet"),
    ],
)
def test_kpi_progress_reads_direction_from_baseline_and_target(
    baseline, target, current, progress, direction, status
) -> None:
    """Is progress 0 at the baseline and 1 at the target, whichever way is better?"""
    row = ex.kpi_progress(_plan(("P", "social", "K", baseline, target, current))).iloc[0]
    assert (row["progress"], row["direction"], row["status"]) == (
        pytest.approx(progress),
        direction,
        status,
    )


def test_kpi_progress_refuses_a_target_equal_to_the_baseline() -> None:
    """A KPI whose target is where it starts cannot show progress: is it named?"""
    with pytest.raises(ExerciseInputError, match="KPI 'Fuel' has the same baseline and target"):
        ex.kpi_progress(_plan(("P", "business", "Fuel", 5, 5, 4)))


def test_kpi_pairing_names_what_each_process_lacks() -> None:
    """Does each process get told which kind of KPI it still needs?"""
    plan = _plan(
        ("Routes", "business", "Fuel cost", 1, 0, 1),
        ("Routes", "social", "Fuel burned", 1, 0, 1),
        ("Payroll", "business", "Admin hours", 1, 0, 1),
        ("Surveys", "social", "Response rate", 0, 1, 0),
    )
    assert ex.kpi_pairing(plan).to_dict("list") == {
        "process": ["Routes", "Payroll", "Surveys"],
        "business_kpis": [1, 1, 0],
        "social_kpis": [1, 0, 1],
        "check": ["paired", "add a social KPI", "add a business KPI"],
    }


def test_cleaning_service_sample_flags_the_chatbot() -> None:
    """In the sample plan, is the chatbot the process that helps the business but hurts people?"""
    balance = ex.kpi_balance(ex.kpi_progress(data.example_kpis()))
    # Routes: business 0.75, social (0.8 + 0.75) / 2 = 0.775. Communication: 0.75 vs
    # (0.7 + 0.4) / 2 = 0.55. Payroll: 16/18 vs 0.75. Chatbot: 1.1 vs -4.
    assert balance["process"].tolist() == [
        "Scheduling and routes",
        "Customer communication",
        "Payroll and invoicing",
        "Customer questions",
    ]
    assert balance["business_progress"].tolist() == pytest.approx([0.75, 0.75, 16 / 18, 1.1])
    assert balance["social_progress"].tolist() == pytest.approx([0.775, 0.55, 0.75, -4.0])
    assert balance["verdict"].tolist() == ["moving together"] * 3 + [
        "helps the business but hurts people: rethink it"
    ]


@pytest.mark.parametrize(
    ("business", "social", "verdict"),
    [
        (0.5, 0.5, "moving together"),
        (0.5, -0.5, "helps the business but hurts people: rethink it"),
        (-0.5, 0.5, "does good but costs the business: check it can last"),
        (-0.5, -0.5, "failing on both: stop and review"),
        (0.5, None, "not paired yet"),
    ],
)
def test_kpi_balance_verdicts(business, social, verdict) -> None:
    """Does each combination of business and social progress get the right verdict?"""
    rows = [("P", "business", "B", 0, 1, business)]
    if social is not None:
        rows.append(("P", "social", "S", 0, 1, social))
    assert ex.kpi_balance(ex.kpi_progress(_plan(*rows)))["verdict"].tolist() == [verdict]


# --- advanced: prioritiser ---------------------------------------------------------------------


def _candidates(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["candidate", *ex.CANDIDATE_SCORES])


def test_prioritise_lets_the_worst_risk_decide() -> None:
    """Is a high-benefit candidate with one severe risk ranked below safer ones?"""
    table = _candidates(
        ("Risky", 5, 5, 5, 1, 1, 1),  # benefit 5; worst 5 -> 5 - 0.5 x 4 = 3
        ("Careful", 3, 3, 3, 3, 3, 3),  # benefit 3; worst 3 -> 3 - 0.5 x 2 = 2
        ("Plain", 2, 2, 1, 1, 2, 1),
    )  # benefit 2; worst 2 -> 2 - 0.5 x 1 = 1.5
    ranked = ex.prioritise(table)
    assert ranked[
        ["rank", "candidate", "benefit", "worst_risk_score", "priority", "verdict"]
    ].to_dict("records") == [
        {
            "rank": 1,
            "candidate": "Plain",
            "benefit": 2.0,
            "worst_risk_score": 2,
            "priority": 1.5,
            "verdict": "Go ahead",
        },
        {
            "rank": 2,
            "candidate": "Careful",
            "benefit": 3.0,
            "worst_risk_score": 3,
            "priority": 2.0,
            "verdict": "Go ahead with safeguards",
        },
        {
            "rank": 3,
            "candidate": "Risky",
            "benefit": 5.0,
            "worst_risk_score": 5,
            "priority": 3.0,
            "verdict": "Redesign before automating",
        },
    ]
    assert ranked["worst_risk"].tolist() == [
        "none serious",
        "Unfair treatment (bias)",
        "Unfair treatment (bias)",
    ]
    assert ranked.loc[0, "first_safeguard"] == ""
    assert ranked.loc[2, "first_safeguard"].startswith("Test the outcomes for different groups")


def test_prioritise_weights_change_the_benefit() -> None:
    """With all weight on efficiency and no risk penalty, is priority just efficiency?"""
    table = _candidates(("A", 4, 1, 1, 1, 1, 1), ("B", 2, 5, 1, 1, 1, 1))
    ranked = ex.prioritise(table, efficiency_weight=1.0, risk_penalty=0.0)
    assert ranked[["candidate", "priority"]].values.tolist() == [["A", 4.0], ["B", 2.0]]


def test_care_agency_sample_ranks_and_the_averaging_contrast() -> None:
    """Does CV screening top an average-risk ranking but sink under the worst-risk rule?"""
    comparison = ex.risk_rule_comparison(data.example_candidates())
    # Worst-risk priorities: energy 3.0, reminders 3.0, upload 2.5, bookkeeping 2.0 |
    # CV screening 2.5, chatbot 1.5 (redesign band last). Averaged: CV screening
    # 4.5 - 0.5 x 2 = 3.5 comes first.
    assert comparison.to_dict("list") == {
        "candidate": [
            "Energy monitoring in the office",
            "Visit reminder texts to clients",
            "Online onboarding documents and ID check",
            "Automatic bookkeeping reconciliation",
            "Automated CV screening",
            "Chatbot for families' questions",
        ],
        "rank_by_worst_risk": [1, 2, 3, 4, 5, 6],
        "rank_if_risks_averaged": [3, 2, 4, 5, 1, 6],
        "verdict": [
            "Go ahead",
            "Go ahead",
            "Go ahead with safeguards",
            "Go ahead with safeguards",
            "Redesign before automating",
            "Redesign before automating",
        ],
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"efficiency_weight": 1.5}, "efficiency_weight is 1.5"),
        ({"risk_penalty": -1}, "risk_penalty is -1"),
    ],
)
def test_prioritise_refuses_weights_out_of_range(kwargs, message) -> None:
    """Is a weight outside its range named?"""
    with pytest.raises(ExerciseInputError, match=message):
        ex.prioritise(_candidates(("A", 1, 1, 1, 1, 1, 1)), **kwargs)


def test_prioritise_refuses_a_rating_off_the_scale() -> None:
    """Is a rating of 6 on a 1-5 scale refused with the candidate and column?"""
    with pytest.raises(ExerciseInputError, match="'A' has bias_risk = 6"):
        ex.prioritise(_candidates(("A", 1, 1, 6, 1, 1, 1)))


# --- widgets -------------------------------------------------------------------------------


def test_explorer_sliders_feed_the_calculation() -> None:
    """Moving a task's share to 0% and the impact share to 50%: are the new totals computed?"""
    explorer = widgets.freed_resources_explorer(
        _tasks(("Stock count", 5, 0.6, 20, 10), ("Invoices", 4, 0.5, 25, 0))
    )
    explorer.controls["tasks"].sliders["Stock count"].value = 0.0
    explorer.controls["reinvest_share"].value = 0.5
    totals = ex.freed_totals(explorer.result.freed)
    # Only invoices remain: 4 x 0.5 = 2 h/week; x 46 = 92 h/year; half of it = 46 impact hours.
    assert (totals["hours_freed_per_week"], totals["impact_hours_per_year"]) == (2.0, 46.0)
    explorer.controls["impact_goal"].value = "the food bank"
    assert explorer.result.summary.endswith("*the food bank* means **46 hours a year** for it.")


def test_prioritiser_rating_slider_reorders_the_ranking() -> None:
    """Lowering the CV screening's bias risk to 2: does it move up to first place?"""
    explorer = widgets.prioritiser()
    editor = explorer.controls["candidates"]
    editor.picker.value = "Automated CV screening"
    editor.sliders["bias_risk"].value = 2
    # Worst risk is now privacy at 3: 4.5 - 0.5 x 2 = 3.5, with safeguards; still behind the
    # two "go ahead" candidates, but first of its band.
    row = explorer.result.set_index("candidate").loc["Automated CV screening"]
    assert (row["rank"], row["priority"], row["verdict"]) == (3, 3.5, "Go ahead with safeguards")


def test_kpi_planner_form_adds_a_row_and_refuses_a_nameless_one() -> None:
    """Does the Add button append the typed KPI, and ask for names when they are missing?"""
    planner = widgets.kpi_planner(_plan(("Routes", "business", "Fuel cost", 10, 5, 8)))
    form = planner.controls["plan"]
    assert planner.result.pairing["check"].tolist() == ["add a social KPI"]
    form.add_button.click()
    assert form.message.value == "Give the process and the KPI a name first."
    form.fields["process"].value, form.fields["kind"].value = "Routes", "social"
    form.fields["kpi"].value = "Travel hours"
    form.fields["baseline"].value, form.fields["target"].value = 40, 30
    form.fields["current"].value = 35
    form.add_button.click()
    assert form.message.value == "Added social KPI <i>Travel hours</i> to Routes."
    added = form.value.iloc[-1]
    assert (added["kind"], added["kpi"], added["current"]) == ("social", "Travel hours", 35)
    assert planner.result.pairing["check"].tolist() == ["paired"]
    # business (8 - 10) / (5 - 10) = 0.4, social (35 - 40) / (30 - 40) = 0.5: moving together
    assert planner.result.balance["verdict"].tolist() == ["moving together"]


def test_kpi_planner_empty_plan_is_explained_in_words() -> None:
    """Starting an empty plan: is the output a sentence, not a traceback, until a KPI is added?"""
    planner = widgets.kpi_planner()
    planner.controls["plan"].clear_button.click()
    assert planner.result is None
    assert planner.error == "KPI planner: the table has no rows; add at least one."


def test_kpi_form_escapes_what_was_typed() -> None:
    """Could a typed KPI name inject HTML into the form's message? It is escaped."""
    form = widgets.KpiForm(_plan(("Routes", "business", "Fuel cost", 10, 5, 8)))
    form.fields["process"].value, form.fields["kpi"].value = "Routes", "<b>x</b>"
    form.add()
    assert "<b>x</b>" not in form.message.value and "&lt;b&gt;x&lt;/b&gt;" in form.message.value


def test_freed_table_is_written_for_a_person() -> None:
    """Does the bakery table read '3.0' hours and '600' set-up, never 3.0000001 or inf?"""
    table = ex.freed_table(ex.freed_resources(data.example_tasks(), reinvest_share=0.25))
    # Stock: 5 x 0.6 = 3 h a week, 138 a year; 138 x 18 - 180 = 2,304; 600 x 12 / 2,304 = 3.1
    assert table.loc["Counting stock and ingredients"].tolist() == [
        "3.0",
        "138",
        "2,304",
        "600",
        "3.1 months",
        "34",
    ]
    # Ordering supplies has nothing to set up
    assert table.loc["Ordering supplies", "paid back in"] == "-"
