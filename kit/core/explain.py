"""Say in plain words where a business stands, why, and what would move it up.

Pure presentation over a ``Placement``: the CLI prints it, reports and widgets reuse the same
sentences, so a shop owner reads one explanation wherever they look.
"""

from __future__ import annotations

from typing import Any

from kit.core.language import format_decimal
from kit.core.messages import say
from kit.core.scoring import TOP_LEVEL, DimensionResult, Placement


def humans_decide() -> str:
    """The reminder every result ends with, in the language in force."""
    return say("explain.humans_decide")


def _score(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def level_name(placement: Placement, level: int | None) -> str:
    return placement.level_labels[level] if level else say("explain.not_placed")


def dimension_status(placement: Placement, result: DimensionResult) -> str:
    """A short status for tables: the label, or why there is none."""
    if result.status == "not_applicable":
        return say("explain.not_applicable")
    if result.status == "insufficient":
        return say("explain.insufficient", count=result.more_answers_needed)
    return level_name(placement, result.level)


def overall_sentence(placement: Placement) -> str:
    """One or two sentences on the overall level and the rule that set it."""
    if not placement.complete:
        short = [d for d in placement.dimensions if d.status == "insufficient"]
        if not short:
            return say("explain.no_area")
        todo = "; ".join(
            say("explain.more_needed", area=d.name, count=d.more_answers_needed) for d in short
        )
        return say("explain.too_few", todo=todo)
    text = say(
        "explain.overall",
        label=placement.overall_label,
        level=placement.overall_level,
        top=TOP_LEVEL,
        average=format_decimal(float(placement.overall_score or 0)),
    )
    if placement.capped_by:
        names = ", ".join(placement.dimension(d).name for d in placement.capped_by)
        weakest = level_name(placement, placement.dimension(placement.capped_by[0]).level)
        text += " " + say("explain.capped", names=names, weakest=weakest)
    return text


def dimension_paragraph(placement: Placement, result: DimensionResult) -> list[str]:
    """The lines explaining one area: what holds it back and what lifts it."""
    lines = [
        f"{result.name}: {dimension_status(placement, result)}"
        + (f" (average {_score(result.score):.2f})" if result.score is not None else "")
    ]
    if result.status != "placed" or result.level is None:
        return lines
    if result.capped_by_weakest:
        lines.append("  Its average is higher, but its weakest answer holds it at this level.")
    if result.level < TOP_LEVEL:
        lines.append("  Held back by:")
        lines += [
            f"  - {a.question.text} You answered: {a.answer_text}" for a in result.held_back_by
        ]
        next_label = level_name(placement, result.level + 1)
        lines.append(f"  To reach {next_label}:")
        for step in result.steps_to_next:
            verb = "Find out where you stand, then aim for" if step.was_dont_know else "Aim for"
            lines.append(f"  - {step.question.text} {verb}: {step.practice}")
        for rec in result.recommendations:
            lines.append(f"  Suggested: {rec.title}")
            lines += [f"    * {action}" for action in rec.actions]
    return lines


def explain_text(placement: Placement, heading: str = "") -> str:
    """The whole explanation as plain text, most important first."""
    lines = [heading] if heading else []
    lines.append(overall_sentence(placement))
    if placement.rejected:
        lines.append(f"Not counted ({len(placement.rejected)}): " + "; ".join(placement.rejected))
    lines.append("")
    width = max(len(d.name) for d in placement.dimensions)
    lines += [
        f"  {d.name.ljust(width)}  {dimension_status(placement, d)}" for d in placement.dimensions
    ]
    focus = placement.focus or [d.dimension_id for d in placement.dimensions if d.below_top]
    if focus:
        lines += ["", "Where to start:"]
        for dimension_id in focus:
            lines += dimension_paragraph(placement, placement.dimension(dimension_id))
    lines += ["", humans_decide()]
    return "\n".join(lines)


def placement_dict(placement: Placement) -> dict[str, Any]:
    """A JSON-ready view of a placement for other tools (stable keys, plain types)."""
    return {
        "model_version": placement.model_version,
        "questionnaire_version": placement.questionnaire_version,
        "complete": placement.complete,
        "overall_level": placement.overall_level,
        "overall_label": placement.overall_label,
        "overall_score": _score(placement.overall_score),
        "capped_by": placement.capped_by,
        "focus": placement.focus,
        "explanation": overall_sentence(placement),
        "rejected": placement.rejected,
        "dimensions": [
            {
                "id": d.dimension_id,
                "name": d.name,
                "status": d.status,
                "level": d.level,
                "label": level_name(placement, d.level) if d.level else None,
                "score": _score(d.score),
                "answered": d.answered,
                "applicable": d.applicable,
                "more_answers_needed": d.more_answers_needed,
                "capped_by_weakest": d.capped_by_weakest,
                "held_back_by": [
                    {"question": a.question.id, "answer": a.answer, "level": a.level}
                    for a in d.held_back_by
                ],
                "dont_know": [q.id for q in d.dont_know],
                "next_steps": [
                    {"question": s.question.id, "to_level": s.to_level, "practice": s.practice}
                    for s in d.steps_to_next
                ],
                "recommendations": [
                    {"id": r.id, "title": r.title, "actions": r.actions} for r in d.recommendations
                ],
            }
            for d in placement.dimensions
        ],
    }
