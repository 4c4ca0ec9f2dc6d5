"""Validate definition files by kind, so ``eakit validate`` covers assessments and content alike.

Each kind of file registers a name pattern and a check; a directory is validated by running
every check whose pattern matches, then the cross-file checks of the assessment trio.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from kit.definitions import (
    DefinitionFiles,
    MaturityModel,
    Questionnaire,
    RecommendationLibrary,
    load_definitions,
)
from kit.errors import DefinitionError
from kit.yamlio import load_model

Check = Callable[[Path], None]
FILE_CHECKS: dict[str, Check] = {}


def register_file_check(pattern: str, check: Check) -> None:
    """Validate files whose path (relative, with '/') matches ``pattern`` with ``check``."""
    FILE_CHECKS[pattern] = check


def register_model(pattern: str, model: type[BaseModel]) -> None:
    """Validate matching files against a pydantic model."""

    def check(path: Path) -> None:
        load_model(path, model)

    register_file_check(pattern, check)


register_model("*maturity_model*.yaml", MaturityModel)
register_model("*questionnaire*.yaml", Questionnaire)
register_model("*recommendations*.yaml", RecommendationLibrary)


def _check_for(path: Path) -> Check | None:
    name = path.as_posix()
    return next((check for pattern, check in FILE_CHECKS.items()
                 if fnmatch.fnmatch(name, pattern)), None)


def validate_path(path: Path) -> tuple[list[Path], list[str]]:
    """Check one file or every known file below a directory; returns (files checked, problems)."""
    if not path.exists():
        return [], [f"{path}: no such file or directory"]
    files = sorted(p for p in path.rglob("*.y*ml")) if path.is_dir() else [path]
    checked, problems = [], []
    for file in files:
        check = _check_for(file)
        if check is None:
            if not path.is_dir():
                problems.append(f"{file}: not a known definition file "
                                f"(known names: {', '.join(FILE_CHECKS)})")
            continue
        checked.append(file)
        try:
            check(file)
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if path.is_dir() and not problems:
        problems.extend(_cross_check(path))
    return checked, problems


def _cross_check(directory: Path) -> list[str]:
    """Cross-file checks for the maturity model, questionnaire and recommendations trio."""
    found = {kind: next(iter(sorted(directory.rglob(f"*{kind}*.yaml"))), None)
             for kind in ("maturity_model", "questionnaire", "recommendations")}
    if not all(found.values()):
        return []
    try:
        load_definitions(DefinitionFiles(model=found["maturity_model"],
                                         questionnaire=found["questionnaire"],
                                         recommendations=found["recommendations"]))
    except DefinitionError as exc:
        return exc.problems
    return []
