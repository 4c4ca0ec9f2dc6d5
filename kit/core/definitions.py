"""The maturity model, the questionnaire and the recommendations, as validated data.

These are declarative objects in the Altair sense: they describe *what* the assessment is, are
checked against a schema on load, and round-trip through ``model_dump``. Scoring reads them; it
never hard-codes a level, a question or an advice text.
"""

from __future__ import annotations

import json
import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from kit.core.yamlio import ModelT, describe_location, load_model, read_yaml
from kit.errors import DefinitionError
from kit.paths import ASSESSMENTS_DIR, CONTENT_DIR

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
RESERVED_ANSWERS = (DONT_KNOW, NOT_APPLICABLE)
LEVEL_NUMBERS = (1, 2, 3, 4)

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Version = Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
SourceFile = Annotated[str, Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")]
Prose = Annotated[str, Field(min_length=3)]
LevelNumber = Annotated[int, Field(ge=1, le=4)]


class Strict(BaseModel):
    """Base for every definition object: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def require_unique_ids(items: Iterable[Any], what: str) -> None:
    """Refuse items sharing an ``id``; the message names every repeated id, not just the first.

    The one duplicate-id check of the kit: definitions, course content and exercise samples all
    call it (directly or through ``unique_ids``), so a repeated id reads the same everywhere.
    """
    repeated = sorted(
        item_id for item_id, count in Counter(item.id for item in items).items() if count > 1
    )
    if repeated:
        raise ValueError(f"duplicate {what} id(s): {', '.join(repeated)}")


def unique_ids(what: str) -> AfterValidator:
    """A list validator (for ``Annotated``) refusing two items with the same ``id``."""

    def check(items: list[Any]) -> list[Any]:
        require_unique_ids(items, what)
        return items

    return AfterValidator(check)


class Level(Strict):
    number: LevelNumber
    label: Prose
    ethical_focus: Prose
    strategic_integration: Prose
    characteristics: list[Prose] = Field(min_length=1)
    plain_summary: Prose


class Dimension(Strict):
    id: Identifier
    name: Prose
    description: Prose
    sources: list[SourceFile] = Field(min_length=1)


class ScoringRules(Strict):
    """The tunable parts of the scoring algorithm, versioned with the model (see README)."""

    thresholds: dict[int, Annotated[float, Field(gt=1, le=4)]] = Field(
        description="Lowest score that reaches each level; level 1 needs no threshold."
    )
    gate_margin: Annotated[int, Field(ge=0, le=3)] = Field(
        description="How many levels above its weakest part a dimension or the whole may sit."
    )
    min_answered_share: Annotated[float, Field(gt=0, le=1)] = Field(
        description="Share of a dimension's applicable questions that must be answered."
    )
    dont_know_level: LevelNumber = Field(description="The level a 'don't know' answer counts as.")

    @field_validator("thresholds")
    @classmethod
    def _increasing(cls, value: dict[int, float]) -> dict[int, float]:
        if sorted(value) != [2, 3, 4]:
            raise ValueError("needs a threshold for each of levels 2, 3 and 4")
        if not value[2] < value[3] < value[4]:
            raise ValueError("thresholds must rise from level 2 to level 4")
        return value


class MaturityModel(Strict):
    schema_version: Literal[1]
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Version
    title: Prose
    source: SourceFile
    levels: list[Level]
    dimensions: Annotated[list[Dimension], unique_ids("dimension")] = Field(min_length=1)
    scoring: ScoringRules

    @field_validator("levels")
    @classmethod
    def _four_levels(cls, value: list[Level]) -> list[Level]:
        if [level.number for level in value] != list(LEVEL_NUMBERS):
            raise ValueError("needs exactly four levels numbered 1, 2, 3, 4 in that order")
        return value

    def level(self, number: int) -> Level:
        return self.levels[number - 1]


class Option(Strict):
    id: Identifier
    level: LevelNumber
    text: Prose

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_ANSWERS:
            raise ValueError(f"{value!r} is reserved for the answer every question takes")
        return value


class Question(Strict):
    id: Identifier
    dimension: Identifier
    text: Prose
    why_it_matters: Prose
    source: SourceFile
    not_applicable_allowed: bool = False
    options: Annotated[list[Option], unique_ids("option")]

    @field_validator("options")
    @classmethod
    def _anchored_ladder(cls, value: list[Option]) -> list[Option]:
        levels = [o.level for o in value]
        if levels != list(LEVEL_NUMBERS):
            raise ValueError(
                f"needs one option per level 1, 2, 3, 4 in that order (found levels {levels})"
            )
        return value

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def option_at(self, level: int) -> Option:
        return self.options[level - 1]

    @property
    def allowed_answers(self) -> list[str]:
        extra = [DONT_KNOW, NOT_APPLICABLE] if self.not_applicable_allowed else [DONT_KNOW]
        return [o.id for o in self.options] + extra


class Questionnaire(Strict):
    schema_version: Literal[1]
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Version
    model_version: Version
    title: Prose
    intro: Prose
    questions: Annotated[list[Question], unique_ids("question")] = Field(min_length=1)


class Recommendation(Strict):
    id: Identifier
    dimension: Identifier
    target_level: Literal[2, 3, 4]
    title: Prose
    actions: list[Prose] = Field(min_length=1)
    effort: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high"]
    source: SourceFile


class RecommendationLibrary(Strict):
    schema_version: Literal[1]
    version: Version
    model_version: Version
    recommendations: Annotated[list[Recommendation], unique_ids("recommendation")]


class Role(Strict):
    """Who a respondent is to the business (owner, staff...): stored with each submission."""

    id: Identifier
    label: Prose
    description: Prose


class RoleList(Strict):
    schema_version: Literal[1]
    roles: Annotated[list[Role], unique_ids("role")] = Field(min_length=1)


class DefinitionFiles(BaseModel):
    """Where the definition files are; defaults to the bundled ones."""

    model: Path = ASSESSMENTS_DIR / "maturity_model.yaml"
    questionnaire: Path = ASSESSMENTS_DIR / "questionnaire.yaml"
    recommendations: Path = CONTENT_DIR / "recommendations.yaml"
    roles: Path = CONTENT_DIR / "roles.yaml"


@dataclass(frozen=True)
class Definitions:
    """The definition objects, checked against each other."""

    model: MaturityModel
    questionnaire: Questionnaire
    recommendations: RecommendationLibrary
    files: DefinitionFiles = field(default_factory=DefinitionFiles)
    role_list: RoleList | None = None  # None: the bundled roles

    def __post_init__(self) -> None:
        problems = cross_check(self)
        if problems:
            raise DefinitionError(problems)

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.questionnaire.questions}

    @cached_property
    def dimensions(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.model.dimensions}

    @cached_property
    def roles(self) -> dict[str, Role]:
        """The roles a respondent may choose, by id."""
        role_list = self.role_list or load_model(DefinitionFiles().roles, RoleList)
        return {r.id: r for r in role_list.roles}

    @cached_property
    def questions_by_dimension(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = {d.id: [] for d in self.model.dimensions}
        for question in self.questionnaire.questions:
            grouped[question.dimension].append(question)
        return grouped

    def recommendations_for(self, dimension_id: str, target_level: int) -> list[Recommendation]:
        return [
            r
            for r in self.recommendations.recommendations
            if r.dimension == dimension_id and r.target_level == target_level
        ]

    @property
    def versions(self) -> dict[str, str]:
        return {
            "model_version": self.model.version,
            "questionnaire_version": self.questionnaire.version,
        }


def located(path: Path, loc: list[str | int]) -> str:
    """``file:line: key`` for a place in a definition file, for checks that pydantic cannot
    place because they read two files together."""
    try:
        data, node = read_yaml(path)
    except DefinitionError:
        return str(path)
    key, line = describe_location(data, node, loc)
    return f"{path}:{line}: {key}" if line else f"{path}: {key}"


def cross_check(definitions: Definitions) -> list[str]:
    """Problems that only show when the files are read together (ids and versions)."""
    model, questionnaire, library = (
        definitions.model,
        definitions.questionnaire,
        definitions.recommendations,
    )
    files = definitions.files
    dimension_ids = {d.id for d in model.dimensions}
    problems = []
    for path, other in ((files.questionnaire, questionnaire), (files.recommendations, library)):
        if other.model_version != model.version:
            problems.append(
                f"{located(path, ['model_version'])}: {other.model_version!r} does "
                f"not match the maturity model's version {model.version!r} "
                f"({files.model})"
            )
    for index, question in enumerate(questionnaire.questions):
        if question.dimension not in dimension_ids:
            problems.append(
                f"{located(files.questionnaire, ['questions', index, 'dimension'])}"
                f": unknown dimension {question.dimension!r} (the maturity model "
                f"{files.model} has {', '.join(sorted(dimension_ids))})"
            )
    asked = {q.dimension for q in questionnaire.questions}
    for index, dimension in enumerate(model.dimensions):
        if dimension.id not in asked:
            problems.append(
                f"{located(files.model, ['dimensions', index])}: no question in "
                f"{files.questionnaire} asks about dimension {dimension.id!r}, so "
                "it could never be placed"
            )
    for index, rec in enumerate(library.recommendations):
        if rec.dimension not in dimension_ids:
            where = located(files.recommendations, ["recommendations", index, "dimension"])
            problems.append(f"{where}: unknown dimension {rec.dimension!r}")
    return problems


def _load_collecting(path: Path, kind: type[ModelT], problems: list[str]) -> ModelT | None:
    """One definition file, or None with its problems added, so every file gets reported."""
    try:
        return load_model(path, kind)
    except DefinitionError as exc:
        problems.extend(exc.problems)
        return None


def load_definitions(files: DefinitionFiles | None = None) -> Definitions:
    """Load and cross-check the definitions, collecting every problem before raising."""
    files = files or DefinitionFiles()
    problems: list[str] = []
    model = _load_collecting(files.model, MaturityModel, problems)
    questionnaire = _load_collecting(files.questionnaire, Questionnaire, problems)
    library = _load_collecting(files.recommendations, RecommendationLibrary, problems)
    role_list = _load_collecting(files.roles, RoleList, problems)
    if model is None or questionnaire is None or library is None or role_list is None:
        raise DefinitionError(problems)
    return Definitions(model, questionnaire, library, files, role_list)


@lru_cache(maxsize=1)
def bundled_definitions() -> Definitions:
    """The definitions shipped with the kit, loaded once per process."""
    return load_definitions()


def write_snapshot(definitions: Definitions, path: Path) -> Path:
    """Keep checked definitions in a file that ``load_snapshot`` reads back in a millisecond.

    Reading and checking the YAML files costs every process about 0.2 s of CPU; a server that
    starts a Python process per participant checks them once and hands this file to the rest.
    The file is a pickle, so it must live in a folder only this user can write (``eakit serve``
    uses its own private temporary folder) and never come from anywhere else.
    """
    path.write_bytes(pickle.dumps(definitions, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_snapshot(path: Path) -> Definitions:
    """The definitions ``write_snapshot`` kept (already checked when they were written)."""
    definitions = pickle.loads(path.read_bytes())  # our own file (see above)
    if not isinstance(definitions, Definitions):
        raise DefinitionError([f"{path}: not a definitions snapshot"])
    return definitions


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "maturity_model": MaturityModel,
    "questionnaire": Questionnaire,
    "recommendations": RecommendationLibrary,
    "roles": RoleList,
}


def export_json_schemas(directory: Path) -> list[Path]:
    """Write one JSON Schema per definition kind, for editors that validate YAML as you type."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_MODELS.items():
        path = directory / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
