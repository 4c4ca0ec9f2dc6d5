"""Migration files between questionnaire versions: their schema and every check on them.

A versions folder holds each earlier questionnaire (``<version>.yaml``) and one migration per
step (``<from>-to-<to>.yaml``). Each migration is checked against the two questionnaires it
joins (unknown questions and options, questions left without a source or a destination), and
the chain as a whole (a cycle, a gap), so ``eakit validate`` names every problem at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from kit.core.definitions import Identifier, Question, Questionnaire, Strict, Version, located
from kit.core.yamlio import load_collecting
from kit.errors import DefinitionError

VERSIONS_FOLDER = "questionnaire_versions"
MIGRATION_NAME = re.compile(r"^(\d+\.\d+\.\d+)-to-(\d+\.\d+\.\d+)\.yaml$")
QUESTIONNAIRE_NAME = re.compile(r"^(\d+\.\d+\.\d+)\.yaml$")
BY_LEVEL = "by_level"
Kind = Literal["rename", "split", "merge", "remove", "add"]
# How many questions each kind takes from the older version and gives to the newer one.
SHAPES: dict[str, tuple[str, str]] = {
    "rename": ("one", "one"),
    "split": ("one", "several"),
    "merge": ("several", "one"),
    "remove": ("one", "none"),
    "add": ("none", "one"),
}
CHANGE_WORDS = {
    "rename": "{before} -> {after}",
    "split": "{before} split into {after}",
    "merge": "{before} merged into {after} (the lowest level answered)",
    "remove": "{before} dropped (no longer asked)",
    "add": "{after} is new (left unanswered)",
}
COUNTS = {"none": lambda n: n == 0, "one": lambda n: n == 1, "several": lambda n: n >= 2}


def _as_list(value: object) -> object:
    """``from: q1`` reads as ``from: [q1]``: most changes name one question."""
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[Identifier], BeforeValidator(_as_list)]


class Change(Strict):
    """One change between two versions. ``options`` maps an old option id to a new one (ids
    not listed keep their id), or is ``by_level`` (each answer goes to the option at the same
    level); merges always take the lowest level answered, as the weakest practice decides."""

    kind: Kind
    from_: IdList = Field(default_factory=list, alias="from")
    to: IdList = Field(default_factory=list)
    options: dict[Identifier, Identifier] | Literal["by_level"] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shape(self) -> Change:
        takes, gives = SHAPES[self.kind]
        if not COUNTS[takes](len(self.from_)) or not COUNTS[gives](len(self.to)):
            raise ValueError(
                f"a {self.kind} takes {takes} question(s) in 'from' and gives {gives} in 'to' "
                f"(found {len(self.from_)} and {len(self.to)})"
            )
        if self.options and self.kind not in ("rename", "split"):
            raise ValueError(f"a {self.kind} cannot map options (only rename and split can)")
        return self


class Migration(Strict):
    """How answers under ``from_version`` map to ``to_version``. Questions with the same id in
    both versions and named by no change are carried as they are."""

    schema_version: Literal[1]
    from_version: Version
    to_version: Version
    changes: list[Change] = Field(default_factory=list)


def _option_problems(old: Question, new: Question, options: object, what: str) -> list[str]:
    """Every old option must land on an option of the new question."""
    if options == BY_LEVEL:
        return []
    assert isinstance(options, dict)
    problems = [
        f"option {key!r} is not an option of {old.id!r} in the older version"
        for key in options
        if old.option(key) is None
    ]
    for option in old.options:
        target = options.get(option.id, option.id)
        if new.option(target) is None:
            problems.append(
                f"{what}: option {option.id!r} of {old.id!r} maps to {target!r}, "
                f"which {new.id!r} does not have (map it under 'options', or use 'by_level')"
            )
    return problems


def _named(
    ids: list[str],
    known: dict[str, Question],
    version: str,
    seen: dict[str, int],
    index: int,
    verb: str,
) -> list[str]:
    """Problems with the questions one change names on one side; ``seen`` records them."""
    problems = []
    for qid in ids:
        if qid not in known:
            problems.append(f"unknown question {qid!r} in version {version}")
        elif qid in seen:
            problems.append(f"{qid!r} is already {verb} by change {seen[qid] + 1}")
        seen.setdefault(qid, index)
    return problems


def check_step(
    path: Path, migration: Migration, older: Questionnaire, newer: Questionnaire
) -> list[str]:
    """Problems in one migration: unknown questions or options, questions left without a
    source or a destination, questions named twice."""
    old = {q.id: q for q in older.questions}
    new = {q.id: q for q in newer.questions}
    problems: list[str] = []
    sources: dict[str, int] = {}
    targets: dict[str, int] = {}
    for index, change in enumerate(migration.changes):
        found = _named(change.from_, old, older.version, sources, index, "changed")
        found += _named(change.to, new, newer.version, targets, index, "given")
        if change.kind in ("rename", "split") and all(q in old for q in change.from_):
            for target in (t for t in change.to if t in new):
                found += _option_problems(
                    old[change.from_[0]], new[target], change.options, change.kind
                )
        if found:  # placed in the file only when needed: finding the line reads it again
            where = located(path, ["changes", index])
            problems += [f"{where}: {problem}" for problem in found]
    for qid, question in old.items():
        if qid in sources:
            continue
        if qid not in new:
            problems.append(
                f"{path}: question {qid!r} of version {older.version} is not in version "
                f"{newer.version} and no change names it (rename, split, merge or remove it)"
            )
        elif qid in targets:
            problems.append(
                f"{path}: question {qid!r} is kept under its id and also given by change "
                f"{targets[qid] + 1}; name it in that change's 'from', or remove it"
            )
        else:
            problems += [
                f"{path}: {problem}"
                for problem in _option_problems(question, new[qid], {}, "kept as it is")
            ]
    for qid in new:
        if qid not in targets and (qid not in old or qid in sources):
            problems.append(
                f"{path}: question {qid!r} of version {newer.version} has no source "
                "(add it with kind 'add', or map a question into it)"
            )
    return problems


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _chain_problems(
    folder: Path, current: str, migrations: dict[str, tuple[Path, Migration]], versions: set[str]
) -> list[str]:
    """Each earlier version must lead, one step at a time, to the current one: no cycle, no
    gap, no version with two ways forward."""
    problems = []
    for version in sorted(versions - {current}, key=version_key):
        seen = [version]
        while seen[-1] != current:
            step = migrations.get(seen[-1])
            if step is None:
                problems.append(
                    f"{folder}: gap: no migration from version {seen[-1]} (needed to bring "
                    f"answers given under {version} to the current version {current})"
                )
                break
            following = step[1].to_version
            if following in seen:
                cycle = " -> ".join([*seen[seen.index(following) :], following])
                problems.append(f"{folder}: the migrations go round in a cycle: {cycle}")
                break
            seen.append(following)
    return problems


def _read_folder(
    folder: Path, problems: list[str]
) -> tuple[dict[str, Questionnaire], dict[str, tuple[Path, Migration]]]:
    questionnaires: dict[str, Questionnaire] = {}
    migrations: dict[str, tuple[Path, Migration]] = {}
    for path in sorted(folder.glob("*.yaml")):
        step_name, version_name = (
            MIGRATION_NAME.match(path.name),
            QUESTIONNAIRE_NAME.match(path.name),
        )
        if step_name:
            migration = load_collecting(path, Migration, problems)
            if migration is None:
                continue
            if (migration.from_version, migration.to_version) != step_name.groups():
                problems.append(
                    f"{path}: the file name says {step_name[1]} to {step_name[2]} but the file "
                    f"says {migration.from_version} to {migration.to_version}"
                )
            elif migration.from_version in migrations:
                other = migrations[migration.from_version][0]
                problems.append(
                    f"{path}: version {migration.from_version} already goes on in {other}"
                )
            else:
                migrations[migration.from_version] = (path, migration)
        elif version_name:
            questionnaire = load_collecting(path, Questionnaire, problems)
            if questionnaire is not None and questionnaire.version != version_name[1]:
                problems.append(
                    f"{located(path, ['version'])}: says {questionnaire.version!r} but the "
                    f"file name says {version_name[1]!r}"
                )
            elif questionnaire is not None:
                questionnaires[questionnaire.version] = questionnaire
        else:
            problems.append(
                f"{path}: not a questionnaire version ('<version>.yaml') or a migration "
                "('<from>-to-<to>.yaml')"
            )
    return questionnaires, migrations


def read_checked(
    folder: Path, current: Questionnaire
) -> tuple[dict[str, Questionnaire], dict[str, Migration]]:
    """Every questionnaire (the current one included) and migration of a versions folder,
    checked against each other; raises DefinitionError naming every problem."""
    problems: list[str] = []
    questionnaires, migrations = _read_folder(folder, problems) if folder.is_dir() else ({}, {})
    if current.version in questionnaires:
        problems.append(
            f"{folder}: holds {current.version}.yaml, the current version (keep only earlier ones)"
        )
    questionnaires[current.version] = current
    if current.version in migrations:
        problems.append(
            f"{migrations[current.version][0]}: starts from {current.version}, the current "
            "version; a migration leads from an earlier version to a later one"
        )
    for version, (path, migration) in migrations.items():
        missing = [v for v in (version, migration.to_version) if v not in questionnaires]
        if missing:
            problems.append(
                f"{path}: no questionnaire for version {', '.join(missing)} (add "
                f"{folder}/{missing[0]}.yaml)"
            )
            continue
        older, newer = questionnaires[version], questionnaires[migration.to_version]
        problems += check_step(path, migration, older, newer)
    if not problems:
        problems += _chain_problems(folder, current.version, migrations, set(questionnaires))
    if problems:
        raise DefinitionError(problems)
    return questionnaires, {version: migration for version, (_, migration) in migrations.items()}
