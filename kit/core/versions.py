"""Questionnaire versions: how answers given under an earlier version map to the current one.

A questionnaire may rename, split, merge, remove or add questions and remap options between
versions. Each step from version N to N+1 is a migration file (data, validated); earlier
questionnaires sit next to them, so every migration can be checked against both versions it
joins. Stored answers are never rewritten: a report or a resumed draft carries them forward
through the chain of migrations each time it reads them, and learns on the way which areas
changed too much to be compared.

The folder is ``questionnaire_versions/`` beside the questionnaire file: ``<version>.yaml`` for
each earlier questionnaire and ``<from>-to-<to>.yaml`` for each migration (read and checked by
``kit.core.migration_files``). No folder means the current version is the only one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kit.core.definitions import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Definitions,
    Question,
    Questionnaire,
)
from kit.core.migration_files import (
    BY_LEVEL,
    CHANGE_WORDS,
    VERSIONS_FOLDER,
    Migration,
    read_checked,
    version_key,
)
from kit.core.records import SubmissionRecord
from kit.core.scoring import check_answers
from kit.errors import VersionError


@dataclass(frozen=True)
class Carried:
    """Answers carried to the current version, with what happened on the way."""

    answers: dict[str, str]
    from_version: str
    to_version: str
    mapped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    not_comparable: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return self.from_version != self.to_version


def _lowest(question: Question, answers: list[int | str]) -> str | None:
    """The merged answer from the sources' levels (or reserved answers): "don't know" if any
    source is not known, else the option at the lowest level answered; not applicable only
    when every source was (and the merged question offers it)."""
    if DONT_KNOW in answers:
        return DONT_KNOW
    levels = [a for a in answers if isinstance(a, int)]
    if levels:
        return question.option_at(min(levels)).id
    return NOT_APPLICABLE if answers and question.not_applicable_allowed else None


def _level_or_reserved(question: Question, answer: str) -> int | str | None:
    if answer in (DONT_KNOW, NOT_APPLICABLE):
        return answer
    option = question.option(answer)
    return option.level if option else None


@dataclass(frozen=True)
class Step:
    """One checked migration with the two questionnaires it joins."""

    migration: Migration
    older: Questionnaire
    newer: Questionnaire

    @cached_property
    def older_questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.older.questions}

    @cached_property
    def newer_questions(self) -> dict[str, Question]:
        return {q.id: q for q in self.newer.questions}

    @cached_property
    def implicit(self) -> list[str]:
        """Questions kept under the same id because no change names them."""
        named = {q for c in self.migration.changes for q in c.from_}
        newer = self.newer_questions
        return [q.id for q in self.older.questions if q.id not in named and q.id in newer]

    @cached_property
    def changed_areas(self) -> set[str]:
        """Areas whose questions were added, removed, or moved to another area in this step."""
        older, newer = self.older_questions, self.newer_questions
        areas = {
            d
            for q in self.implicit
            if older[q].dimension != newer[q].dimension
            for d in (older[q].dimension, newer[q].dimension)
        }
        for change in self.migration.changes:
            before = {older[q].dimension for q in change.from_}
            after = {newer[q].dimension for q in change.to}
            if change.kind in ("add", "remove") or before != after:
                areas |= before | after
        return areas

    def _option(self, old: Question, new: Question, answer: str, options: object) -> str | None:
        if answer in (DONT_KNOW, NOT_APPLICABLE):
            if answer == NOT_APPLICABLE and not new.not_applicable_allowed:
                return None
            return answer
        option = old.option(answer)
        if option is None:
            return None
        if options == BY_LEVEL:
            return new.option_at(option.level).id
        assert isinstance(options, dict)
        return options.get(answer, answer)

    def carry(self, answers: Mapping[str, str], carried: Carried) -> Carried:
        older, newer = self.older_questions, self.newer_questions
        result: dict[str, str] = {}
        mapped, dropped = list(carried.mapped), list(carried.dropped)
        for qid in self.implicit:
            if qid in answers:
                value = self._option(older[qid], newer[qid], answers[qid], {})
                if value is None:
                    dropped.append(qid)
                else:
                    result[qid] = value
        for change in self.migration.changes:
            given = [answers[q] for q in change.from_ if q in answers]
            if not given:
                continue
            if change.kind == "remove":
                dropped += change.from_
                continue
            if change.kind == "merge":
                sources = [
                    _level_or_reserved(older[q], answers[q]) for q in change.from_ if q in answers
                ]
                values = {
                    change.to[0]: _lowest(
                        newer[change.to[0]], [s for s in sources if s is not None]
                    )
                }
            else:
                values = {
                    t: self._option(older[change.from_[0]], newer[t], given[0], change.options)
                    for t in change.to
                }
            for target_id, value in values.items():
                if value is None:
                    dropped.append(target_id)
                else:
                    result[target_id] = value
            mapped.append(f"{', '.join(change.from_)} -> {', '.join(change.to)} ({change.kind})")
        return Carried(
            result,
            carried.from_version,
            self.newer.version,
            mapped,
            dropped,
            sorted(set(carried.not_comparable) | self.changed_areas),
        )


@dataclass(frozen=True)
class VersionHistory:
    """Every questionnaire version the kit knows and the steps joining them to the current."""

    current: str
    questionnaires: dict[str, Questionnaire]
    steps: dict[str, Step] = field(default_factory=dict)

    @property
    def known(self) -> list[str]:
        return sorted(self.questionnaires, key=version_key)

    def questions_of(self, version: str) -> dict[str, Question]:
        return {q.id: q for q in self.questionnaires[version].questions}

    def template_version(self, columns: list[str]) -> str:
        """The version a spreadsheet's question columns were made for: the current one when
        they all belong to it, else the newest earlier version holding every one of them."""
        every = {q for version in self.questionnaires for q in self.questions_of(version)}
        asked = {c for c in columns if c in every}
        fitting = [v for v in reversed(self.known) if asked <= set(self.questions_of(v))]
        return self.current if self.current in fitting or not fitting else fitting[0]

    def changes_since(self, version: str) -> list[str]:
        """Each change between ``version`` and the current one, in words for a trainer."""
        described = []
        while version != self.current:
            step = self.steps[version]
            for change in step.migration.changes:
                before, after = ", ".join(change.from_), ", ".join(change.to)
                described.append(CHANGE_WORDS[change.kind].format(before=before, after=after))
            version = step.newer.version
        return described

    def carry(self, answers: Mapping[str, str], version: str) -> Carried:
        """Answers given under ``version`` as answers to the current questionnaire; raises
        VersionError for a version this kit does not know (the stored answers stay as they are)."""
        if version not in self.questionnaires:
            raise VersionError(
                f"questionnaire version {version!r} is not known to this kit (it knows "
                f"{', '.join(self.known)}); the answers are kept as stored but cannot be "
                "placed until its questionnaire and a migration are added"
            )
        carried = Carried(dict(answers), version, version)
        while carried.to_version != self.current:
            step = self.steps[carried.to_version]
            carried = step.carry(carried.answers, carried)
        return carried


def read_history(folder: Path, current: Questionnaire) -> VersionHistory:
    """Load and check a versions folder against the current questionnaire; raises
    DefinitionError naming every problem."""
    questionnaires, migrations = read_checked(folder, current)
    steps = {
        version: Step(migration, questionnaires[version], questionnaires[migration.to_version])
        for version, migration in migrations.items()
    }
    return VersionHistory(current.version, questionnaires, steps)


def versions_folder(definitions: Definitions) -> Path:
    return definitions.files.questionnaire.parent / VERSIONS_FOLDER


_HISTORIES: dict[tuple[Path, str], VersionHistory] = {}


def history_for(definitions: Definitions) -> VersionHistory:
    """The checked version history of these definitions, read once per process."""
    key = (versions_folder(definitions), definitions.questionnaire.version)
    if key not in _HISTORIES:
        _HISTORIES[key] = read_history(key[0], definitions.questionnaire)
    return _HISTORIES[key]


def carry_forward(definitions: Definitions, answers: Mapping[str, str], version: str) -> Carried:
    """Answers given under ``version`` as answers to the current questionnaire."""
    if version == definitions.questionnaire.version:
        return Carried(dict(answers), version, version)
    return history_for(definitions).carry(answers, version)


def record_answers(definitions: Definitions, record: SubmissionRecord) -> Carried:
    """A stored submission's answers as answers to the current questionnaire (the record
    itself is left as it was stored)."""
    return carry_forward(definitions, record.answers, record.questionnaire_version)


def carry_draft(
    definitions: Definitions, answers: Mapping[str, str], version: str | None = None
) -> Carried:
    """A draft's answers as answers to the current questionnaire, from the version it was
    saved under. A draft saved before drafts kept one (or under a version the kit does not
    know) has it read from its question ids: a draft whose ids all still exist counts as
    current."""
    if version is not None:
        try:
            return carry_forward(definitions, answers, version)
        except VersionError:
            pass
    history = history_for(definitions)
    version = history.template_version(list(answers))
    if version == history.current:
        return Carried(dict(answers), version, version)
    valid, _ = check_answers(history.questions_of(version), answers)
    return history.carry(valid, version)


def answers_now(definitions: Definitions, record: SubmissionRecord) -> dict[str, str]:
    """For counting a cohort: a submission's answers carried to the current version, or as
    stored when its version is unknown (scoring then uses those that still fit)."""
    try:
        return record_answers(definitions, record).answers
    except VersionError:
        return dict(record.answers)


def incomparable_areas(
    definitions: Definitions, records: Sequence[SubmissionRecord]
) -> tuple[list[str], list[str]]:
    """The areas (in model order) that cannot be compared with these submissions because the
    questionnaire changed there since, and the earlier versions they were given under."""
    areas: set[str] = set()
    versions: set[str] = set()
    for record in records:
        if record.questionnaire_version == definitions.questionnaire.version:
            continue
        versions.add(record.questionnaire_version)
        try:
            areas |= set(record_answers(definitions, record).not_comparable)
        except VersionError:  # a version the kit does not know: nothing compares
            areas |= set(definitions.dimensions)
    return [d for d in definitions.dimensions if d in areas], sorted(versions)
