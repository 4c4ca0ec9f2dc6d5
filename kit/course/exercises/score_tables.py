"""Checks for the score tables participants fill in (one row per item, one column per rating).

Several exercises take a pandas table of whole-number ratings on a fixed scale. The checks live
here once so every exercise rejects a bad table the same way: the message names the exercise,
the row (by its label) and the column, and says what would be accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import pandas as pd

from kit.errors import ExerciseInputError


def require_columns(table: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Refuse a table that lacks a column the exercise reads, or has no rows at all."""
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ExerciseInputError(
            f"{where}: the table has no column(s) {', '.join(missing)}; "
            f"it needs {', '.join(columns)}."
        )
    if table.empty:
        raise ExerciseInputError(f"{where}: the table has no rows; add at least one.")


def require_unique_labels(table: pd.DataFrame, label: str, where: str) -> None:
    """Row labels are how results are reported, so two rows may not share one."""
    repeated = sorted(table.loc[table[label].duplicated(), label].astype(str).unique())
    if repeated:
        raise ExerciseInputError(
            f"{where}: {label} {', '.join(map(repr, repeated))} appears "
            "more than once; give each row its own name."
        )


def check_scores(
    table: pd.DataFrame, label: str, columns: Sequence[str], low: int, high: int, where: str
) -> None:
    """Every rating must be a whole number from ``low`` to ``high``; name the first that is not."""
    require_columns(table, [label, *columns], where)
    require_unique_labels(table, label, where)
    for name, row in zip(table[label], table[list(columns)].itertuples(index=False), strict=True):
        for column, value in zip(columns, row, strict=True):
            if (
                isinstance(value, bool)
                or not isinstance(value, Integral)
                or not low <= int(value) <= high
            ):
                raise ExerciseInputError(
                    f"{where}: {name!r} has {column} = {value!r}; ratings must be whole "
                    f"numbers from {low} to {high}."
                )
