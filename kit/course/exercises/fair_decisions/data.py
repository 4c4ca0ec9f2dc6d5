"""Fairness sample data: applicants to explain, outcome cases, and an example governance
record, read from ``content/exercises/fair_decisions.yaml`` and validated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field

from kit.core.definitions import Identifier, Prose, Strict, unique_ids
from kit.core.yamlio import load_model
from kit.errors import ExerciseInputError
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "fair_decisions.yaml"


class GroupOutcomes(Strict):
    """One group's decisions split by what happened next: who repaid and who did not."""

    group: str = Field(min_length=1)
    repaid_approved: int = Field(ge=0)
    repaid_refused: int = Field(ge=0)
    defaulted_approved: int = Field(ge=0)
    defaulted_refused: int = Field(ge=0)


class OutcomeCase(Strict):
    id: Identifier
    title: Prose
    groups: Annotated[list[GroupOutcomes], Field(min_length=2)]


class Measure(Strict):
    """A figure the owner watches and the level at which someone must act."""

    measure: Prose
    alert_when: Prose


class GovernanceRecord(Strict):
    """Who answers for an automated decision, how people contest it, and how it is watched."""

    system: Prose
    decision: Prose
    owner: Prose
    appeal_route: Prose
    appeal_days: int = Field(gt=0, le=90, description="working days to answer an appeal")
    review_every_months: int = Field(gt=0, le=12)
    human_review: Prose
    measures: list[Measure] = Field(min_length=1)


class Stakeholder(Strict):
    """Someone an automated decision touches: how much they can change it, how much it
    changes things for them (1 to 5 each)."""

    stakeholder: Prose
    influence: int = Field(ge=1, le=5)
    affected: int = Field(ge=1, le=5)


class FairDecisionSamples(Strict):
    schema_version: Literal[1]
    explained_applicants: list[str] = Field(min_length=1)
    outcome_cases: Annotated[list[OutcomeCase], unique_ids("outcome case")] = Field(min_length=1)
    governance_example: GovernanceRecord
    stakeholders: list[Stakeholder] = Field(min_length=1)


def example_stakeholders() -> pd.DataFrame:
    """The lender's stakeholders as a table a participant can edit."""
    return pd.DataFrame([s.model_dump() for s in load_samples().stakeholders])


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> FairDecisionSamples:
    """The fairness samples, validated (file:line messages through DefinitionError)."""
    return load_model(path, FairDecisionSamples)


def outcome_case(case_id: str) -> OutcomeCase:
    """One outcome case from the samples file, by id."""
    cases = load_samples().outcome_cases
    for case in cases:
        if case.id == case_id:
            return case
    known = ", ".join(case.id for case in cases)
    raise ExerciseInputError(
        f"{SAMPLES_FILE.name}: no outcome case with id {case_id!r}; known: {known}."
    )
