"""One sample out of a samples file's list, by id, with one message when it is not there."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from kit.errors import ExerciseInputError


class HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=HasId)


def pick(items: Sequence[Item], wanted: str, what: str, source: Path) -> Item:
    """The item whose id is ``wanted``; otherwise an error naming the file and the known ids."""
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(item.id for item in items)
    raise ExerciseInputError(f"{source.name}: no {what} with id {wanted!r}; known: {known}.")
