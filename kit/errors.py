"""One exception tree for the kit, so callers can catch ``KitError`` and show its message.

Every message names the place (file, key, row, question) and the reason, because the people who
read them are trainers and facilitators fixing a spreadsheet, not developers reading tracebacks.
"""

from __future__ import annotations


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
