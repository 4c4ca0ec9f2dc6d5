"""One exception tree for the kit, so callers can catch ``KitError`` and show its message.

Every message names the place (file, key, row, question) and the reason, because the people who
read them are trainers and facilitators fixing a spreadsheet, not developers reading tracebacks.
"""

from __future__ import annotations

import errno
from typing import Any


class KitError(Exception):
    """Raised when the kit cannot do what was asked; the message says where and why."""


class DefinitionError(KitError):
    """Raised when a definition file (model, questionnaire, content) is missing or broken."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class AnswerError(KitError):
    """Raised when answers name an unknown question or option, or are otherwise unusable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class InputFileError(KitError):
    """Raised when an answers or cohort file cannot be read at all (encoding, JSON, CSV shape)."""


class ReportError(KitError):
    """Raised when a report cannot be built or rendered (unknown business, missing renderer)."""


class BatchError(KitError):
    """Raised when a batch cannot start at all (no input, nothing to report, bad options);
    a single business that fails is recorded in the manifest instead."""


class ExerciseInputError(KitError):
    """Raised when an exercise gets a table or value it cannot use; the message names the
    exercise, the row or column, and what would be accepted."""


class UnknownContentError(KitError):
    """Raised when a lesson asks for a quiz, term, case or workshop id that no file defines."""


class StoreError(KitError):
    """Raised when the store cannot be opened or a request names something it does not hold."""


class AppSettingsError(KitError):
    """Raised when an app is started without the settings ``eakit serve`` provides."""


class NotebookFailure(KitError):
    """Raised when a business's notebook did not produce a report; ``notebook`` is how far it
    got."""

    def __init__(self, reason: str, notebook: Any = None) -> None:
        super().__init__(reason)
        self.notebook = notebook


class KernelStartError(KitError):
    """Raised when a kernel died or hung before it could run anything (worth one retry)."""


class ServeError(KitError):
    """Raised when an app cannot be started as asked (unknown app, bad workshop or port)."""


class ChartError(KitError):
    """Raised when a chart would be drawn without a title or description, or with too many
    categories for the palette."""


class VersionError(KitError):
    """Raised when answers were given under a questionnaire version this kit does not know;
    the stored answers are left as they are."""


class Interrupted(KitError):
    """Raised when Ctrl-C stopped a verb part-way; the message says what was finished and how
    to carry on."""


def file_fault(exc: OSError) -> str:
    """What is wrong with a file, in a trainer's words (the one place an OSError is worded)."""
    where = f"{exc.filename}: " if exc.filename else ""
    advice = FILE_ADVICE.get(exc.errno or 0, "")
    return f"{where}{exc.strerror or exc}{'; ' + advice if advice else ''}"


FILE_ADVICE = {
    errno.ENOENT: "check the path",
    errno.EACCES: "you may not read or write it; ask for access or choose another place",
    errno.EROFS: "that disk is read-only; choose another place",
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EISDIR: "that is a folder; name a file",
    errno.ENOTDIR: "part of that path is a file, not a folder",
}


class LanguageError(KitError):
    """Raised when a language code names a language the kit has no catalog for."""
