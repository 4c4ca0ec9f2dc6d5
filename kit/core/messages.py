"""The words a participant reads in the self-assessment, from ``content/messages.yaml``.

Keeping every label and message in one data file keeps them in plain language (a test reads
them all) and gives a translation one file to work from. ``say`` fills in the named values;
a text with ``one`` and ``other`` forms is chosen by ``count``.

The file is English, the source language. ``say`` looks each text up in the gettext catalog of
the language in force (``kit.core.language``), where its key is the entry's ``msgctxt``;
``extract_messages`` is the Babel extraction method that writes those entries (babel.cfg).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

import yaml
from pydantic import Field, field_validator

from kit.core.definitions import Strict
from kit.core.language import LANGUAGES, SOURCE, catalog_files, current_language, translations
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


def template(key: str, count: object = None, language: str | None = None) -> str:
    """The text for ``key`` in ``language`` (default: the one in force), its ``{names}`` still
    to fill; a text the catalog lacks comes out in English. ``count`` picks a plural form."""
    messages = load_messages().messages
    if key not in messages:
        raise DefinitionError([f"{MESSAGES_FILE}: no message {key!r}"])
    catalog = translations(current_language() if language is None else language)
    text = messages[key]
    if isinstance(text, Plural):
        number = count if isinstance(count, int) else 2
        return catalog.npgettext(key, text.one, text.other, number)
    return catalog.pgettext(key, text)


def say(key: str, *, language: str | None = None, **values: object) -> str:
    """The text for ``key`` with its ``{names}`` filled in (see ``template``)."""
    return template(key, values.get("count"), language).format(**values)


def extract_messages(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, ...], list[str]]]:
    """Babel extraction method for messages.yaml: one entry per key, the key as ``msgctxt``."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    top = dict((k.value, v) for k, v in root.value) if isinstance(root, yaml.MappingNode) else {}
    node = top.get("messages")
    for key_node, value in node.value if isinstance(node, yaml.MappingNode) else []:
        line = key_node.start_mark.line + 1
        if isinstance(value, yaml.ScalarNode):
            yield line, "pgettext", (key_node.value, value.value), []
        elif isinstance(value, yaml.MappingNode):
            forms = {k.value: v.value for k, v in value.value}
            yield line, "npgettext", (key_node.value, forms["one"], forms["other"]), []


def check_catalogs(path: Path = MESSAGES_FILE) -> tuple[list[str], list[str]]:
    """(problems, warnings) over each language's catalog: an entry for a key messages.yaml
    does not have is a problem; a key without a translation is a warning (it shows in English)."""
    from babel.messages.pofile import read_po

    keys = load_messages(path).messages
    problems: list[str] = []
    warnings: list[str] = []
    for code in sorted(set(LANGUAGES) - {SOURCE}):
        po, _ = catalog_files(code)
        if not po.is_file():
            warnings.append(f"{po}: missing, so every message shows in English")
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        done = set()
        for entry in catalog:
            if not entry.id:
                continue
            if entry.context not in keys:
                problems.append(f"{po}:{entry.lineno}: {entry.context!r}: no such key in {path}")
            elif all(entry.string if isinstance(entry.string, tuple) else [entry.string]):
                done.add(entry.context)
        warnings += [
            f"{po}: {key}: not translated yet (shows in English)" for key in keys if key not in done
        ]
    return problems, warnings
