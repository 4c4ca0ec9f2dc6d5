"""The customer_experience exercises: ROI figures and the chatbot transparency checker.

Expected values are worked out by hand in the comments; the shipped samples are checked for the
verdicts the lessons tell participants they will see.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.course.exercises.customer_experience.calc import (
    CHECKS,
    break_even_margin,
    check_transcript,
    churn_rate,
    compare_years,
    comparison_table,
    customer_lifetime_value,
    customers_needed_per_year,
    ethical_automation_roi,
    mean_lifetime_years,
    median_lifetime_years,
    nps,
    nps_breakdown,
    nps_margin_of_error,
    parse_transcript,
    pooled_report,
    retention_rate,
    roi_sentence,
)
from kit.course.exercises.customer_experience.charts import (
    nps_chart,
    pooled_report_chart,
    transparency_chart,
)
from kit.course.exercises.customer_experience.data import (
    CHECK_NAMES,
    SAMPLES_FILE,
    CustomerYear,
    load_samples,
    load_transparency_rules,
    roi_scenario,
    sample_transcript,
)
from kit.course.exercises.customer_experience.widgets import (
    pooled_report_check,
    roi_calculator,
    transparency_checker,
)
from kit.errors import DefinitionError, ExerciseInputError, KitError

# --- NPS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        # promoters 10, 9, 10, 9 = 4; passives 8, 7 = 2; detractors 6, 0, 3, 5 = 4 -> 40 - 40 = 0
        ([10, 9, 8, 7, 6, 0, 10, 3, 9, 5], 0.0),
        # 2 promoters, 1 passive, 1 detractor of 4 -> 50 - 25 = 25
        ([10, 9, 7, 3], 25.0),
        ([10, 10, 9], 100.0),  # all promoters
        ([0, 6, 2], -100.0),  # all detractors
        ([7, 8], 0.0),  # passives count in the total but neither add nor subtract
        # 1 promoter, 2 detractors of 3 -> 33.3 - 66.7 = -33.3
        ([9, 6, 6], -100 / 3),
    ],
)
def test_nps_from_known_ratings(ratings: list[int], expected: float) -> None:
    """Is NPS the per cent of promoters (9-10) minus the per cent of detractors (0-6)?"""
    assert nps(ratings) == pytest.approx(expected)


def test_nps_breakdown_counts_and_shares() -> None:
    """Does the breakdown behind the chart count each band and give its share of all ratings?"""
    table = nps_breakdown([10, 9, 8, 7, 6, 0, 10, 3, 9, 5]).set_index("band")
    assert table["count"].to_dict() == {"promoter": 4, "passive": 2, "detractor": 4}
    assert table["share"].to_dict() == {"promoter": 40.0, "passive": 20.0, "detractor": 40.0}


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([], "the list of ratings is empty"),
        ([9, 11], "rating number 2 is 11"),
        ([-1], "rating number 1 is -1"),
        ([7.5], "rating number 1 is 7.5"),
        (["9"], "rating number 1 is '9'"),
        ([True], "rating number 1 is True"),
    ],
)
def test_nps_rejects_bad_ratings(ratings: list, message: str) -> None:
    """Does a bad rating stop the calculation with a message naming which one and why?"""
    with pytest.raises(ExerciseInputError, match=message) as caught:
        nps(ratings)
    assert isinstance(caught.value, KitError)


# --- retention, churn, lifetime value, ROI ------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "new", "retention"),
    [
        (200, 200, 30, 85.0),  # 200 - 30 new = 170 kept of 200 -> 85 %
        (50, 40, 0, 80.0),  # 40 kept of 50 -> 80 %
        (10, 12, 2, 100.0),  # 10 kept of 10 -> nobody left
        (10, 3, 3, 0.0),  # only newcomers remain -> everybody left
    ],
)
def test_retention_and_churn(start: int, end: int, new: int, retention: float) -> None:
    """Is retention the share of starting customers still there, and churn the rest?"""
    assert retention_rate(start, end, new) == pytest.approx(retention)
    assert churn_rate(start, end, new) == pytest.approx(100 - retention)


@pytest.mark.parametrize(
    ("start", "end", "new", "message"),
    [
        (0, 5, 5, "customers_at_start is 0"),
        (100, 20, 30, "new_customers \\(30\\) is more than customers_at_end \\(20\\)"),
        (10, 30, 5, "25 customers kept out of 10"),
        (-3, 5, 0, "customers_at_start is -3"),
        (10, 9.5, 0, "customers_at_end is 9.5"),
    ],
)
def test_retention_rejects_impossible_counts(start, end, new, message: str) -> None:
    """Do impossible customer counts fail with a message saying what cannot be true?"""
    with pytest.raises(ExerciseInputError, match=message):
        churn_rate(start, end, new)


@pytest.mark.parametrize(
    ("order_value", "orders", "churn", "expected"),
    [
        (24, 10, 15, 1600.0),  # 24 x 10 a year x (100 / 15 = 6.67 years) = 1600
        (50, 4, 25, 800.0),  # 50 x 4 x 4 years = 800
        (30, 2, 100, 60.0),  # everybody leaves within the year: one year of orders
    ],
)
def test_customer_lifetime_value(
    order_value: float, orders: float, churn: float, expected: float
) -> None:
    """Is CLTV order value x orders a year x expected years (100 / churn %)?"""
    assert customer_lifetime_value(order_value, orders, churn) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("order_value", "orders", "churn", "message"),
    [
        (24, 10, 0, "annual churn is 0"),
        (24, 10, 120, "annual churn is 120"),
        (-5, 10, 20, "average_order_value is -5"),
    ],
)
def test_lifetime_value_rejects_bad_input(order_value, orders, churn, message: str) -> None:
    """Does a churn of 0 (endless value) or a negative amount fail with a clear message?"""
    with pytest.raises(ExerciseInputError, match=message):
        customer_lifetime_value(order_value, orders, churn)


def _year(label: str, ratings: list[int], end: int, new: int) -> CustomerYear:
    return CustomerYear(
        label=label,
        ratings=ratings,
        customers_at_start=100,
        customers_at_end=end,
        new_customers=new,
        average_order_value=20,
        orders_per_year=5,
    )


BEFORE = _year("Before", [10, 6, 3, 8], end=100, new=25)  # kept 75: churn 25 %, NPS 25-50=-25
AFTER = _year("After", [10, 9, 8, 5], end=110, new=30)  # kept 80: churn 20 %, NPS 50-25=25


def test_compare_years_reports_each_metric_and_direction() -> None:
    """Does the comparison show before, after and change, and count lower churn as better?"""
    table = compare_years(BEFORE, AFTER)
    # CLTV: 20 x 5 = 100 a year; before x 100/25 = 400, after x 100/20 = 500
    expected = {
        "Net Promoter Score": (-25.0, 25.0),
        "Retention rate": (75.0, 80.0),
        "Churn rate": (25.0, 20.0),
        "Customer lifetime value": (400.0, 500.0),
    }
    for metric, (before, after) in expected.items():
        assert table.loc[metric, "before"] == pytest.approx(before)
        assert table.loc[metric, "after"] == pytest.approx(after)
        assert table.loc[metric, "change"] == pytest.approx(after - before)
    assert table["improved"].all()


def test_roi_of_the_change() -> None:
    """Is ROI (CLTV gain x margin x customers at the end - investment) / investment in %?"""
    # revenue gain: (500 - 400) x 110 customers = 11,000
    # all of it profit (margin 100 %): (11,000 - 5,000) / 5,000 = 120 %
    assert ethical_automation_roi(BEFORE, AFTER, 5000, margin_percent=100) == pytest.approx(120.0)
    # margin 50 %: 5,500 gained, (5,500 - 5,000) / 5,000 = 10 %
    assert ethical_automation_roi(BEFORE, AFTER, 5000, margin_percent=50) == pytest.approx(10.0)
    # the default margin is 30 %: 3,300 gained; on 5,000 spent (3,300 - 5,000) / 5,000 = -34 %
    assert ethical_automation_roi(BEFORE, AFTER, 5000) == pytest.approx(-34.0)
    # the same change costing 22,000 at full margin: (11,000 - 22,000) / 22,000 = -50 %
    assert ethical_automation_roi(BEFORE, AFTER, 22000, 100) == pytest.approx(-50.0)


def test_break_even_margin() -> None:
    """Is the break-even margin the investment over the revenue gain?"""
    # 5,000 / 11,000 = 45.45 %
    assert break_even_margin(BEFORE, AFTER, 5000) == pytest.approx(45.4545, abs=1e-4)
    # a change that lowers lifetime value never pays, whatever the margin
    assert break_even_margin(AFTER, BEFORE, 5000) == float("inf")


@pytest.mark.parametrize("investment", [0, -100])
def test_roi_needs_a_positive_investment(investment: float) -> None:
    """Is an investment of zero or less refused rather than dividing by it?"""
    with pytest.raises(ExerciseInputError, match=f"investment is {investment}"):
        ethical_automation_roi(BEFORE, AFTER, investment)


@pytest.mark.parametrize("margin", [0, -5, 120])
def test_roi_needs_a_margin_between_0_and_100(margin: float) -> None:
    """Is a gross margin outside (0, 100] refused with a message naming it?"""
    with pytest.raises(ExerciseInputError, match=f"gross margin is {margin} %"):
        ethical_automation_roi(BEFORE, AFTER, 5000, margin)


def test_local_eats_scenario_matches_its_comments() -> None:
    """Does the shipped Local Eats scenario give the figures its YAML comments promise?"""
    scenario = roi_scenario("local_eats_chatbot")
    table = compare_years(scenario.before, scenario.after)
    assert table.loc["Net Promoter Score", ["before", "after"]].tolist() == [-10.0, 25.0]
    assert table.loc["Churn rate", ["before", "after"]].tolist() == pytest.approx([15.0, 13.0])
    # 24 x 10 x 100 / 13 = 1846.15
    assert table.loc["Customer lifetime value", "after"] == pytest.approx(1846.15, abs=0.01)
    assert scenario.gross_margin_percent == 30


def test_local_eats_return_on_gross_margin() -> None:
    """Is the lesson's headline return the 72 % on margin, not the 474 % on revenue?"""
    scenario = roi_scenario("local_eats_chatbot")
    before, after = scenario.before, scenario.after
    # 30 % of 240 a year: 72 / 0.15 = 480 before, 72 / 0.13 = 553.846 after;
    # 73.846 x 210 = 15,507.69; (15,507.69 - 9,000) / 9,000 = 72.31 %
    assert ethical_automation_roi(before, after, 9000, 30) == pytest.approx(72.31, abs=0.01)
    # revenue gain 246.154 x 210 = 51,692.31; 9,000 / 51,692.31 = 17.41 %
    assert break_even_margin(before, after, 9000) == pytest.approx(17.41, abs=0.01)


@pytest.mark.parametrize(
    ("customers_at_end", "roi"),
    [
        (208, -20.76),  # 172 kept, churn 14 %: 72 / 0.14 = 514.29; 34.29 x 208 = 7,131.43
        (209, 23.85),  # 173 kept, churn 13.5 %: 72 / 0.135 = 533.33; 53.33 x 209 = 11,146.67
    ],
)
def test_one_customer_flips_the_sign(customers_at_end: int, roi: float) -> None:
    """Does one more customer kept turn a loss into a gain, as the lesson shows?"""
    scenario = roi_scenario("local_eats_chatbot")
    year = scenario.after.model_copy(update={"customers_at_end": customers_at_end})
    assert ethical_automation_roi(scenario.before, year, 9000, 30) == pytest.approx(roi, abs=0.01)


@pytest.mark.parametrize(
    ("churn", "mean", "median"),
    [
        (15, 6.6667, 4.2650),  # 100 / 15; ln 2 / -ln 0.85 = 0.693147 / 0.162519
        (50, 2.0, 1.0),  # half leave each year: half are gone after exactly one year
        (100, 1.0, 0.0),  # everybody leaves within the year
    ],
)
def test_mean_and_median_lifetime(churn: float, mean: float, median: float) -> None:
    """Is the mean stay 100 / churn and the median the year by which half have left?"""
    assert mean_lifetime_years(churn) == pytest.approx(mean, abs=1e-4)
    assert median_lifetime_years(churn) == pytest.approx(median, abs=1e-4)


def test_lifetime_rejects_a_churn_of_zero() -> None:
    """Does a churn of 0 (nobody ever leaves) fail with a message saying why?"""
    with pytest.raises(ExerciseInputError, match=r"annual churn is 0 %.*stay forever"):
        median_lifetime_years(0)


@pytest.mark.parametrize(
    ("before", "after", "needed"),
    [
        # (1.959964 + 0.841621)^2 = 7.848879; 0.25 + 0.24 = 0.49; / 0.1^2 -> 384.6 -> 385
        (50, 60, 385),
        # Local Eats: 0.85 x 0.15 + 0.87 x 0.13 = 0.2406; / 0.02^2 = 601.5; x 7.848879 -> 4722
        (85, 87, 4722),
    ],
)
def test_customers_needed_per_year(before: float, after: float, needed: int) -> None:
    """Is the sample size the two-proportion formula (5 % two-sided, 80 % power), rounded up?"""
    assert customers_needed_per_year(before, after) == needed


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (85, 85, "the two rates are equal"),
        (0, 50, "before_percent is 0"),
    ],
)
def test_customers_needed_rejects_bad_rates(before: float, after: float, message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        customers_needed_per_year(before, after)


@pytest.mark.parametrize(
    ("ratings", "margin"),
    [
        # one promoter, one detractor: variance 1 - 0 = 1; 100 x 1.959964 x sqrt(1 / 2) = 138.59
        ([10, 0], 138.59),
        # Local Eats after: 0.45 + 0.20 - 0.25^2 = 0.5875; 195.9964 x sqrt(0.5875 / 20) = 33.59
        (roi_scenario("local_eats_chatbot").after.ratings, 33.59),
    ],
)
def test_nps_margin_of_error(ratings: list[int], margin: float) -> None:
    """Is the 95 % margin of NPS 1.96 standard errors of the +1/0/-1 scores, in points?"""
    assert nps_margin_of_error(ratings) == pytest.approx(margin, abs=0.01)


def test_figures_are_written_for_a_person() -> None:
    """Does the comparison read '£1,846' and '+2.0 points', never 1846.153846?"""
    scenario = roi_scenario("local_eats_chatbot")
    table = comparison_table(scenario.before, scenario.after, "£")
    assert table.loc["Net Promoter Score"].tolist() == ["-10", "+25", "+35", "yes"]
    assert table.loc["Retention rate"].tolist() == ["85.0 %", "87.0 %", "+2.0 points", "yes"]
    assert table.loc["Churn rate"].tolist() == ["15.0 %", "13.0 %", "-2.0 points", "yes"]
    assert table.loc["Customer lifetime value"].tolist() == ["£1,600", "£1,846", "+£246", "yes"]
    summary = roi_sentence(scenario.before, scenario.after, 9000, "£", 30)
    assert summary.startswith("**Return on gross margin: +72 %** on the £9,000 spent")
    assert "below a 17 % margin it loses money" in summary


# --- chatbot transparency -----------------------------------------------------------------


def _status(text: str, rule: str) -> tuple[str, str]:
    results = check_transcript(parse_transcript(text)).set_index("rule")
    return results.loc[rule, "status"], results.loc[rule, "reason"]


@pytest.mark.parametrize(
    ("text", "rule", "status", "reason_part"),
    [
        ("bot: Hi, I'm the shop's chatbot.", "discloses_automation", "pass", "'chatbot'"),
        # only the first bot message counts: admitting it later is too late
        ("bot: Hi there!\nbot: By the way, I am a bot.", "discloses_automation", "fail", "turn 1"),
        # whole words only: the 'bot' inside a name is not a disclosure
        ("bot: Welcome to Talbot's Bakery!", "discloses_automation", "fail", "turn 1"),
        (
            "customer: hi\nbot: Want to talk to a person? Just ask.",
            "offers_human",
            "pass",
            "Turn 2",
        ),
        ("bot: Hello, what would you like?", "offers_human", "fail", "No bot message"),
        (
            "bot: Your details stay private; see our privacy page.",
            "explains_data_use",
            "pass",
            "'privacy'",
        ),
        ("bot: Hurry, this deal ends tonight!", "no_pressure", "fail", "Turn 1 (bot) says 'hurry'"),
        ("bot: Here is the menu.", "no_pressure", "pass", "No bot message"),
        ("bot: Texts are your choice; reply to opt out.", "offers_opt_out", "pass", "Turn 1"),
    ],
)
def test_single_rules(text: str, rule: str, status: str, reason_part: str) -> None:
    """Does each rule pass or fail a short conversation, and say which turn and words decided?"""
    got_status, reason = _status(text, rule)
    assert got_status == status
    assert reason_part in reason


@pytest.mark.parametrize(
    ("text", "status", "reason_part"),
    [
        (
            "customer: Can I speak to a real person?\nbot: Sure, passing you to Sam now.",
            "pass",
            "turn 1",
        ),
        ("customer: I want a human.\nstaff: Hi, Sam here.", "pass", "turn 1"),
        (
            "customer: I want a human.\nbot: I can help with that!",
            "fail",
            "turn 1, but turn 2 (bot)",
        ),
        ("bot: Hello.\ncustomer: Get me a manager.", "fail", "ends without a reply"),
        ("customer: Two pizzas please.\nbot: Coming up.", "not applicable", "No customer asked"),
    ],
)
def test_handover_when_asked(text: str, status: str, reason_part: str) -> None:
    """Is a request for a person answered by the very next message handing over?"""
    got_status, reason = _status(text, "honours_handover")
    assert got_status == status
    assert reason_part in reason


@pytest.mark.parametrize(
    ("transcript_id", "passing"),
    [
        ("local_eats_before", 0),
        ("local_eats_after", 6),
        ("florist_rosie", 0),
    ],
)
def test_sample_transcripts(transcript_id: str, passing: int) -> None:
    """Do the shipped transcripts give the results the lessons discuss (all fail, all pass)?"""
    results = check_transcript(sample_transcript(transcript_id))
    assert (results["status"] == "pass").sum() == passing
    assert len(results) == len(load_transparency_rules().rules)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello there", "line 1: 'hello there' should start with 'bot:'"),
        ("bot: Hi!\nrobot: beep", "line 2: 'robot: beep'"),
        ("customer:", "line 1"),
        ("   \n", "it is empty"),
    ],
)
def test_parse_transcript_rejects_unreadable_lines(text: str, message: str) -> None:
    """Does a line without a known speaker fail with its line number and the expected form?"""
    with pytest.raises(ExerciseInputError, match=message):
        parse_transcript(text)


def test_rules_file_with_unknown_check_is_refused(tmp_path: Path) -> None:
    """Does a rule naming a check that does not exist fail with the file, line and check list?"""
    path = tmp_path / "rules.yaml"
    path.write_text(
        "schema_version: 1\nsource: 003_e56a5dd0253a6b2f.txt\nrules:\n"
        "  - id: says_hello\n    title: Says hello\n    why: Greeting is polite.\n"
        "    check: greets_warmly\n    phrases: [hello]\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DefinitionError,
        match=r"rules.yaml:4: rules\[0 id=says_hello\].*"
        r"'greets_warmly' is not one of",
    ):
        load_transparency_rules(path)


def test_every_check_a_rule_may_name_has_a_function() -> None:
    """Can a rule name exactly the checks that exist (the file's model and the registry agree)?"""
    assert tuple(CHECKS) == CHECK_NAMES


def test_roi_calculator_sliders_feed_the_calculation() -> None:
    """Moving the later year's sliders: do the comparison and the ROI follow them?"""
    calculator = roi_calculator("local_eats_chatbot")
    # Shipped: 24 x 10 a year, churn 13 % -> CLTV 1846.15; before 1600 (see the scenario test).
    assert calculator.result.comparison.loc["Customer lifetime value", "After"] == "£1,846"
    assert calculator.result.roi == pytest.approx(72.31, abs=0.01)
    calculator.controls["average_order_value"].value = 20.0
    # 20 x 10 x 100 / 13 = 1538.46: now below the year before, so the change lost value.
    after = calculator.result.comparison.loc["Customer lifetime value"]
    assert after["After"] == "£1,538"
    assert after["better?"] == "no"
    assert calculator.result.roi < 0


@pytest.mark.parametrize(
    ("margin", "roi"),
    [
        (17, -2.36),  # 51,692.31 x 0.17 = 8,787.69; (8,787.69 - 9,000) / 9,000
        (18, 3.38),  # 51,692.31 x 0.18 = 9,304.62; (9,304.62 - 9,000) / 9,000
    ],
)
def test_roi_calculator_margin_slider(margin: int, roi: float) -> None:
    """Does the margin slider move the return across zero near the 17.4 % break-even?"""
    calculator = roi_calculator("local_eats_chatbot")
    calculator.controls["margin_percent"].value = margin
    assert calculator.result.roi == pytest.approx(roi, abs=0.01)


def test_transparency_checker_checks_what_was_typed_on_press() -> None:
    """Is the typed transcript checked only when Check is pressed, and a bad one explained?"""
    checker = transparency_checker("local_eats_after")
    assert (checker.result["status"] == "pass").all()
    checker.controls["transcript"].value = "bot: Hurry, last chance to order!"
    assert (checker.result["status"] == "pass").all()  # not pressed yet
    checker.button.click()
    statuses = checker.result.set_index("rule")["status"]
    assert statuses["no_pressure"] == "fail"
    checker.controls["transcript"].value = "hello there"
    checker.button.click()
    assert checker.result is None
    assert checker.error == (
        "transcript line 1: 'hello there' should start with 'bot:', "
        "'customer:' or 'staff:' followed by what was said."
    )


def test_charts_carry_title_and_a_description_of_the_data() -> None:
    """Does each chart have a title and a text description a screen reader can announce?"""
    scenario = roi_scenario("local_eats_chatbot")
    nps_spec = nps_chart([scenario.before, scenario.after]).to_dict()
    assert nps_spec["title"] == "Who would recommend us?"
    assert "NPS Before: -10, After: +25." in nps_spec["description"]
    results = check_transcript(sample_transcript("local_eats_after"))
    tiles_spec = transparency_chart(results).to_dict()
    assert tiles_spec["title"] == "Chatbot transparency check"
    assert tiles_spec["description"].startswith("Says it is automated: pass; Offers a person: pass")


# --- a pooled report that names no one -------------------------------------------------------


def _buyers(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["town", "age"])


AGES = {"town": {"A": "AB", "B": "AB"}, "age": {"20s": "young", "30s": "young", "70s": "old"}}


def test_pooled_report_counts_people_per_row() -> None:
    """Six buyers, town and age as recorded: rows of 3, 2 and 1, so 3 people could stand out."""
    buyers = _buyers(*[("A", "20s")] * 3, ("A", "30s"), ("A", "30s"), ("B", "70s"))
    report = pooled_report(buyers, {"town": "as recorded", "age": "as recorded"}, AGES, 3)
    assert report.rows.values.tolist() == [["A", "20s", 3], ["A", "30s", 2], ["B", "70s", 1]]
    assert (report.smallest, report.customers_at_risk, report.safe) == (1, 3, False)
    assert report.summary() == (
        "3 rows for 6 customers; the smallest row stands for 1 customer. 3 of the 6 customers "
        "sit in rows of fewer than 3, so the report could point to someone."
    )
    # Coarser age, town left out: young 5, old 1 -> still one person alone.
    coarse = pooled_report(buyers, {"town": "left out", "age": "coarser"}, AGES, 3)
    assert coarse.rows.values.tolist() == [["old", 1], ["young", 5]]
    # Coarser town only: AB 6 -> safe.
    town = pooled_report(buyers, {"town": "coarser", "age": "left out"}, AGES, 3)
    assert town.summary().endswith("Every row has at least 3: safe to share.")


@pytest.mark.parametrize(
    ("detail", "minimum", "message"),
    [
        ({"town": "left out", "age": "left out"}, 5, "every detail is left out"),
        ({"town": "blurred", "age": "left out"}, 5, "town is set to 'blurred'"),
        ({"town": "as recorded", "age": "left out"}, 1, "a row of one is a person"),
        ({"town": "as recorded", "region": "coarser"}, 5, "region"),
    ],
)
def test_pooled_report_refuses_bad_choices_by_name(detail, minimum, message) -> None:
    """No detail, an unknown level, a minimum of 1 or a missing column: each named."""
    with pytest.raises(ExerciseInputError, match=message):
        pooled_report(_buyers(("A", "20s")), detail, AGES, minimum)


def test_pooled_report_names_a_value_without_a_coarser_one() -> None:
    """A buyer in a town the coarser map does not know: is the value named?"""
    with pytest.raises(ExerciseInputError, match="town value\\(s\\) 'C' have no coarser"):
        pooled_report(_buyers(("C", "20s")), {"town": "coarser", "age": "left out"}, AGES)


def test_shipped_buyers_tell_the_lesson_story() -> None:
    """The lesson's figures from Hanna's 30 buyers, at the minimum of five."""
    sample = load_samples().pooled_report

    def report(district: str, age_band: str, also_bought: str) -> tuple[int, int]:
        detail = {"district": district, "age_band": age_band, "also_bought": also_bought}
        result = pooled_report(sample.table(), detail, sample.coarser())
        return result.smallest, result.customers_at_risk

    out, rec, coarse = "left out", "as recorded", "coarser"
    assert report(rec, out, out) == (6, 0)  # Northside 8, Old Town 9, Riverside 7, Millbrook 6
    assert report(rec, rec, out) == (1, 30)
    assert report(rec, out, rec) == (2, 30)  # no row above three
    assert report(out, rec, out) == (2, 5)  # 20-29: 3, 70-79: 2
    assert report(out, coarse, out) == (7, 0)  # under 40: 10, 40-59: 13, 60 and over: 7
    assert report(out, coarse, rec) == (2, 25)
    assert report(coarse, coarse, out) == (3, 10)  # Millbrook 3 and 3, town 60 and over 4


def test_sample_buyers_must_fit_the_columns(tmp_path: Path) -> None:
    """A buyer with a value that has no coarser version: is the file refused, naming it?"""
    text = SAMPLES_FILE.read_text(encoding="utf-8").replace(
        '{district: Millbrook, age_band: "70-79"', '{district: Elsewhere, age_band: "70-79"', 1
    )
    path = tmp_path / "customer_experience.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match="buyer 30: district 'Elsewhere' has no coarser"):
        load_samples(path)


def test_pooled_report_explorer_follows_its_controls() -> None:
    """From everything as recorded to coarser age alone: does the verdict turn to safe?"""
    explorer = pooled_report_check()
    assert (explorer.result.smallest, explorer.result.customers_at_risk) == (1, 30)
    explorer.controls["district"].value = "left out"
    explorer.controls["also_bought"].value = "left out"
    explorer.controls["age_band"].value = "coarser"
    assert explorer.result.safe
    explorer.controls["minimum"].value = 8  # the 60-and-over row holds 7
    assert (explorer.result.safe, explorer.result.customers_at_risk) == (False, 7)
    spec = str(pooled_report_chart(explorer.result).to_dict())
    assert "7 of the 30 customers sit in rows of fewer than 8" in spec
