"""Read cohort spreadsheets (CSV or XLSX) row by row, keeping every good row and naming bad ones.

Trainers fill these in a spreadsheet, so the reader is forgiving where it is safe (header case
and spaces, a UTF-8 BOM or another encoding a spreadsheet saves in, a title above the header,
the data on another sheet, "Don't know" typed out) and exact where it matters: ids stay text
("00123", "NA" and "None" are kept as written) and every problem is reported with the
spreadsheet's row number (and cell), column and reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions, Question
from kit.core.evidence import check_link, check_note
from kit.core.ids import check_business_id, check_business_name, check_respondent_code, clean_name
from kit.core.limits import MAX_INPUT_BYTES, json_problem, size_problem
from kit.core.records import AnswerNote
from kit.core.scoring import check_answers, unknown_question_reason
from kit.core.targets import check_targets
from kit.core.versions import carry_forward
from kit.errors import InputFileError
from kit.tables.encodings import decode_text
from kit.tables.templates import VERSION_COLUMN, Template, Templates, form_tool_columns

ID_COLUMN = "business_id"
NAME_COLUMN = "business_name"
RESPONDENT_COLUMN = "respondent"
ROLE_COLUMN = "role"
# Optional columns named "<kind>:<id>": a target per area, a note or link per question.
TARGET_PREFIX, NOTE_PREFIX, LINK_PREFIX = "target", "note", "link"
UNREAD = {False: "its answers were not read", True: "its cells were not read"}
HEADER_SEARCH_ROWS = 10  # a title or notes may sit above the header
ANSWER_ALIASES = {
    "don't know": DONT_KNOW,
    "dont know": DONT_KNOW,
    "don’t know": DONT_KNOW,
    "n/a": NOT_APPLICABLE,
    "not applicable": NOT_APPLICABLE,
}

Record = tuple[int, list[str]]


@dataclass(frozen=True)
class CohortRow:
    """One business's answers as read from a spreadsheet row."""

    row_number: int
    business_id: str
    business_name: str
    answers: dict[str, str]
    respondent: str = ""
    role: str = ""
    targets: dict[str, int] = field(default_factory=dict)
    notes: dict[str, AnswerNote] = field(default_factory=dict)


@dataclass
class CohortFile:
    """What a cohort file held: the good rows, one message per problem, and notes (warnings
    about rows that were kept)."""

    path: Path
    rows: list[CohortRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected_rows: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """The rows of one table in a file: a CSV, or one sheet of a workbook (``name``)."""

    name: str | None
    records: list[Record]
    notes: list[str] = field(default_factory=list)

    def where(self, path: Path) -> str:
        return f"{path}: sheet {self.name!r}" if self.name else str(path)


class NumberText(str):
    """The text of a spreadsheet cell that held a number, whose leading zeros may be lost."""


class UnsavedFormula(str):
    """A blank read from a cell holding a formula whose result was never saved (a file written
    by a script, or saved by a program that does not calculate)."""

    formula: str


def _unsaved(formula: str) -> UnsavedFormula:
    cell = UnsavedFormula("")
    cell.formula = formula
    return cell


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _csv_sheets(path: Path) -> list[Sheet]:
    decoded = decode_text(path, path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(decoded.text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(decoded.text, newline=""), dialect)
    try:
        # Numbered by record, as a spreadsheet numbers its rows: a cell holding a line break
        # spans two lines of the file but is one row.
        records = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise InputFileError(f"{path}: line {reader.line_num}: unreadable CSV ({exc})") from None
    notes = [f"{path}: {decoded.note}"] if decoded.note else []
    return [Sheet(None, records, notes)]


def _cell_text(value: object, formula: object) -> str:
    if value is None:
        return _unsaved(formula) if isinstance(formula, str) and formula.startswith("=") else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return NumberText(value) if isinstance(value, int | float) else str(value)


def _xlsx_sheets(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:  # once for the saved values, once for the formulas behind blank ones
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise InputFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        return [
            Sheet(
                sheet.title,
                [
                    (number, [_cell_text(v, f) for v, f in zip(row, formula_row, strict=False)])
                    for number, (row, formula_row) in enumerate(
                        zip(
                            sheet.iter_rows(values_only=True),
                            formulas[sheet.title].iter_rows(values_only=True),
                            strict=False,
                        ),
                        start=1,
                    )
                ],
            )
            for sheet in values.worksheets
        ]
    finally:
        values.close()
        formulas.close()


SHEET_READERS: dict[str, Callable[[Path], list[Sheet]]] = {
    ".csv": _csv_sheets,
    ".txt": _csv_sheets,
    ".xlsx": _xlsx_sheets,
}


def _normalise_header(cell: str) -> str:
    # Line breaks inside a header cell (wrapped text) are not part of the name, nor are spaces
    # around the colon of "target: transparency".
    name = " ".join(cell.split()).lower()
    kind, colon, key = name.partition(":")
    return f"{kind.strip()}:{key.strip()}" if colon else name


def team_columns(definitions: Definitions) -> list[str]:
    """The optional columns of issue 14, in template order: who answered, the business's
    target per area, then a note and a link per question."""
    return [
        RESPONDENT_COLUMN,
        ROLE_COLUMN,
        *(f"{TARGET_PREFIX}:{area}" for area in definitions.dimensions),
        *(f"{kind}:{q}" for q in definitions.questions for kind in (NOTE_PREFIX, LINK_PREFIX)),
    ]


def _unknown_team_column(column: str, definitions: Definitions) -> str | None:
    """Why a "<kind>:<id>" column cannot be read, or None when it is not one or is fine."""
    kind, colon, key = column.partition(":")
    if not colon:
        return None
    if kind == TARGET_PREFIX:
        known = definitions.dimensions
        return None if key in known else f"unknown area (areas: {', '.join(known)})"
    if kind in (NOTE_PREFIX, LINK_PREFIX):
        return None if key in definitions.questions else unknown_question_reason(definitions, key)
    return f"unknown kind of column {kind!r} (use target:, note: or link:)"


def _normalise_answer(cell: str) -> str:
    text = cell.strip()
    return ANSWER_ALIASES.get(text.lower(), text.lower())


def _header_index(sheet: Sheet) -> int | None:
    """Where the header row is among the sheet's records: the first of the top rows that
    names a business_id column."""
    for index, (_, record) in enumerate(sheet.records[:HEADER_SEARCH_ROWS]):
        if ID_COLUMN in (_normalise_header(c) for c in record):
            return index
    return None


def _choose_sheet(path: Path, sheets: list[Sheet]) -> tuple[Sheet, int, list[str]]:
    """The first sheet with a header, its header's index, and notes on what was passed by."""
    for sheet in sheets:
        index = _header_index(sheet)
        if index is None:
            continue
        notes = list(sheet.notes)
        if sheet is not sheets[0]:
            skipped = ", ".join(repr(s.name) for s in sheets[: sheets.index(sheet)])
            notes.append(
                f"{sheet.where(path)}: read this sheet; {skipped} has no '{ID_COLUMN}' header"
            )
        above = [n for n, r in sheet.records[:index] if any(c.strip() for c in r)]
        if above:
            notes.append(
                f"{sheet.where(path)}: the header is on row "
                f"{sheet.records[index][0]}; row(s) {', '.join(map(str, above))} "
                "above it were not read"
            )
        return sheet, index, notes
    if len(sheets) == 1 and sheets[0].name is None:
        first = next((n for n, r in sheets[0].records if any(c.strip() for c in r)), 1)
        raise InputFileError(
            f"{path}: line {first}: no '{ID_COLUMN}' column in the header "
            "(write a blank one with 'eakit template')"
        )
    names = ", ".join(repr(s.name) for s in sheets)
    raise InputFileError(
        f"{path}: no '{ID_COLUMN}' column in the first {HEADER_SEARCH_ROWS} "
        f"rows of any sheet (sheets: {names}); write a blank one with "
        "'eakit template'"
    )


def _column_problems(
    where: str,
    columns: list[str],
    records: list[Record],
    questions: Mapping[str, Question],
    passed_over: set[str],
    definitions: Definitions,
) -> tuple[list[str], list[str]]:
    """Problems and notes about the columns: unknown ones, ones with data but no header (a
    merged header cell), and questions the file has no column for."""
    problems, notes = [], []
    known = {
        ID_COLUMN,
        NAME_COLUMN,
        VERSION_COLUMN,
        *questions,
        *passed_over,
        *team_columns(definitions),
    }
    for column in columns:
        if column and column not in known:
            reason = _unknown_team_column(column, definitions) or unknown_question_reason(
                questions, column
            )
            problems.append(f"{where}: column {column!r}: {reason}; {UNREAD[':' in column]}")
    for index, column in enumerate(columns):
        filled = [n for n, r in records if index < len(r) and r[index].strip()]
        if not column and filled:
            problems.append(
                f"{where}: column {column_letter(index)} has no header (a merged or blank "
                f"header cell?) but {len(filled)} filled cell(s) from row {filled[0]}; "
                "they were not read"
            )
    missing = [q for q in questions if q not in columns]
    if missing:
        notes.append(
            f"{where}: no column for {len(missing)} question(s), which count as "
            f"unanswered: {', '.join(missing)}"
        )
    return problems, notes


def _open_sheets(path: Path) -> list[Sheet]:
    reader = SHEET_READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(SHEET_READERS))
        raise InputFileError(f"{path}: unsupported file type {path.suffix!r} (use {known})")
    if not path.is_file():
        raise InputFileError(f"{path}: file not found")
    too_big = size_problem(path, MAX_INPUT_BYTES)
    if too_big:
        raise InputFileError(too_big)
    return reader(path)


def read_cohort(path: Path, definitions: Definitions, whole_rows: bool = True) -> CohortFile:
    """Read a cohort file; raises InputFileError only when nothing in it can be read.

    With ``whole_rows`` a bad answer rejects its row (an import stores whole assessments
    only); without, the row keeps all its answers for scoring to check one by one, as
    ``eakit score`` does with a JSON file.
    """
    sheet, header_index, notes = _choose_sheet(path, _open_sheets(path))
    where = sheet.where(path)
    header_row, header = sheet.records[header_index]
    records = sheet.records[header_index + 1 :]
    templates = Templates(definitions, where)
    columns, passed_over, tool_notes = form_tool_columns(
        [_normalise_header(c) for c in header],
        templates.history,
        {ID_COLUMN, NAME_COLUMN, VERSION_COLUMN, *team_columns(definitions)},
        where,
    )
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise InputFileError(f"{where}: row {header_row}: duplicate columns {duplicates}")
    result = CohortFile(path, notes=notes + tool_notes)
    in_columns = templates.for_columns(columns)
    problems, column_notes = _column_problems(
        where, columns, records, in_columns.questions, passed_over, definitions
    )
    result.problems += problems
    seen: dict[tuple[str, str], int] = {}
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        row_where = f"{where}: row {line}"
        row_problems = _row_problems(row_where, line, columns, record, seen, definitions)
        template = templates.for_row(dict(zip(columns, record, strict=False)), in_columns)
        if isinstance(template, str):
            row_problems.append(f"{row_where}: {template}")
            template = in_columns
        answers, answer_problems = _row_answers(
            row_where, line, columns, record, (definitions, template), whole_rows
        )
        if row_problems or (answer_problems and whole_rows):
            result.problems += row_problems + answer_problems
            result.rejected_rows += 1
            continue
        result.problems += answer_problems
        cells = dict(zip(columns, record, strict=False))
        business_id = cells[ID_COLUMN].strip()
        respondent = cells.get(RESPONDENT_COLUMN, "").strip()
        seen[business_id, respondent] = line
        if isinstance(cells[ID_COLUMN], NumberText):
            result.notes.append(
                f"{row_where}: business_id {business_id!r} was a number in the "
                "spreadsheet, so any leading zeros are gone; format that column as Text"
            )
        name = _kept_name(cells.get(NAME_COLUMN, ""), row_where, result.notes)
        targets, target_problems = _row_targets(row_where, line, columns, record, definitions)
        answer_notes, note_problems = _row_notes(row_where, line, columns, record)
        result.problems += target_problems + note_problems
        result.rows.append(
            CohortRow(
                line,
                business_id,
                name,
                answers,
                respondent=respondent,
                role=cells.get(ROLE_COLUMN, "").strip().lower() if respondent else "",
                targets=targets,
                notes=answer_notes,
            )
        )
        if cells.get(ROLE_COLUMN, "").strip() and not respondent:
            result.notes.append(
                f"{row_where}: a role without a respondent code is not kept (fill in the "
                f"{RESPONDENT_COLUMN!r} column to say who answered)"
            )
    result.notes += templates.notes + column_notes
    return result


def _cell_place(where: str, line: int, columns: list[str], column: str) -> str:
    return f"{where}, column {column!r} (cell {column_letter(columns.index(column))}{line})"


def _prefixed_cells(
    columns: list[str], record: list[str], prefix: str
) -> list[tuple[str, str, str]]:
    """(column, id after the prefix, cell text) for each filled cell of "<prefix>:<id>"."""
    return [
        (column, column.partition(":")[2], cell.strip())
        for column, cell in zip(columns, record, strict=False)
        if column.startswith(f"{prefix}:") and cell.strip()
    ]


def _row_targets(
    where: str, line: int, columns: list[str], record: list[str], definitions: Definitions
) -> tuple[dict[str, int], list[str]]:
    """The row's targets, and a problem per cell that is no level 1-4 (the rest are kept)."""
    valid: dict[str, int] = {}
    problems: list[str] = []
    for column, area, text in _prefixed_cells(columns, record, TARGET_PREFIX):
        if area not in definitions.dimensions:
            continue  # the column itself was reported once
        kept, found = check_targets(definitions, {area: text})
        valid |= kept
        problems += [f"{_cell_place(where, line, columns, column)}: {p}" for p in found]
    return valid, problems


def _row_notes(
    where: str, line: int, columns: list[str], record: list[str]
) -> tuple[dict[str, AnswerNote], list[str]]:
    """The row's notes and links per question; a bad cell is named and left out, its
    neighbours (the note beside a bad link) kept."""
    kept: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for prefix, check in ((NOTE_PREFIX, check_note), (LINK_PREFIX, check_link)):
        for column, question, text in _prefixed_cells(columns, record, prefix):
            problem = check(text)
            if problem:
                problems.append(f"{_cell_place(where, line, columns, column)}: {problem}")
            else:
                kept.setdefault(question, {})[prefix] = text
    return {
        q: AnswerNote(parts.get(NOTE_PREFIX, ""), parts.get(LINK_PREFIX, ""))
        for q, parts in kept.items()
    }, problems


def _kept_name(raw: str, where: str, notes: list[str]) -> str:
    """The display name as it will be kept, with a note when cleaning changed it: a name is
    never a reason to lose an assessment."""
    name, change = clean_name(raw)
    if change:
        notes.append(f"{where}: business_name: {change}")
    return name


def _row_problems(
    where: str,
    line: int,
    columns: list[str],
    record: list[str],
    seen: dict[tuple[str, str], int],
    definitions: Definitions,
) -> list[str]:
    """What makes a row unusable as a whole: its shape, its id, its name or who answered."""
    if len(record) > len(columns) and any(c.strip() for c in record[len(columns) :]):
        return [f"{where}: {len(record)} cells but the header has {len(columns)} columns"]
    cells = dict(zip(columns, record, strict=False))
    business_id = cells.get(ID_COLUMN, "").strip()
    respondent = cells.get(RESPONDENT_COLUMN, "").strip()
    problems = [
        f"{where}: {reason}"
        for reason in (
            check_business_id(business_id),
            check_business_name(clean_name(cells.get(NAME_COLUMN, ""))[0]),
        )
        if reason
    ]
    if respondent:
        problems += _respondent_problems(where, line, columns, cells, business_id, definitions)
    if (business_id, respondent) in seen:
        by = f" with respondent {respondent!r}" if respondent else ""
        problems.append(
            f"{where}: business_id {business_id!r}{by} already used on row "
            f"{seen[business_id, respondent]}"
        )
    return problems


def _respondent_problems(
    where: str,
    line: int,
    columns: list[str],
    cells: dict[str, str],
    business_id: str,
    definitions: Definitions,
) -> list[str]:
    """A respondent code must be usable and not the business's own; its role from the list."""
    respondent = cells[RESPONDENT_COLUMN].strip()
    place = _cell_place(where, line, columns, RESPONDENT_COLUMN)
    problems = []
    reason = check_respondent_code(respondent)
    if reason:
        problems.append(f"{place}: {reason}")
    elif respondent == business_id:
        problems.append(f"{place}: respondent {respondent!r} is the business's own code")
    role = cells.get(ROLE_COLUMN, "").strip().lower()
    if role not in definitions.roles:
        known = ", ".join(definitions.roles)
        found = f"unknown role {role!r}" if role else "no role given"
        where_role = (
            _cell_place(where, line, columns, ROLE_COLUMN) if ROLE_COLUMN in columns else where
        )
        problems.append(f"{where_role}: {found} for respondent {respondent!r} (roles: {known})")
    return problems


def _row_answers(
    where: str,
    line: int,
    columns: list[str],
    record: list[str],
    against: tuple[Definitions, Template],
    whole_rows: bool,
) -> tuple[dict[str, str], list[str]]:
    """The row's answers and one problem per cell that could not be used; with
    ``whole_rows`` only valid answers are kept, else checking is left to scoring (an older
    template's answers are checked here, as scoring knows only the current questions)."""
    definitions, template = against
    questions = template.questions
    current = template.version == definitions.questionnaire.version
    problems = [
        f"{where}, column {column!r} (cell {column_letter(index)}{line}): a formula with no "
        f"saved result ({cell.formula}), so its answer was not read; open and save the file "
        "in your spreadsheet program, or type the answer"
        for index, (column, cell) in enumerate(zip(columns, record, strict=False))
        if column in questions and isinstance(cell, UnsavedFormula)
    ]
    answers = {
        c: _normalise_answer(v)
        for c, v in zip(columns, record, strict=False)
        if c in questions and v.strip()
    }
    if not whole_rows and current:
        return answers, problems
    valid, answer_problems = check_answers(questions, answers)
    problems += [f"{where}, column {p.removeprefix('question ')}" for p in answer_problems]
    return carry_forward(definitions, valid, template.version).answers, problems


def _json_business(
    where: str, item: object, seen: dict[str, int], index: int, notes: list[str]
) -> CohortRow | str:
    if not isinstance(item, dict) or not isinstance(item.get("answers"), dict):
        return f"{where}: expected an object with 'business_id' and an 'answers' object"
    for column in (ID_COLUMN, NAME_COLUMN):
        value = item.get(column, "")
        if not isinstance(value, str) and not (column == NAME_COLUMN and value is None):
            return (
                f"{where}: {column} must be text in quotes "
                f"(got {json.dumps(value, ensure_ascii=False)[:40]})"
            )
    business_id = item.get(ID_COLUMN, "").strip()
    name = _kept_name(item.get(NAME_COLUMN) or "", where, notes)
    reason = check_business_id(business_id) or check_business_name(name)
    if reason:
        return f"{where}: {reason}"
    if business_id in seen:
        return f"{where}: business_id {business_id!r} appears twice"
    seen[business_id] = index
    answers = {
        str(k): _normalise_answer(v) if isinstance(v, str) else v
        for k, v in item["answers"].items()
    }
    return CohortRow(index, business_id, name, answers)


def read_answers_json(path: Path, definitions: Definitions) -> CohortFile:
    """Read ``{"business_id", "answers"}`` (or a list of them); answers are checked by scoring."""
    try:
        too_big = size_problem(path, MAX_INPUT_BYTES)
        decoded = decode_text(path, path.read_bytes())
    except FileNotFoundError:
        raise InputFileError(f"{path}: file not found") from None
    text = decoded.text
    problem = too_big or json_problem(path, text)
    if problem:
        raise InputFileError(problem)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{path}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"
        ) from None
    items = data if isinstance(data, list) else [data]
    result = CohortFile(path, notes=[f"{path}: {decoded.note}"] if decoded.note else [])
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
    """A JSON answers file or a cohort spreadsheet, by suffix; every valid answer is kept
    (scoring names the others)."""
    if path.suffix.lower() == ".json":
        return read_answers_json(path, definitions)
    return read_cohort(path, definitions, whole_rows=False)
