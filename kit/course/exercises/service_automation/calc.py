"""Service-automation arithmetic: what to automate first, in what order, with which tool.

- an opportunity prioritiser: impact x feasibility, with alignment to a business goal as the
  gate, giving a ranking and a quadrant (quick wins, major projects, fill-ins);
- a phased-rollout planner that schedules a pilot and then a full rollout for each project
  within the staff days available per phase;
- a tool-selection scorecard over weighted criteria, and how the ranking shifts when ethical
  criteria are added;
- a human-in-the-loop rule for a chatbot: below which confidence a person takes the question,
  and whether high-stakes questions always go to a person, counted in staff time and in wrong
  answers that still reach customers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Real

import pandas as pd

from kit.course.exercises.score_tables import check_scores, require_columns, require_unique_labels
from kit.course.exercises.service_automation.data import SCORE_HIGH, SCORE_LOW
from kit.errors import ExerciseInputError

# --- opportunity prioritiser -------------------------------------------------------------------

PRIORITY_SCORES = ("impact", "feasibility", "alignment")
HIGH = 4  # a rating of 4 or 5 counts as high when placing an idea in a quadrant
DEFAULT_ALIGNMENT_FLOOR = 3
QUADRANTS: dict[tuple[bool, bool], str] = {  # (high impact, high feasibility) -> quadrant
    (True, True): "quick win",
    (True, False): "major project",
    (False, True): "fill-in",
    (False, False): "not now",
}


def prioritise(
    opportunities: pd.DataFrame, alignment_floor: int = DEFAULT_ALIGNMENT_FLOOR
) -> pd.DataFrame:
    """Rank automation ideas: aligned ones first, then by impact x feasibility.

    priority = impact x feasibility (each 1-5, so 1-25). An idea whose alignment with a
    business goal is below ``alignment_floor`` is parked at the bottom however high its
    priority: a cheap, impressive project that serves no goal is still a distraction. Ties go
    to the better-aligned idea, then alphabetically.
    """
    where = "opportunity prioritiser"
    check_scores(opportunities, "opportunity", PRIORITY_SCORES, SCORE_LOW, SCORE_HIGH, where)
    if isinstance(alignment_floor, bool) or alignment_floor not in range(SCORE_LOW, SCORE_HIGH + 1):
        raise ExerciseInputError(
            f"{where}: alignment_floor is {alignment_floor!r}; it must be "
            f"a whole number from {SCORE_LOW} to {SCORE_HIGH}."
        )
    table = opportunities[["opportunity", *PRIORITY_SCORES]].copy()
    table["priority"] = table["impact"] * table["feasibility"]
    table["quadrant"] = [
        QUADRANTS[impact >= HIGH, feasibility >= HIGH]
        for impact, feasibility in zip(table["impact"], table["feasibility"], strict=True)
    ]
    table["aligned"] = table["alignment"] >= alignment_floor
    table = table.sort_values(
        ["aligned", "priority", "alignment", "opportunity"],
        ascending=[False, False, False, True],
        kind="stable",
    )
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


# --- phased rollout planner --------------------------------------------------------------------

STAGES = ("pilot", "rollout")


def _check_days(projects: pd.DataFrame, capacity_days: float, where: str) -> None:
    if (
        isinstance(capacity_days, bool)
        or not isinstance(capacity_days, Real)
        or not capacity_days > 0
    ):
        raise ExerciseInputError(
            f"{where}: capacity_days is {capacity_days!r}; it must be a "
            "positive number of staff days per phase."
        )
    for stage in STAGES:
        for name, days in zip(projects["opportunity"], projects[f"{stage}_days"], strict=True):
            if isinstance(days, bool) or not isinstance(days, Real) or not days > 0:
                raise ExerciseInputError(
                    f"{where}: {name!r} has {stage}_days = {days!r}; it "
                    "must be a positive number of days."
                )
            if days > capacity_days:
                raise ExerciseInputError(
                    f"{where}: {name!r} needs {days:g} days for its {stage}, more than the "
                    f"{capacity_days:g} days a phase has; split it into smaller steps or raise "
                    "the capacity."
                )


def plan_rollout(projects: pd.DataFrame, capacity_days: float) -> pd.DataFrame:
    """Give each project a pilot phase and, straight after it, a rollout phase.

    Projects are taken in the order given (their priority). Each goes into the earliest phase
    whose spare days fit its pilot while the next phase still fits its rollout; a phase never
    holds more than ``capacity_days`` of work. The gap-free pilot-then-rollout pair is the
    point: the pilot's lessons feed the rollout while they are fresh.
    """
    where = "rollout planner"
    require_columns(projects, ["opportunity", "pilot_days", "rollout_days"], where)
    require_unique_labels(projects, "opportunity", where)
    _check_days(projects, capacity_days, where)
    used: dict[int, float] = {}
    rows = []
    # Column by column (as itertuples does inside): the stubs type a tuple's fields as any scalar.
    for opportunity, pilot_days, rollout_days in zip(
        projects["opportunity"], projects["pilot_days"], projects["rollout_days"], strict=True
    ):
        phase = 1
        while (
            used.get(phase, 0) + pilot_days > capacity_days
            or used.get(phase + 1, 0) + rollout_days > capacity_days
        ):
            phase += 1
        used[phase] = used.get(phase, 0) + pilot_days
        used[phase + 1] = used.get(phase + 1, 0) + rollout_days
        rows.append(
            {
                "opportunity": opportunity,
                "pilot_phase": phase,
                "rollout_phase": phase + 1,
                "pilot_days": pilot_days,
                "rollout_days": rollout_days,
            }
        )
    return pd.DataFrame(rows)


def phase_load(plan: pd.DataFrame, capacity_days: float) -> pd.DataFrame:
    """Days booked and days still free in each phase of a plan, phase 1 first."""
    require_columns(
        plan, ["pilot_phase", "rollout_phase", "pilot_days", "rollout_days"], "phase load"
    )
    booked = (
        pd.concat([plan.groupby(f"{stage}_phase")[f"{stage}_days"].sum() for stage in STAGES])
        .groupby(level=0)
        .sum()
    )
    phases = range(1, int(plan["rollout_phase"].max()) + 1)
    table = pd.DataFrame(
        {"phase": list(phases), "used_days": [float(booked.get(phase, 0)) for phase in phases]}
    )
    table["free_days"] = capacity_days - table["used_days"]
    return table


# --- tool-selection scorecard ------------------------------------------------------------------


def _normalised(weights: Mapping[str, float], where: str) -> dict[str, float]:
    for criterion, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, Real) or not weight >= 0:
            raise ExerciseInputError(
                f"{where}: the weight of {criterion} is {weight!r}; "
                "weights must be numbers, 0 or more."
            )
    total = sum(weights.values())
    if not total > 0:
        raise ExerciseInputError(
            f"{where}: every weight is 0; give at least one criterion a weight above 0."
        )
    return {criterion: weight / total for criterion, weight in weights.items() if weight > 0}


def score_tools(tools: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted score per tool (1-5 scale), best first, with each criterion's share of it.

    Weights are relative: they are divided by their sum, so (2, 1, 1) means the first criterion
    counts half. A criterion's column holds rating x normalised weight; the columns add up to
    ``score``. Criteria missing from ``weights`` or weighted 0 are left out.
    """
    where = "tool scorecard"
    shares = _normalised(weights, where)
    check_scores(tools, "tool", list(shares), SCORE_LOW, SCORE_HIGH, where)
    table = tools[["tool"]].copy()
    for criterion, share in shares.items():
        table[criterion] = tools[criterion] * share
    table["score"] = table[list(shares)].sum(axis=1).round(6)
    table = table.sort_values(["score", "tool"], ascending=[False, True], kind="stable")
    table.insert(0, "rank", table["score"].rank(method="min", ascending=False).astype(int))
    return table.reset_index(drop=True)


def ranking_shift(
    tools: pd.DataFrame, before: Mapping[str, float], after: Mapping[str, float]
) -> pd.DataFrame:
    """Each tool's rank and score under two weightings; ``moved`` > 0 means it climbed."""
    first = score_tools(tools, before).set_index("tool")[["rank", "score"]]
    second = score_tools(tools, after).set_index("tool")[["rank", "score"]]
    table = first.merge(second, left_index=True, right_index=True, suffixes=("_before", "_after"))
    table["moved"] = table["rank_before"] - table["rank_after"]
    return table.sort_values(["rank_after", "rank_before"]).reset_index()


# --- human in the loop: when the chatbot hands over ---------------------------------------------

QUESTION_COLUMNS = ("id", "question", "confidence", "correct", "high_stakes")


def _check_questions(questions: pd.DataFrame, where: str) -> None:
    require_columns(questions, list(QUESTION_COLUMNS), where)
    require_unique_labels(questions, "id", where)
    for row in questions.to_dict("records"):
        confidence = row["confidence"]
        if not isinstance(confidence, Real) or not 0 <= float(confidence) <= 100:
            raise ExerciseInputError(
                f"{where}: question {row['id']} has a confidence of {confidence!r}; "
                "it must be between 0 and 100."
            )
        for column in ("correct", "high_stakes"):
            if row[column] not in (True, False):
                raise ExerciseInputError(
                    f"{where}: question {row['id']} has {column} = {row[column]!r}; "
                    "it must be True or False."
                )


def route_questions(
    questions: pd.DataFrame, threshold: float, *, high_stakes_to_person: bool
) -> pd.DataFrame:
    """Each question with who answers it: the bot when its confidence reaches ``threshold``
    (and, with ``high_stakes_to_person``, the question is not high-stakes), else a person."""
    where = "chatbot handover"
    _check_questions(questions, where)
    if not 0 <= threshold <= 100:
        raise ExerciseInputError(
            f"{where}: the threshold is {threshold!r}; it must be between 0 and 100."
        )
    by_bot = questions["confidence"] >= threshold
    if high_stakes_to_person:
        by_bot &= ~questions["high_stakes"].astype(bool)
    return questions.assign(answered_by=by_bot.map({True: "bot", False: "person"}))


YES_NO = {True: "yes", False: "no"}


def question_table(questions: pd.DataFrame) -> pd.DataFrame:
    """The questions as a participant reads them: yes or no in place of True and False."""
    require_columns(questions, list(QUESTION_COLUMNS), "chatbot handover")
    return (
        questions[list(QUESTION_COLUMNS)]
        .assign(
            correct=questions["correct"].map(YES_NO),
            high_stakes=questions["high_stakes"].map(YES_NO),
        )
        .rename(
            columns={
                "confidence": "confidence (%)",
                "correct": "answer right",
                "high_stakes": "high stakes",
            }
        )
        .set_index("id")
    )


@dataclass(frozen=True)
class HandoverOutcome:
    """What one handover rule costs in staff time and lets through in wrong answers."""

    routed: pd.DataFrame
    threshold: float
    high_stakes_to_person: bool
    questions_per_week: int
    minutes_per_handover: float

    @property
    def handed_over(self) -> int:
        return int((self.routed["answered_by"] == "person").sum())

    @property
    def wrong_from_bot(self) -> pd.DataFrame:
        """The questions the bot answers wrongly under this rule: what reaches customers."""
        return self.routed[(self.routed["answered_by"] == "bot") & ~self.routed["correct"]]

    @property
    def wrong_high_stakes(self) -> int:
        return int(self.wrong_from_bot["high_stakes"].sum())

    @property
    def staff_hours_per_week(self) -> float:
        """The sample's share of handovers, scaled to a week's questions, in hours."""
        share = self.handed_over / len(self.routed)
        return share * self.questions_per_week * self.minutes_per_handover / 60

    def summary(self) -> str:
        """Two sentences a participant can read out."""
        total, wrong = len(self.routed), len(self.wrong_from_bot)
        staff = (
            f"A person takes {self.handed_over} of the {total} questions, about "
            f"{self.staff_hours_per_week:.1f} hours of staff time a week."
        )
        if wrong == 0:
            return f"{staff} The bot gives no wrong answers."
        serious = "none" if self.wrong_high_stakes == 0 else str(self.wrong_high_stakes)
        answers = "answer" if wrong == 1 else "answers"
        return (
            f"{staff} The bot still gives {wrong} wrong {answers}, {serious} of them about "
            "health, money or a complaint."
        )


def handover_outcome(
    questions: pd.DataFrame,
    threshold: float,
    *,
    high_stakes_to_person: bool,
    questions_per_week: int,
    minutes_per_handover: float,
) -> HandoverOutcome:
    """Route the sample with this rule and count what it costs and what it lets through."""
    if questions_per_week <= 0 or minutes_per_handover <= 0:
        raise ExerciseInputError(
            "chatbot handover: questions per week and minutes per handover must both be above 0."
        )
    routed = route_questions(questions, threshold, high_stakes_to_person=high_stakes_to_person)
    return HandoverOutcome(
        routed, threshold, high_stakes_to_person, questions_per_week, minutes_per_handover
    )


def handover_sweep(
    questions: pd.DataFrame, thresholds: Iterable[float], *, high_stakes_to_person: bool
) -> pd.DataFrame:
    """For each threshold: how many questions a person takes and how many wrong answers,
    and wrong high-stakes answers, the bot still gives."""
    rows = []
    for threshold in thresholds:
        routed = route_questions(questions, threshold, high_stakes_to_person=high_stakes_to_person)
        outcome = HandoverOutcome(routed, threshold, high_stakes_to_person, 1, 1)
        rows.append(
            {
                "threshold": threshold,
                "handed_over": outcome.handed_over,
                "wrong_from_bot": len(outcome.wrong_from_bot),
                "wrong_high_stakes": outcome.wrong_high_stakes,
            }
        )
    return pd.DataFrame(rows)
