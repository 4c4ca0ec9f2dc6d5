"""How big, how deep and how long the input files the kit reads may be (see README, "Limits").

A definition file or an answers file from elsewhere could be built to exhaust memory or
Python's recursion limit; each limit here is far above anything a real file needs, and each is
answered with a message naming the file and the limit instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

MAX_DEFINITION_BYTES = 1_000_000  # the bundled questionnaire is about 40 KB
MAX_INPUT_BYTES = 20_000_000  # a cohort of 2,000 businesses is about 200 KB as CSV
MAX_NESTING_DEPTH = 50  # lists and mappings inside each other; the kit's files use 6
MAX_INTEGER_DIGITS = 30  # no answer or setting is a number this long

_LONG_NUMBER = re.compile(rf"\d{{{MAX_INTEGER_DIGITS + 1},}}")
_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _event_line(event: yaml.Event) -> int:
    """The line (from 1) an event starts on; the parser sets the mark on every event."""
    assert event.start_mark is not None, "parsed events carry their position"
    return event.start_mark.line + 1


def size_problem(path: Path, limit: int) -> str | None:
    """Why a file is too big to read, or None."""
    size = path.stat().st_size
    if size > limit:
        return (
            f"{path}: {size / 1e6:.1f} MB is larger than the {limit / 1e6:g} MB this kind "
            "of file may be; is it the right file?"
        )
    return None


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def json_problem(path: Path, text: str) -> str | None:
    """Why a JSON text is nested too deep or holds an over-long number, or None; checked
    before parsing, since the parser itself fails with a RecursionError or ValueError."""
    # Strings emptied first (a JSON string holds no raw line break, so lines keep their numbers).
    bare = _JSON_STRINGS.sub('""', text)
    depth = 0
    for bracket in _BRACKETS.finditer(bare):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_NESTING_DEPTH:
            return (
                f"{path}: line {_line(bare, bracket.start())}: nested more than "
                f"{MAX_NESTING_DEPTH} levels deep"
            )
    long_number = _LONG_NUMBER.search(bare)
    if long_number:
        return (
            f"{path}: line {_line(bare, long_number.start())}: a number with more than "
            f'{MAX_INTEGER_DIGITS} digits; answers are option ids such as "b"'
        )
    return None


def yaml_problem(path: Path, text: str) -> str | None:
    """Why a YAML text is nested too deep or holds an over-long number, or None; read as a
    stream of events (no recursion), before the recursive loader sees it."""
    import yaml

    from kit.core.yamlio import PARSER

    try:
        return _event_problem(path, yaml.parse(text, Loader=PARSER))
    except yaml.YAMLError:
        # libyaml stops at nesting limits of its own before the count below gets there; the
        # Python parser, which has none, then says where. Other errors: the loader reports.
        try:
            return _event_problem(path, yaml.parse(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            return None


def _event_problem(path: Path, events: Iterator[Any]) -> str | None:
    import yaml

    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                return (
                    f"{path}:{_event_line(event)}: nested more than {MAX_NESTING_DEPTH} levels deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif (
            isinstance(event, yaml.ScalarEvent)
            and not event.style  # plain: None from PyYAML's parser, "" from libyaml's
            and _LONG_NUMBER.fullmatch(event.value.lstrip("+-").replace("_", ""))
        ):
            return (
                f"{path}:{_event_line(event)}: a number with more than {MAX_INTEGER_DIGITS} digits"
            )
    return None
