"""Check the note and link a respondent may add to an answer.

Notes and links back an answer up for the people who read the business's report; they are
never scored and never shown in a cohort summary. They are text typed by strangers, so they are
limited in length, a link must be an ordinary web address (a ``javascript:`` or ``data:`` link
would run or hide something when clicked), and invisible control characters are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from kit.core.definitions import Definitions
from kit.core.messages import say
from kit.core.records import AnswerNote

NOTE_MAX_CHARS = 500
LINK_MAX_CHARS = 300
WEB_SCHEMES = ("http", "https")
NOTE_KEPT_CONTROLS = "\n\t"


def _has_controls(text: str, kept: str = "") -> bool:
    return any(not ch.isprintable() and ch not in kept for ch in text)


def check_note(text: str) -> str | None:
    """Why a note cannot be kept, or None; line breaks are fine, control characters are not."""
    if len(text) > NOTE_MAX_CHARS:
        return say("evidence.note_too_long", limit=NOTE_MAX_CHARS, length=len(text))
    if _has_controls(text.replace("\r\n", "\n"), NOTE_KEPT_CONTROLS):
        return say("evidence.note_invisible")
    return None


def check_link(url: str) -> str | None:
    """Why a link cannot be kept, or None: http or https only, with a site name, not too long."""
    url = url.strip()
    if not url:
        return None
    if len(url) > LINK_MAX_CHARS:
        return say("evidence.link_too_long", limit=LINK_MAX_CHARS, length=len(url))
    if _has_controls(url) or any(ch.isspace() for ch in url):
        return say("evidence.link_spaces")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return say("evidence.link_no_site")
    if parts.scheme.lower() not in WEB_SCHEMES:
        return say("evidence.link_not_web")
    if not host:
        return say("evidence.link_no_site")
    return None


def as_note(value: AnswerNote | Mapping[str, object] | str) -> AnswerNote:
    """An ``AnswerNote`` from the forms notes arrive in: the record, stored JSON, or bare text."""
    if isinstance(value, AnswerNote):
        return value
    if isinstance(value, str):
        return AnswerNote(note=value)
    return AnswerNote(note=str(value.get("note") or ""), link=str(value.get("link") or ""))


def check_notes(
    definitions: Definitions, notes: Mapping[str, AnswerNote | Mapping[str, object] | str]
) -> tuple[dict[str, AnswerNote], list[str]]:
    """The notes that can be kept, and a message naming the question for each that cannot.

    A good note with a bad link keeps its note (and the other way round), so nothing valid is
    lost; empty notes are dropped.
    """
    valid: dict[str, AnswerNote] = {}
    problems: list[str] = []
    for question_id, raw in notes.items():
        if question_id not in definitions.questions:
            problems.append(say("evidence.unknown_question", question=question_id))
            continue
        given = as_note(raw)
        note, link = given.note.strip(), given.link.strip()
        for text, check in ((note, check_note), (link, check_link)):
            problem = check(text)
            if problem:
                problems.append(say("evidence.at_question", question=question_id, problem=problem))
        note = "" if check_note(note) else note
        link = "" if check_link(link) else link
        if note or link:
            valid[question_id] = AnswerNote(note=note, link=link)
    return valid, problems
