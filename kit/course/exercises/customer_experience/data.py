"""Customer-experience sample data: the years an ROI scenario compares, chatbot transcripts,
the buyers behind a pooled report, and the transparency rules of
``content/checklists/chatbot_transparency.yaml``, validated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, model_validator

from kit.core.definitions import Identifier, Prose, SourceFile, Strict, unique_ids
from kit.core.yamlio import load_model
from kit.course.exercises.samples import pick
from kit.paths import CONTENT_DIR

RULES_FILE = CONTENT_DIR / "checklists" / "chatbot_transparency.yaml"
SAMPLES_FILE = CONTENT_DIR / "exercises" / "customer_experience.yaml"
DEFAULT_MARGIN_PERCENT = 30.0  # gross margin assumed when a scenario names none


class CustomerYear(Strict):
    """One year of a business's customer figures: the unit the ROI calculator compares."""

    label: Prose
    ratings: list[int] = Field(
        min_length=1, description="0-10 answers to 'would you recommend us?'"
    )
    customers_at_start: int = Field(gt=0)
    customers_at_end: int = Field(ge=0)
    new_customers: int = Field(ge=0)
    average_order_value: float = Field(ge=0)
    orders_per_year: float = Field(ge=0)


# --- chatbot transcripts and the transparency rules --------------------------------------------

Speaker = Literal["bot", "customer", "staff"]
SPEAKERS: tuple[str, ...] = ("bot", "customer", "staff")
Status = Literal["pass", "fail", "not applicable"]


class Turn(Strict):
    speaker: Speaker
    text: str = Field(min_length=1)


class Transcript(Strict):
    id: Identifier
    title: Prose
    turns: list[Turn] = Field(min_length=1)

    def as_text(self) -> str:
        """The ``speaker: words`` form participants edit in the checker."""
        return "\n".join(f"{turn.speaker}: {turn.text}" for turn in self.turns)


# The checks a rule may name; ``calc.CHECKS`` holds one function for each.
CHECK_NAMES = (
    "first_bot_turn_says",
    "some_bot_turn_says",
    "no_bot_turn_says",
    "handover_when_asked",
)


class TransparencyRule(Strict):
    id: Identifier
    title: Prose
    why: Prose
    check: Identifier
    phrases: list[Prose] = Field(
        min_length=1,
        description="Words that show the rule is met (or, for no_bot_turn_says, broken).",
    )
    triggers: list[Prose] = Field(
        default_factory=list,
        description="handover_when_asked only: customer words that ask for a person.",
    )

    @model_validator(mode="after")
    def _known_check(self) -> TransparencyRule:
        if self.check not in CHECK_NAMES:
            raise ValueError(f"check {self.check!r} is not one of {', '.join(CHECK_NAMES)}")
        if (self.check == "handover_when_asked") != bool(self.triggers):
            raise ValueError("'triggers' is needed by handover_when_asked and only by it")
        return self


class TransparencyRules(Strict):
    schema_version: Literal[1]
    source: SourceFile
    rules: Annotated[list[TransparencyRule], unique_ids("rule")] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_transparency_rules(path: Path = RULES_FILE) -> TransparencyRules:
    """The chatbot rules, validated (file:line messages through DefinitionError)."""
    return load_model(path, TransparencyRules)


# --- sample scenarios and transcripts ---------------------------------------------------------


class RoiScenario(Strict):
    id: Identifier
    title: Prose
    currency: str = Field(min_length=1, max_length=3)
    investment: float = Field(gt=0)
    gross_margin_percent: float = Field(
        default=DEFAULT_MARGIN_PERCENT,
        gt=0,
        le=100,
        description="share of each sale left after the cost of what was sold",
    )
    before: CustomerYear
    after: CustomerYear


class ReportColumn(Strict):
    """A detail a pooled report can show, and the coarser value each recorded value maps to."""

    id: Identifier
    label: Prose
    coarser: dict[str, Prose] = Field(min_length=1)


class PooledReportSample(Strict):
    """The customers behind a report that names no one, and the details it may show."""

    title: Prose
    columns: Annotated[list[ReportColumn], unique_ids("report column")] = Field(min_length=1)
    buyers: list[dict[Identifier, str]] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_value_has_a_coarser_one(self) -> PooledReportSample:
        wanted = sorted(column.id for column in self.columns)
        problems = []
        for number, buyer in enumerate(self.buyers, start=1):
            if sorted(buyer) != wanted:
                problems.append(f"buyer {number}: needs exactly {', '.join(wanted)}")
                continue
            problems += [
                f"buyer {number}: {column.id} {buyer[column.id]!r} has no coarser value"
                for column in self.columns
                if buyer[column.id] not in column.coarser
            ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.buyers, columns=[column.id for column in self.columns])

    def coarser(self) -> dict[str, dict[str, str]]:
        return {column.id: column.coarser for column in self.columns}


class CustomerExperienceSamples(Strict):
    schema_version: Literal[1]
    roi_scenarios: list[RoiScenario] = Field(min_length=1)
    transcripts: list[Transcript] = Field(min_length=1)
    pooled_report: PooledReportSample


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CustomerExperienceSamples:
    """The lessons' sample scenarios and transcripts, validated."""
    return load_model(path, CustomerExperienceSamples)


def roi_scenario(scenario_id: str) -> RoiScenario:
    """One before-and-after scenario from the samples file, by id."""
    return pick(load_samples().roi_scenarios, scenario_id, "ROI scenario", SAMPLES_FILE)


def sample_transcript(transcript_id: str) -> Transcript:
    """One sample conversation from the samples file, by id."""
    return pick(load_samples().transcripts, transcript_id, "transcript", SAMPLES_FILE)
