"""Read cohort spreadsheets (CSV or XLSX) row by row, keeping every good row and naming bad ones.

Trainers fill these in a spreadsheet, so the reader is forgiving where it is safe (header case
and spaces, a UTF-8 BOM, "Don't know" typed out) and exact where it matters: ids stay text
("00123", "NA" and "None" are kept as written) and every rejected row is reported with its
spreadsheet row number, column and reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions
from kit.core.ids import check_business_id, check_business_name, clean_name
from kit.core.scoring import check_answers, unknown_question_reason
from kit.errors import InputFileError

ID_COLUMN = "business_id"
NAME_COLUMN = "business_name"
ANSWER_ALIASES = {
    "don't know": DONT_KNOW, "dont know": DONT_KNOW, "don’t know": DONT_KNOW,
    "n/a": NOT_APPLICABLE, "not applicable": NOT_APPLICABLE,
}


@dataclass(frozen=True)
class CohortRow:
    """One business's answers as read from a spreadsheet row."""

    row_number: int
    business_id: str
    business_name: str
    answers: dict[str, str]


@dataclass
class CohortFile:
    """What a cohort file held: the good rows, one message per problem, and notes (warnings
    about rows that were kept)."""

    path: Path
    rows: list[CohortRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected_rows: int = 0
    notes: list[str] = field(default_factory=list)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(f"{path}: UTF-16 text (a spreadsheet's 'Unicode text' export); "
                             "save it as 'CSV UTF-8' and try again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"{path}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
            f"{exc.start}); save it from your spreadsheet as 'CSV UTF-8' and try again") from None


def _csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = _decode(path, path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        # Numbered by record, as a spreadsheet numbers its rows: a cell holding a line break
        # spans two lines of the file but is one row.
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise InputFileError(f"{path}: line {reader.line_num}: unreadable CSV ({exc})") from None


class NumberText(str):
    """The text of a spreadsheet cell that held a number, whose leading zeros may be lost."""


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return NumberText(value) if isinstance(value, int | float) else str(value)


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise InputFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


RECORD_READERS: dict[str, Callable[[Path], Iterator[tuple[int, list[str]]]]] = {
    ".csv": _csv_records,
    ".txt": _csv_records,
    ".xlsx": _xlsx_records,
}


def _normalise_header(cell: str) -> str:
    return cell.strip().lower()


def _normalise_answer(cell: str) -> str:
    text = cell.strip()
    return ANSWER_ALIASES.get(text.lower(), text.lower())


def read_cohort(path: Path, definitions: Definitions) -> CohortFile:
    """Read a cohort file; raises InputFileError only when nothing in it can be read."""
    reader = RECORD_READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(RECORD_READERS))
        raise InputFileError(f"{path}: unsupported file type {path.suffix!r} (use {known})")
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    result = CohortFile(path)
    records = iter(reader(path))
    header_line, header = next(((n, r) for n, r in records if any(c.strip() for c in r)),
                               (0, []))
    columns = [_normalise_header(c) for c in header]
    if ID_COLUMN not in columns:
        raise InputFileError(f"{path}: line {header_line or 1}: no '{ID_COLUMN}' column in the "
                             "header (write a blank one with 'eakit template')")
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise InputFileError(f"{path}: line {header_line}: duplicate columns {duplicates}")
    known = {ID_COLUMN, NAME_COLUMN, *definitions.questions}
    for column in columns:
        if column and column not in known:
            reason = unknown_question_reason(definitions, column)
            result.problems.append(
                f"{path}: column {column!r}: {reason}; its answers were not read")
    seen: dict[str, int] = {}
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        row_problems = _row_problems(path, line, columns, record, definitions, seen)
        if row_problems:
            result.problems.extend(row_problems)
            result.rejected_rows += 1
            continue
        cells = dict(zip(columns, record, strict=False))
        answers = {c: _normalise_answer(v) for c, v in cells.items()
                   if c in definitions.questions and v.strip()}
        business_id = cells[ID_COLUMN].strip()
        seen[business_id] = line
        if isinstance(cells[ID_COLUMN], NumberText):
            result.notes.append(
                f"{path}: row {line}: business_id {business_id!r} was a number in the "
                "spreadsheet, so any leading zeros are gone; format that column as Text")
        name = _kept_name(cells.get(NAME_COLUMN, ""), f"{path}: row {line}", result.notes)
        result.rows.append(CohortRow(line, business_id, name, answers))
    return result


def _kept_name(raw: str, where: str, notes: list[str]) -> str:
    """The display name as it will be kept, with a note when cleaning changed it: a name is
    never a reason to lose an assessment."""
    name, change = clean_name(raw)
    if change:
        notes.append(f"{where}: business_name: {change}")
    return name


def _row_problems(path: Path, line: int, columns: list[str], record: list[str],
                  definitions: Definitions, seen: dict[str, int]) -> list[str]:
    where = f"{path}: row {line}"
    if len(record) > len(columns) and any(c.strip() for c in record[len(columns):]):
        return [f"{where}: {len(record)} cells but the header has {len(columns)} columns"]
    cells = dict(zip(columns, record, strict=False))
    business_id = cells.get(ID_COLUMN, "").strip()
    problems = []
    for reason in (check_business_id(business_id),
                   check_business_name(clean_name(cells.get(NAME_COLUMN, ""))[0])):
        if reason:
            problems.append(f"{where}: {reason}")
    if business_id in seen:
        problems.append(f"{where}: business_id {business_id!r} already used on row "
                        f"{seen[business_id]}")
    answers = {c: _normalise_answer(v) for c, v in cells.items()
               if c in definitions.questions and v.strip()}
    _, answer_problems = check_answers(definitions, answers)
    problems += [f"{where}, column {p.removeprefix('question ')}" for p in answer_problems]
    return problems


def _json_business(where: str, item: object, seen: dict[str, int], index: int,
                   notes: list[str]) -> CohortRow | str:
    if not isinstance(item, dict) or not isinstance(item.get("answers"), dict):
        return f"{where}: expected an object with 'business_id' and an 'answers' object"
    for column in (ID_COLUMN, NAME_COLUMN):
        value = item.get(column, "")
        if not isinstance(value, str) and not (column == NAME_COLUMN and value is None):
            return (f"{where}: {column} must be text in quotes "
                    f"(got {json.dumps(value, ensure_ascii=False)[:40]})")
    business_id = item.get(ID_COLUMN, "").strip()
    name = _kept_name(item.get(NAME_COLUMN) or "", where, notes)
    reason = check_business_id(business_id) or check_business_name(name)
    if reason:
        return f"{where}: {reason}"
    if business_id in seen:
        return f"{where}: business_id {business_id!r} appears twice"
    seen[business_id] = index
    answers = {str(k): _normalise_answer(v) if isinstance(v, str) else v
               for k, v in item["answers"].items()}
    return CohortRow(index, business_id, name, answers)


def read_answers_json(path: Path, definitions: Definitions) -> CohortFile:
    """Read ``{"business_id", "answers"}`` (or a list of them); answers are checked by scoring."""
    try:
        data = json.loads(_decode(path, path.read_bytes()))
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON "
                             f"({exc.msg})") from None
    items = data if isinstance(data, list) else [data]
    result = CohortFile(path)
    seen: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        where = f"{path}: business {index}" if isinstance(data, list) else str(path)
        row = _json_business(where, item, seen, index, result.notes)
        if isinstance(row, str):
            result.problems.append(row)
            result.rejected_rows += 1
        else:
            result.rows.append(row)
    return result


def read_answers_file(path: Path, definitions: Definitions) -> CohortFile:
    """A JSON answers file or a cohort spreadsheet, by suffix."""
    if path.suffix.lower() == ".json":
        return read_answers_json(path, definitions)
    return read_cohort(path, definitions)
