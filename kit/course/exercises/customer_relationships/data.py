"""Customer-relationship sample data: invented loan applications and their points rule, the
data inventories of the minimisation review, the nine-point checklist, and a customer journey
with the seven humanistic principles it is reviewed against, validated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, model_validator

from kit.core.definitions import Identifier, Prose, SourceFile, Strict, unique_ids
from kit.core.yamlio import load_model
from kit.course.exercises.samples import pick
from kit.errors import InputFileError
from kit.paths import CONTENT_DIR

CHECKLIST_FILE = CONTENT_DIR / "checklists" / "ethical_automation.yaml"
SAMPLES_FILE = CONTENT_DIR / "exercises" / "customer_relationships.yaml"
LOANS_FILE = CONTENT_DIR / "exercises" / "customer_relationships_loans.csv"


class LoanScoring(Strict):
    """A points rule simple enough to explain to an applicant, read from the samples file."""

    points_per_thousand_income: float
    points_per_missed_payment: float
    postcode_points: dict[str, float] = Field(min_length=1)
    threshold: float


def load_applications(path: Path = LOANS_FILE) -> pd.DataFrame:
    """The invented loan applications the audit lessons use."""
    try:
        return pd.read_csv(path, dtype={"group": str})
    except (OSError, pd.errors.ParserError) as exc:
        raise InputFileError(f"{path}: cannot read the applications ({exc})") from None


class Purpose(Strict):
    id: Identifier
    label: Prose
    needs: list[Identifier] = Field(min_length=1)


class CollectedField(Strict):
    field: Identifier
    description: Prose
    purpose: Identifier | None


class DataInventory(Strict):
    """What one business collects and why, as the review exercise starts from it."""

    id: Identifier
    title: Prose
    purposes: list[Purpose] = Field(min_length=1)
    fields: list[CollectedField] = Field(min_length=1)

    @model_validator(mode="after")
    def _purposes_exist(self) -> DataInventory:
        known = {purpose.id for purpose in self.purposes}
        unknown = sorted({f.purpose for f in self.fields if f.purpose and f.purpose not in known})
        if unknown:
            raise ValueError(f"fields name undefined purpose(s): {', '.join(unknown)}")
        return self

    def needs(self) -> dict[str, set[str]]:
        return {purpose.id: set(purpose.needs) for purpose in self.purposes}

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([f.model_dump() for f in self.fields])


class ChecklistItem(Strict):
    id: Identifier
    area: Prose
    question: Prose
    action: Prose = Field(description="A first step that closes the gap.")


class Checklist(Strict):
    schema_version: Literal[1]
    source: SourceFile
    title: Prose
    items: Annotated[list[ChecklistItem], unique_ids("checklist item")] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_checklist(path: Path = CHECKLIST_FILE) -> Checklist:
    """The checklist, validated (file:line messages through DefinitionError)."""
    return load_model(path, Checklist)


class Principle(Strict):
    """One principle of the humanistic automation framework, as a question about a step."""

    id: Identifier
    label: Prose
    question: Prose


class JourneyStep(Strict):
    id: Identifier
    stage: Prose
    what_happens: Prose


class Journey(Strict):
    """A customer's path through a business's automated contacts, step by step."""

    id: Identifier
    title: Prose
    steps: Annotated[list[JourneyStep], unique_ids("journey step")] = Field(min_length=1)


class CustomerRelationshipSamples(Strict):
    schema_version: Literal[1]
    loan_scoring: LoanScoring
    data_inventories: list[DataInventory] = Field(min_length=1)
    humanistic_principles: Annotated[list[Principle], unique_ids("principle")] = Field(min_length=1)
    journeys: Annotated[list[Journey], unique_ids("journey")] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CustomerRelationshipSamples:
    """The scoring rule and data inventories the lessons use, validated."""
    return load_model(path, CustomerRelationshipSamples)


def data_inventory(inventory_id: str) -> DataInventory:
    """One business's list of collected fields and purposes from the samples file, by id."""
    return pick(load_samples().data_inventories, inventory_id, "data inventory", SAMPLES_FILE)


def journey(journey_id: str) -> Journey:
    """One customer journey from the samples file, by id."""
    return pick(load_samples().journeys, journey_id, "journey", SAMPLES_FILE)
