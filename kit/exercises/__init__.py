"""Lesson exercises, one module per topic.

Each module keeps the computation in pure functions (pandas in, pandas or numbers out, tested
against hand-computed values) and puts the widget and chart wrappers in separate functions that
only collect values and call those pure functions. Sample data lives in
``content/exercises/<topic>.yaml`` (or ``.csv``), never in code.
"""

from __future__ import annotations

from kit.errors import KitError


class ExerciseInputError(KitError):
    """Raised when an exercise gets a table or value it cannot use; the message names the
    exercise, the row or column, and what would be accepted."""
