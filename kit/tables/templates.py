"""Which questionnaire version a cohort file was made for, so older files still import.

A blank template written by an earlier kit has that version's question columns; answers
exported from ODK, KoboToolbox or Survey123 (a form written by ``eakit xlsform``) carry a
``questionnaire_version`` column on every row, group names in front of question names
(``alpha/alpha_q1``) and the tool's own bookkeeping columns. Either way each row's answers are
checked against the version they were given under and carried to the current one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kit.core.definitions import Definitions, Question
from kit.core.versions import VersionHistory, history_for

VERSION_COLUMN = "questionnaire_version"
GROUP_SEPARATOR = re.compile(r"[/-]")  # KoboToolbox writes group/name, ODK Central group-name


@dataclass(frozen=True)
class Template:
    """A questionnaire version and its questions, as a file's answers are read against."""

    version: str
    questions: Mapping[str, Question]


@dataclass
class Templates:
    """The versions met in one file, each built once, with a note for each earlier one."""

    definitions: Definitions
    where: str
    notes: list[str] = field(default_factory=list)
    _built: dict[str, Template] = field(default_factory=dict)

    @property
    def history(self) -> VersionHistory:
        return history_for(self.definitions)

    def get(self, version: str) -> Template | None:
        """The template of a version, or None when the kit does not know it."""
        if version not in self._built:
            history = self.history
            if version not in history.questionnaires:
                return None
            self._built[version] = Template(version, history.questions_of(version))
            if version != history.current:
                changes = "; ".join(history.changes_since(version)) or "no question changed"
                self.notes.append(
                    f"{self.where}: answers given under questionnaire version {version} (the "
                    f"current one is {history.current}) were carried to {history.current}: "
                    f"{changes}"
                )
        return self._built[version]

    def for_columns(self, columns: list[str]) -> Template:
        """The version a file's question columns fit (see ``VersionHistory.template_version``)."""
        template = self.get(self.history.template_version(columns))
        assert template is not None, "template_version returns a known version"
        return template

    def for_row(self, cells: Mapping[str, str], default: Template) -> Template | str:
        """The row's template: the one its version cell names, else the file's; a problem
        (text) when it names a version the kit does not know."""
        version = cells.get(VERSION_COLUMN, "").strip()
        if not version:
            return default
        template = self.get(version)
        if template is None:
            known = ", ".join(self.history.known)
            return (
                f"questionnaire version {version!r} is not known to this kit (it knows {known}); "
                "the row was not read, and the file is left as it is"
            )
        return template


def form_tool_columns(
    columns: list[str], history: VersionHistory, fixed: set[str], where: str
) -> tuple[list[str], set[str], list[str]]:
    """For a file a form tool exported (it has the version column): question columns without
    their group names, the tool's bookkeeping columns to pass over, and a note naming them."""
    if VERSION_COLUMN not in columns:
        return columns, set(), []
    every = {q for version in history.questionnaires for q in history.questions_of(version)}
    renamed, ignored = [], set()
    for column in columns:
        name = GROUP_SEPARATOR.split(column)[-1]
        if column in fixed or not column:
            renamed.append(column)
        elif name in every:
            renamed.append(name)
        else:
            renamed.append(column)
            ignored.add(column)
    notes = (
        [
            f"{where}: exported from a form tool; its {len(ignored)} bookkeeping column(s) "
            f"were not read: {', '.join(sorted(ignored))}"
        ]
        if ignored
        else []
    )
    return renamed, ignored, notes
