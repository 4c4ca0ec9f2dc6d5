"""Guess the encoding of a CSV that was not saved as UTF-8, and say which one was assumed.

Spreadsheet programs save "CSV" in the computer's legacy code page (Windows-1252 in Western
Europe and the Americas), so a trainer in Lyon or Montreal sends ``Café Müller`` as single
bytes. charset-normalizer ranks the code pages spreadsheets use by how clean the decoded text
is and how well it fits a language; where the best readings agree, or one fits clearly better,
the file is read with it. Where two readings of the same bytes differ and neither wins, the
file is refused with the first line they read differently.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from kit.errors import InputFileError

# The code pages spreadsheet programs save CSV in, most common first; ties go to the earlier.
SPREADSHEET_ENCODINGS = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "mac_roman": "Mac Roman",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
}
MESS_MARGIN = 0.04  # readings this close to the cleanest one are rivals
LANGUAGE_MARGIN = 0.02  # a rival this much better at fitting a language wins outright
MAX_MESS = 0.2  # above this, no reading is plausible text


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None = None  # None: UTF-8, nothing to say

    @property
    def note(self) -> str | None:
        if self.encoding is None:
            return None
        return (
            f"not saved as UTF-8; read as {SPREADSHEET_ENCODINGS[self.encoding]}. If names "
            "look wrong, save it from your spreadsheet as 'CSV UTF-8' and import again"
        )


def _first_difference(a: str, b: str) -> tuple[int, str, str]:
    for number, (line_a, line_b) in enumerate(
        zip(a.splitlines(), b.splitlines(), strict=False), start=1
    ):
        if line_a != line_b:
            return number, line_a, line_b
    return 1, a[:60], b[:60]


def _name_for(data: bytes, text: str) -> str:
    """The most common spreadsheet code page that reads ``data`` as ``text`` (several often
    do: Windows-1250 and -1252 agree on every letter of 'Café Müller')."""
    for encoding in SPREADSHEET_ENCODINGS:
        try:
            if data.decode(encoding) == text:
                return encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("a reading always comes from one of the spreadsheet encodings")


def _readings(data: bytes) -> dict[str, tuple[str, float]]:
    """Each plausible code page's text, by code page name, with how well it fits a language."""
    from charset_normalizer import from_bytes

    matches = [
        m
        for m in from_bytes(data, cp_isolation=list(SPREADSHEET_ENCODINGS))
        if m.encoding in SPREADSHEET_ENCODINGS
    ]
    cleanest = min((m.chaos for m in matches), default=1.0)
    readings: dict[str, tuple[str, float]] = {}
    if cleanest > MAX_MESS:
        return readings
    for match in matches:
        if match.chaos <= cleanest + MESS_MARGIN:
            text = data.decode(match.encoding)
            name = _name_for(data, text)
            fit = max(match.coherence, readings.get(name, ("", 0.0))[1])
            readings[name] = (text, fit)
    return readings


def decode_text(path: object, data: bytes) -> Decoded:
    """The file's text: UTF-8 (with or without BOM), else the code page that reads it best.

    Readings that differ are settled in favour of Windows-1252, the most common, unless another
    one fits a language clearly better (Czech in Windows-1250); without a Windows-1252 reading
    the file is ambiguous (Cyrillic and Baltic code pages read the same bytes equally well).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(
            f"{path}: UTF-16 text (a spreadsheet's 'Unicode text' export); "
            "save it as 'CSV UTF-8' and try again"
        )
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        first_bad = data.count(b"\n", 0, exc.start) + 1
    readings = _readings(data)
    if not readings:
        raise InputFileError(
            f"{path}: line {first_bad}: not UTF-8 text, and no common spreadsheet encoding reads "
            "it as plain text; save it from your spreadsheet as 'CSV UTF-8' and try again"
        )
    best = max(readings, key=lambda name: readings[name][1])
    if len(readings) == 1:
        chosen = best
    elif "cp1252" in readings:
        ahead = readings[best][1] - readings["cp1252"][1] > LANGUAGE_MARGIN
        chosen = best if ahead else "cp1252"
    else:
        first, second = sorted(readings, key=list(SPREADSHEET_ENCODINGS).index)[:2]
        line, mine, theirs = _first_difference(readings[first][0], readings[second][0])
        raise InputFileError(
            f"{path}: line {line}: not UTF-8 text, and its encoding is ambiguous: it reads "
            f"{mine.strip()[:60]!r} as {SPREADSHEET_ENCODINGS[first]} but "
            f"{theirs.strip()[:60]!r} as {SPREADSHEET_ENCODINGS[second]}; save it from your "
            "spreadsheet as 'CSV UTF-8' and try again"
        )
    return Decoded(readings[chosen][0], chosen)
