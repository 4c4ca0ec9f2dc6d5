"""Write CSV and XLSX files that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by spreadsheet programs, so text from businesses is prefixed with an apostrophe before writing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from kit.errors import KitError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would treat as a formula, made inert; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([neutralise(v) for v in row] for row in rows)


Table = tuple[Sequence[str], Iterable[Sequence[object]]]


def write_workbook(path: Path, sheets: Mapping[str, Table]) -> None:
    """Write named sheets, each a header and rows, to one XLSX workbook."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(header))
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    workbook.save(path)


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    write_workbook(path, {"cohort": (header, rows)})


TABLE_WRITERS: dict[str, Callable[[Path, Sequence[str], Iterable[Sequence[object]]], None]] = {
    ".csv": _write_csv,
    ".xlsx": _write_xlsx,
}


def write_table(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a header and rows as CSV or XLSX, chosen by the file's suffix."""
    writer = TABLE_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise KitError(f"{path}: cannot write {path.suffix!r} files (use .csv or .xlsx)")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(path, header, rows)
