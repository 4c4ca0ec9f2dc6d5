"""Targets: the level a business aims for in each area, and how far it is from them.

Targets belong to the business (not to one submission) and are kept as a history; the action
plan is ordered by the gap between target and current level, and an area already at or above its
target has no gap, so it is not pushed further.
"""

from __future__ import annotations

from collections.abc import Mapping

from kit.core.definitions import LEVEL_NUMBERS, Definitions
from kit.core.messages import say
from kit.core.scoring import Placement


def _whole_level(value: object) -> int | None:
    """A level from an int, a whole float (spreadsheets) or digits; None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def check_targets(
    definitions: Definitions, targets: Mapping[str, object]
) -> tuple[dict[str, int], list[str]]:
    """The targets that can be kept, and a message naming the area for each that cannot.

    Blank values (None or "") mean no target for that area and are skipped quietly.
    """
    valid: dict[str, int] = {}
    problems: list[str] = []
    names = ", ".join(definitions.dimensions)
    for area, raw in targets.items():
        if area not in definitions.dimensions:
            problems.append(say("targets.unknown_area", area=area, areas=names))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        level = _whole_level(raw)
        if level not in LEVEL_NUMBERS:
            shown = raw.strip() if isinstance(raw, str) else raw
            problems.append(
                say(
                    "targets.not_a_level",
                    area=definitions.dimensions[area].name,
                    value=shown,
                    lowest=LEVEL_NUMBERS[0],
                    highest=LEVEL_NUMBERS[-1],
                )
            )
            continue
        valid[area] = level
    return valid, problems


def target_gaps(placement: Placement, targets: Mapping[str, int]) -> dict[str, int]:
    """Levels still to climb per area with a target: target minus current, 0 at or above it.

    Areas without a placed level (too few answers, or not applicable) have no current level to
    measure from and are left out, as are areas without a target.
    """
    gaps: dict[str, int] = {}
    for result in placement.dimensions:
        target = targets.get(result.dimension_id)
        if target is not None and result.level is not None:
            gaps[result.dimension_id] = max(target - result.level, 0)
    return gaps
