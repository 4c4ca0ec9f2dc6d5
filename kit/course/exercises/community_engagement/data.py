"""Community-engagement sample data: the café's touchpoints, the tools and their risks and
mitigations, the community-health metrics, and the accounting firm's automated decisions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import Field, model_validator

from kit.core.definitions import Identifier, Prose, SourceFile, Strict, unique_ids
from kit.core.yamlio import load_model
from kit.paths import CONTENT_DIR

SAMPLES_FILE = CONTENT_DIR / "exercises" / "community_engagement.yaml"

SCORE_LOW, SCORE_HIGH = 0, 5
Score = Annotated[int, Field(ge=SCORE_LOW, le=SCORE_HIGH)]
MetricKindId = Literal["quantitative", "qualitative"]


class Touchpoint(Strict):
    touchpoint: Prose
    speed_gain: Score
    cost_saving: Score
    contact_loss: Score


class Tool(Strict):
    id: Identifier
    name: Prose
    benefit: Prose


class Mitigation(Strict):
    id: Identifier
    text: Prose


class Risk(Strict):
    id: Identifier
    tool: Identifier
    text: Prose
    mitigation: Identifier


class MetricKind(Strict):
    id: MetricKindId
    label: Prose
    advice_if_missing: Prose


class CommunityMetric(Strict):
    id: Identifier
    name: Prose
    kind: MetricKindId


class Safeguard(Strict):
    id: Identifier
    label: Prose
    question: Prose


class AutomatedDecision(Strict):
    system: Prose
    in_place: list[Identifier] = Field(default_factory=list)


class CommunitySamples(Strict):
    schema_version: Literal[1]
    source: SourceFile
    touchpoints: list[Touchpoint] = Field(min_length=1)
    tools: Annotated[list[Tool], unique_ids("tool")] = Field(min_length=1)
    mitigations: Annotated[list[Mitigation], unique_ids("mitigation")] = Field(min_length=2)
    risks: Annotated[list[Risk], unique_ids("risk")] = Field(min_length=1)
    metric_kinds: list[MetricKind] = Field(min_length=2, max_length=2)
    metrics: Annotated[list[CommunityMetric], unique_ids("metric")] = Field(min_length=2)
    safeguards: Annotated[list[Safeguard], unique_ids("safeguard")] = Field(min_length=1)
    automated_decisions: list[AutomatedDecision] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> CommunitySamples:
        tools = {tool.id for tool in self.tools}
        mitigations = {item.id for item in self.mitigations}
        safeguards = {item.id for item in self.safeguards}
        problems = [
            f"risk {risk.id}: unknown tool {risk.tool!r}"
            for risk in self.risks
            if risk.tool not in tools
        ]
        problems += [
            f"risk {risk.id}: unknown mitigation {risk.mitigation!r}"
            for risk in self.risks
            if risk.mitigation not in mitigations
        ]
        problems += [
            f"automated decision {decision.system!r}: unknown safeguard {item!r}"
            for decision in self.automated_decisions
            for item in decision.in_place
            if item not in safeguards
        ]
        if {kind.id for kind in self.metric_kinds} != {"quantitative", "qualitative"}:
            problems.append("metric_kinds must describe 'quantitative' and 'qualitative' once each")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache(maxsize=4)
def load_samples(path: Path = SAMPLES_FILE) -> CommunitySamples:
    """The lessons' sample touchpoints, risks, metrics and decisions, validated."""
    return load_model(path, CommunitySamples)


def sample_touchpoints() -> pd.DataFrame:
    """The café's touchpoints as the editable table the matrix reads."""
    return pd.DataFrame([item.model_dump() for item in load_samples().touchpoints])


def sample_decisions() -> pd.DataFrame:
    """The accounting firm's automated decisions: one True/False column per safeguard."""
    samples = load_samples()
    return pd.DataFrame(
        [
            {
                "system": decision.system,
                **{
                    safeguard.id: safeguard.id in decision.in_place
                    for safeguard in samples.safeguards
                },
            }
            for decision in samples.automated_decisions
        ]
    )
