"""Service-automation sample data: the salon's ideas, the law firm's projects, the web shop's
tools and the criteria they are rated on, and the clinic's chatbot questions, validated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, model_validator

from kit.core.definitions import Identifier, Prose, SourceFile, Strict, unique_ids
from kit.core.yamlio import load_model
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "service_automation.yaml"

SCORE_LOW, SCORE_HIGH = 1, 5
Score = Annotated[int, Field(ge=SCORE_LOW, le=SCORE_HIGH)]
Days = Annotated[float, Field(gt=0)]


class Opportunity(Strict):
    opportunity: Prose
    impact: Score
    feasibility: Score
    alignment: Score


class RolloutProject(Strict):
    opportunity: Prose
    pilot_days: Days
    rollout_days: Days


class RolloutSample(Strict):
    capacity_days: Days
    projects: list[RolloutProject] = Field(min_length=1)


class Criterion(Strict):
    id: Identifier
    label: Prose
    question: Prose
    group: Literal["practical", "ethical"]


class ToolRating(Strict):
    tool: Prose
    scores: dict[Identifier, Score]


Percent = Annotated[int, Field(ge=0, le=100)]


class BotQuestion(Strict):
    """One question the chatbot answered, with how sure it was and whether it was right."""

    id: Identifier
    question: Prose
    confidence: Percent
    correct: bool
    high_stakes: bool = Field(description="About health, money or a complaint.")


class HandoverSample(Strict):
    """A week's sample of chatbot questions, and what a handover to a person costs."""

    business: Prose
    questions_per_week: Annotated[int, Field(gt=0)]
    minutes_per_handover: Annotated[float, Field(gt=0)]
    questions: Annotated[list[BotQuestion], unique_ids("question")] = Field(min_length=1)


class ServiceSamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    opportunities: list[Opportunity] = Field(min_length=1)
    rollout: RolloutSample
    criteria: Annotated[list[Criterion], unique_ids("criterion")] = Field(min_length=1)
    tools: list[ToolRating] = Field(min_length=2)
    handover: HandoverSample

    @model_validator(mode="after")
    def _every_tool_rated_on_every_criterion(self) -> ServiceSamples:
        criteria = [criterion.id for criterion in self.criteria]
        problems = [
            f"tool {tool.tool!r}: scores must cover exactly {', '.join(criteria)}"
            for tool in self.tools
            if sorted(tool.scores) != sorted(criteria)
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> ServiceSamples:
    """The lessons' sample opportunities, rollout projects and tool ratings, validated."""
    return load_model(path, ServiceSamples)


def sample_opportunities() -> pd.DataFrame:
    """The salon's automation ideas as the editable table the prioritiser reads."""
    return pd.DataFrame([item.model_dump() for item in load_samples().opportunities])


def sample_projects() -> pd.DataFrame:
    """The law firm's projects in priority order, with the days each stage needs."""
    return pd.DataFrame([item.model_dump() for item in load_samples().rollout.projects])


def sample_tools() -> pd.DataFrame:
    """The web shop's three options: a ``tool`` column and one 1-5 column per criterion."""
    return pd.DataFrame([{"tool": item.tool, **item.scores} for item in load_samples().tools])


def criteria_weights(*groups: str, weight: float = 1.0) -> dict[str, float]:
    """Equal weights for every criterion in the named groups, 0 for the others."""
    return {
        criterion.id: weight if criterion.group in groups else 0.0
        for criterion in load_samples().criteria
    }


def sample_questions() -> pd.DataFrame:
    """The clinic chatbot's sample week: id, question, confidence, correct, high_stakes."""
    return pd.DataFrame([item.model_dump() for item in load_samples().handover.questions])
