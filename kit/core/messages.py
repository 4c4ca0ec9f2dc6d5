"""The words a participant reads in the self-assessment, from ``content/messages.yaml``.

Keeping every label and message in one data file keeps them in plain language (a test reads
them all) and gives a translation one file to work from. ``say`` fills in the named values;
a text with ``one`` and ``other`` forms is chosen by ``count``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from kit.core.definitions import Strict
from kit.core.yamlio import load_model
from kit.errors import DefinitionError
from kit.paths import CONTENT_DIR

MESSAGES_FILE = CONTENT_DIR / "messages.yaml"
KEY = re.compile(r"^[a-z]+\.[a-z_]+$")


class Plural(Strict):
    one: str = Field(min_length=1)
    other: str = Field(min_length=1)


class Messages(Strict):
    schema_version: Literal[1]
    language: str = Field(pattern=r"^[a-z]{2}$")
    messages: dict[str, str | Plural]

    @field_validator("messages")
    @classmethod
    def _keys_are_plain(cls, value: dict[str, str | Plural]) -> dict[str, str | Plural]:
        bad = sorted(key for key in value if not KEY.match(key))
        if bad:
            raise ValueError(f"keys must look like 'part.name': {bad}")
        return value


@cache
def load_messages(path: Path = MESSAGES_FILE) -> Messages:
    """Read and validate the file once per process."""
    return load_model(path, Messages)


def say(key: str, **values: object) -> str:
    """The text for ``key`` with its ``{names}`` filled in."""
    messages = load_messages().messages
    if key not in messages:
        raise DefinitionError([f"{MESSAGES_FILE}: no message {key!r}"])
    text = messages[key]
    if isinstance(text, Plural):
        text = text.one if values.get("count") == 1 else text.other
    return text.format(**values)
