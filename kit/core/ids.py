"""The codes and names that identify workshops and businesses, and the checks they must pass.

Codes become file names and database keys, so they stay plain ASCII that every file system
accepts, Windows included; names are display text only, but text typed by strangers, so
control characters (a terminal would run ESC sequences), bidirectional overrides and invisible
characters (which make one name look like another) are taken out before a name is kept. Every
layer checks ids with these functions, so a code accepted by an import is accepted by the store,
the reports and the apps alike.
"""

from __future__ import annotations

import re
import unicodedata

BUSINESS_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_MAX = 120
# Names Windows keeps for devices, with or without an extension ("nul.txt" is the device too).
WINDOWS_RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789"),
        *(f"{port}{n}" for port in ("com", "lpt") for n in "¹²³"),
    }
)
# Format characters a name may keep: the joiners that Persian, Indic scripts and emoji need.
KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\v\f]+")


def _code_problem(kind: str, value: str) -> str | None:
    if not BUSINESS_ID.fullmatch(value):
        return (
            f"{kind} {value!r} must be 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if value.endswith("."):
        return f"{kind} {value!r} must not end with '.' (Windows cannot name a file so)"
    if value.split(".")[0].lower() in WINDOWS_RESERVED:
        return (
            f"{kind} {value!r} is a name Windows keeps for a device, so no file can be "
            "called after it there; choose another"
        )
    return None


def check_business_id(value: str) -> str | None:
    """Why an id is unusable, or None; ids become file names, so they stay plain."""
    if not value:
        return "business_id is empty"
    return _code_problem("business_id", value)


def check_workshop_code(value: str) -> str | None:
    """Why a workshop code is unusable, or None; codes appear in file names like business ids."""
    return _code_problem("workshop", value or "")


def check_respondent_code(value: str) -> str | None:
    """Why a respondent code is unusable, or None; "" is the one respondent of a business
    answered by a single person, so it is always fine."""
    return _code_problem("respondent", value) if value else None


def _unsafe(ch: str) -> bool:
    """Control, format (bidi overrides, zero-width) and unassigned characters, but not the
    joiners some scripts need; line breaks are handled apart."""
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Co", "Cn") or (
        category == "Cf" and ch not in KEPT_FORMAT_CHARACTERS
    )


def _described(characters: set[str]) -> str:
    return ", ".join(sorted(f"U+{ord(ch):04X}" for ch in characters))


def clean_name(value: str) -> tuple[str, str | None]:
    """A display name made safe to keep and show, and what was changed (None if nothing).

    Lines are joined with a space (a cell typed with Alt+Enter), and control, bidi-override and
    invisible characters are removed, so a name can neither drive a terminal nor pass itself
    off as another.
    """
    joined = LINE_BREAKS.sub(" ", value)
    removed = {ch for ch in joined if _unsafe(ch)}
    cleaned = "".join(ch for ch in joined if ch not in removed).strip()
    changes = []
    if joined != value:
        changes.append("its lines were joined")
    if removed:
        changes.append(f"invisible or control characters were removed ({_described(removed)})")
    return cleaned, " and ".join(changes) or None


def check_name(value: str, kind: str = "business_name") -> str | None:
    """Why a display name (a business's, a reviewer's) is unusable, or None; any text is fine
    if it is one short, clean line (``clean_name`` makes it so)."""
    if len(value) > NAME_MAX:
        return f"{kind} is longer than {NAME_MAX} characters"
    if LINE_BREAKS.search(value):
        return f"{kind} must be a single line"
    unsafe = {ch for ch in value if _unsafe(ch)}
    if unsafe:
        return f"{kind} holds invisible or control characters ({_described(unsafe)}); retype it"
    return None


def check_business_name(value: str) -> str | None:
    """Why a business's display name is unusable, or None."""
    return check_name(value)


def terminal_safe(text: str) -> str:
    """Text that cannot drive a terminal: every character a terminal would act on or hide
    (ESC, BEL, backspace, bidi overrides, zero-width) shown as an escape such as ``\\x1b``;
    line breaks and tabs between lines stay."""
    return "".join(
        ch if ch in "\n\t" or ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
