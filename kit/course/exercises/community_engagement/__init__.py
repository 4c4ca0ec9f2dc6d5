"""Community-engagement exercises: what does automating a touchpoint cost in human contact?

Four exercises for the community_engagement lessons: a touchpoint matrix (speed and cost gained
against human contact lost), matching community risks with their mitigations, a
community-health metric mix of numbers and voices, and a trust-safeguard audit of automated
decisions.

Parts: ``data`` (samples in ``content/exercises/community_engagement.yaml``), ``calc``,
``charts``, ``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from __future__ import annotations

from typing import Any

from kit.course.exercises.parts import lesson_name, lesson_names


def __getattr__(name: str) -> Any:
    return lesson_name(__name__, name)


def __dir__() -> list[str]:
    return lesson_names(__name__)
