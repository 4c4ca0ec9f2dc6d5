"""Validate definition and content files by kind, so ``eakit validate`` covers them all.

Each kind of file is a name pattern mapped to the pydantic model that checks it (imported only
when a matching file is met, so checking one questionnaire stays quick). A directory is checked
file by file, then with the cross-file checks of the assessment trio and of the course content.
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from kit.core.definitions import DefinitionFiles, Definitions, load_definitions
from kit.core.versions import VERSIONS_FOLDER, read_history, versions_folder
from kit.core.yamlio import load_model
from kit.errors import DefinitionError

EXERCISES = "kit.course.exercises."
FILE_MODELS: dict[str, str] = {
    "*translations/*/*.yaml": "kit.core.translations:TranslationFile",  # before the kinds
    "*questionnaire_versions/*-to-*.yaml": "kit.core.migration_files:Migration",
    "*questionnaire_versions/*.yaml": "kit.core.definitions:Questionnaire",
    "*maturity_model*.yaml": "kit.core.definitions:MaturityModel",
    "*questionnaire*.yaml": "kit.core.definitions:Questionnaire",
    "*recommendations*.yaml": "kit.core.definitions:RecommendationLibrary",
    "*quizzes/*.yaml": "kit.course.content:Quiz",
    "*glossary/*.yaml": "kit.course.content:GlossaryFile",
    "*case_studies/*.yaml": "kit.course.content:CaseStudyFile",
    "*course.yaml": "kit.course.content:Course",
    "*privacy.yaml": "kit.core.privacy:PrivacyNotice",
    "*messages.yaml": "kit.core.messages:Messages",
    "*roles.yaml": "kit.core.definitions:RoleList",
    "*checklists/chatbot_transparency.yaml": EXERCISES
    + "customer_experience.data:TransparencyRules",
    "*checklists/ethical_automation.yaml": EXERCISES + "customer_relationships.data:Checklist",
    "*exercises/social_impact.yaml": EXERCISES + "social_impact.data:SocialImpactSamples",
    "*exercises/community_engagement.yaml": EXERCISES
    + "community_engagement.data:CommunitySamples",
    "*exercises/service_automation.yaml": EXERCISES + "service_automation.data:ServiceSamples",
    "*exercises/customer_experience.yaml": EXERCISES
    + "customer_experience.data:CustomerExperienceSamples",
    "*exercises/customer_relationships.yaml": EXERCISES
    + "customer_relationships.data:CustomerRelationshipSamples",
    "*further_reading.yaml": "kit.course.reading:ReadingList",
    "*exercises/fair_decisions.yaml": EXERCISES + "fair_decisions.data:FairDecisionSamples",
}


def _model_for(path: Path) -> type[BaseModel] | None:
    name = path.as_posix()
    target = next((t for pattern, t in FILE_MODELS.items() if fnmatch.fnmatch(name, pattern)), None)
    if target is None:
        return None
    module, attribute = target.split(":")
    return getattr(importlib.import_module(module), attribute)


def validate_path(path: Path) -> tuple[list[Path], list[str]]:
    """Check one file or every YAML file below a directory; returns (files checked, problems)."""
    if not path.exists():
        return [], [f"{path}: no such file or directory"]
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    checked, problems = [], []
    for file in files:
        model = _model_for(file)
        if model is None:
            problems.append(
                f"{file}: not a known definition file (known names: {', '.join(FILE_MODELS)})"
            )
            continue
        checked.append(file)
        try:
            load_model(file, model)
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if path.is_dir() and not problems:
        problems.extend(_cross_check(path))
    elif not problems and _trio_kind(path):
        problems.extend(_check_with_siblings(path))
    elif not problems and path.parent.name == VERSIONS_FOLDER:
        problems.extend(_check_with_siblings(path.parent.parent / "questionnaire.yaml"))
    return checked, problems


TRIO = ("maturity_model", "questionnaire", "recommendations")


def _definition(paths: Iterable[Path]) -> Path | None:
    """The first of these files that is a definition, not its translation."""
    return next((p for p in sorted(paths) if "translations" not in p.parts), None)


def _trio_kind(path: Path) -> str | None:
    if "translations" in path.parts:
        return None
    return next((kind for kind in TRIO if fnmatch.fnmatch(path.name, f"*{kind}*.yaml")), None)


def _trio(found: dict[str, Path | None]) -> DefinitionFiles:
    """The assessment trio from the files found, the bundled ones standing in for the rest."""
    bundled = DefinitionFiles()
    return DefinitionFiles(
        model=found["maturity_model"] or bundled.model,
        questionnaire=found["questionnaire"] or bundled.questionnaire,
        recommendations=found["recommendations"] or bundled.recommendations,
    )


def _check_with_siblings(path: Path) -> list[str]:
    """One file of the assessment trio, checked against the other two: those in its folder,
    else the bundled ones (a questionnaire alone could name an area the model lacks)."""
    found = {kind: _definition(path.parent.glob(f"*{kind}*.yaml")) for kind in TRIO}
    kind = _trio_kind(path)
    if kind is not None:
        found[kind] = path
    try:
        _check_versions(load_definitions(_trio(found)))
    except DefinitionError as exc:
        return exc.problems
    return []


def _check_versions(definitions: Definitions) -> None:
    """The questionnaire's earlier versions and the migrations joining them to it."""
    read_history(versions_folder(definitions), definitions.questionnaire)


def _cross_check(directory: Path) -> list[str]:
    """Checks across files: the assessment trio's ids and versions, the course's references."""
    found = {kind: _definition(directory.rglob(f"*{kind}*.yaml")) for kind in TRIO}
    problems: list[str] = []
    try:
        if any(found.values()):
            _check_versions(load_definitions(_trio(found)))
        if (directory / "course.yaml").is_file():
            from kit.course.content import check_content

            check_content(directory)
    except DefinitionError as exc:
        problems += exc.problems
    return problems
