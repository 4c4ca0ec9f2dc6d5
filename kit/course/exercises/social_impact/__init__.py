"""Social-impact exercises: what does automation free up, and is the good it does measured?

Three exercises, one per social_impact lesson: a freed-resources calculator (fundamentals), a
KPI planner pairing business and social KPIs (intermediate), and an automation-for-impact
prioritiser where the worst risk decides (advanced).

Parts: ``data`` (samples in ``content/exercises/social_impact.yaml``), ``calc``, ``charts``,
``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from __future__ import annotations

from typing import Any

from kit.course.exercises.parts import lesson_name, lesson_names


def __getattr__(name: str) -> Any:
    return lesson_name(__name__, name)


def __dir__() -> list[str]:
    return lesson_names(__name__)
