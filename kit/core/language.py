"""Which language a participant reads, and the gettext catalogs that hold each language.

English is the source: its words live in ``content/messages.yaml`` and the definition files.
Every other language is a gettext catalog in ``kit/locale/<code>/LC_MESSAGES/eakit.po``
(built with Babel: ``make catalogs``), whose entries carry the message key as ``msgctxt``.
The wheel ships the compiled ``.mo``; a source checkout without one compiles the ``.po`` in
memory, so an edited catalog is read without a build step.

The language in force is the process default (``set_language``: a Voila kernel serves one
participant, who may switch) unless a block overrides it (``use_language``: a batch writing
reports in several languages). ``PSEUDO`` is a testing language: every translated text is
wrapped in ``⟦ ⟧``, so a page showing text without the marks shows text that never went
through translation.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from kit.errors import LanguageError
from kit.paths import PACKAGE_DIR

LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "eakit"
SOURCE = "en"
PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Language:
    code: str
    locale: str  # the Babel locale for dates and numbers
    name: str  # the language's name in itself, for the switch in the app


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "en_GB", "English"),
    "fr": Language("fr", "fr_FR", "Français"),
}
_TESTING = {PSEUDO: Language(PSEUDO, "en_GB", f"{OPEN}Pseudo{CLOSE}")}

_default = SOURCE
_override: ContextVar[str | None] = ContextVar("eakit_language", default=None)


def check_language(code: str) -> str:
    """``code`` if the kit has that language, else a ``LanguageError`` listing those it has."""
    if code in LANGUAGES or code in _TESTING:
        return code
    known = ", ".join(f"{lang.code} ({lang.name})" for lang in LANGUAGES.values())
    raise LanguageError(f"language {code!r}: the kit has no such language; it has {known}")


def language(code: str | None = None) -> Language:
    code = current_language() if code is None else check_language(code)
    return LANGUAGES.get(code) or _TESTING[code]


def current_language() -> str:
    return _override.get() or _default


def set_language(code: str) -> None:
    """Make ``code`` the language of this process (checked first)."""
    global _default
    _default = check_language(code)


@contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """Speak ``code`` inside the block (``None``: keep the language in force)."""
    if code is None:
        yield current_language()
        return
    token = _override.set(check_language(code))
    try:
        yield code
    finally:
        _override.reset(token)


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


class PseudoTranslations(gettext.NullTranslations):
    """The source text wrapped in markers (see the module docstring)."""

    def gettext(self, message: str) -> str:
        return wrap(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return wrap(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return wrap(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return wrap(msgid1 if n == 1 else msgid2)


def catalog_files(code: str) -> tuple[Path, Path]:
    """The ``.po`` a translator edits and the ``.mo`` the build compiles from it."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _compiled(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog for ``code``: the compiled one if it is up to date, else its ``.po``."""
    code = check_language(code)
    if code == SOURCE:
        return gettext.NullTranslations()
    if code == PSEUDO:
        return PseudoTranslations()
    po, mo = catalog_files(code)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        data = mo.read_bytes()
    elif po.is_file():
        data = _compiled(po)
    else:
        raise LanguageError(f"language {code!r}: no catalog at {po}")
    return gettext.GNUTranslations(io.BytesIO(data))


def format_date(value: date | datetime, code: str | None = None) -> str:
    """A day as people write it in the language: 2 December 2026, 2 décembre 2026."""
    from babel.dates import format_date as babel_date

    lang = language(code)
    day = value.date() if isinstance(value, datetime) else value
    text = babel_date(day, format="long", locale=lang.locale)
    return wrap(text) if lang.code == PSEUDO else text


def format_decimal(value: float, pattern: str = "0.00", code: str | None = None) -> str:
    """A number with the language's decimal sign (2.50, 2,50)."""
    from babel.numbers import format_decimal as babel_decimal

    return babel_decimal(value, format=pattern, locale=language(code).locale)
