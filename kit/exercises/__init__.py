"""Lesson exercises: one module per topic, pure computations first, notebook widgets last."""

from __future__ import annotations

from kit.errors import KitError


class ExerciseInputError(KitError):
    """Raised when an exercise is given values it cannot compute with; says which and why."""
