"""Kept for lessons written before the kit had layers: use ``kit.forms`` instead."""

from __future__ import annotations

import warnings

from kit.forms.assessment import AssessmentForm, self_assessment

warnings.warn(
    "kit.widgets has moved: write 'from kit.forms import self_assessment'",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["AssessmentForm", "self_assessment"]
