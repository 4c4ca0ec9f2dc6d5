"""Social-impact sample data: the bakery's tasks, the cleaning service's KPI plan, the home-care
agency's candidate automations, and the risks and verdict bands they are judged by."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, field_validator

from kit.core.definitions import Identifier, Prose, SourceFile, Strict
from kit.core.yamlio import load_model
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "social_impact.yaml"
RATING_LOW, RATING_HIGH = 1, 5
Rating = Annotated[int, Field(ge=RATING_LOW, le=RATING_HIGH)]
KpiKind = Literal["business", "social"]


class Task(Strict):
    task: Prose
    hours_per_week: Annotated[float, Field(ge=0, le=80)]
    automatable_share: Annotated[float, Field(ge=0, le=1)]
    hourly_cost: Annotated[float, Field(ge=0)]
    tool_cost_per_month: Annotated[float, Field(ge=0)]
    setup_cost: Annotated[
        float, Field(ge=0, description="one-off: buying, configuring and learning the tool")
    ] = 0


class Kpi(Strict):
    process: Prose
    automation: Prose
    kind: KpiKind
    kpi: Prose
    baseline: float
    target: float
    current: float


class Candidate(Strict):
    candidate: Prose
    efficiency: Rating
    social_benefit: Rating
    bias_risk: Rating
    privacy_risk: Rating
    human_contact_risk: Rating
    job_risk: Rating


class RiskInfo(Strict):
    id: Identifier
    label: Prose
    safeguard: Prose


class VerdictBand(Strict):
    up_to_risk: Rating
    verdict: Prose


class SocialImpactSamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    weeks_per_year: Annotated[int, Field(ge=1, le=52)]
    tasks: list[Task] = Field(min_length=1)
    kpis: list[Kpi] = Field(min_length=2)
    candidates: list[Candidate] = Field(min_length=2)
    risks: list[RiskInfo] = Field(min_length=1)
    verdicts: list[VerdictBand] = Field(min_length=1)

    @field_validator("verdicts")
    @classmethod
    def _bands_cover_every_risk(cls, bands: list[VerdictBand]) -> list[VerdictBand]:
        limits = [band.up_to_risk for band in bands]
        if limits != sorted(set(limits)) or limits[-1] != RATING_HIGH:
            raise ValueError(
                f"bands must rise strictly and the last must be up_to_risk: "
                f"{RATING_HIGH}; found {limits}"
            )
        return bands

    @field_validator("risks")
    @classmethod
    def _risks_are_candidate_columns(cls, risks: list[RiskInfo]) -> list[RiskInfo]:
        columns = {name for name in Candidate.model_fields if name.endswith("_risk")}
        ids = [risk.id for risk in risks]
        if sorted(ids) != sorted(columns):
            raise ValueError(
                f"risks must describe each of {', '.join(sorted(columns))} once; "
                f"found {', '.join(ids)}"
            )
        return risks


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> SocialImpactSamples:
    """The lessons' sample tasks, KPIs, candidates, risks and verdict bands, validated."""
    return load_model(path, SocialImpactSamples)


def _table(rows: Sequence[Strict]) -> pd.DataFrame:
    return pd.DataFrame([row.model_dump() for row in rows])


def example_tasks() -> pd.DataFrame:
    """The bakery's repetitive tasks, as the editable table the calculator reads."""
    return _table(load_samples().tasks)


def example_kpis() -> pd.DataFrame:
    """The cleaning service's KPI plan: business and social KPIs for each automated process."""
    return _table(load_samples().kpis)


def example_candidates() -> pd.DataFrame:
    """The home-care agency's candidate automations, rated 1-5."""
    return _table(load_samples().candidates)
