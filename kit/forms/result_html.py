"""The result a participant reads after submitting, as real headings, lists and a table.

Most important first: the overall sentence, the three first steps, then what happens next with
the business code, then the level of each area (chart and table) and the reasons, one area to
a ``<details>`` element so a phone shows a short page that opens where the reader wants more.
Everything is escaped; the texts come from the scorer, the definitions and
``content/messages.yaml``.
"""

from __future__ import annotations

from html import escape
from itertools import chain, zip_longest

from kit.core.explain import dimension_status, humans_decide, overall_sentence
from kit.core.language import format_date
from kit.core.messages import say
from kit.core.records import SubmissionRecord
from kit.core.scoring import DimensionResult, Placement, Step

FIRST_STEPS = 3


def _focus(placement: Placement) -> list[DimensionResult]:
    ids = placement.focus or [d.dimension_id for d in placement.dimensions if d.below_top]
    return [placement.dimension(i) for i in ids]


def first_steps(placement: Placement, count: int = FIRST_STEPS) -> list[tuple[str, Step]]:
    """The first moves to make: one step from each focus area in turn, then the next ones."""
    per_area = [[(area.name, step) for step in area.steps_to_next] for area in _focus(placement)]
    ordered = [item for item in chain.from_iterable(zip_longest(*per_area)) if item]
    return ordered[:count]


def _items(values: list[str]) -> str:
    return "".join(f"<li>{value}</li>" for value in values)


def _step_html(area: str, step: Step) -> str:
    return f"<b>{escape(area)}</b>: {escape(step.practice)}"


def steps_html(placement: Placement) -> str:
    steps = first_steps(placement)
    if not steps:
        return f"<p>{escape(say('result.first_actions_none'))}</p>"
    return f"<ol class='eakit-first-steps'>{_items([_step_html(a, s) for a, s in steps])}</ol>"


def levels_table(placement: Placement) -> str:
    rows = "".join(
        f"<tr><td>{escape(d.name)}</td><td>{escape(dimension_status(placement, d))}</td></tr>"
        for d in placement.dimensions
    )
    return (
        f"<table class='eakit-levels'><caption>{escape(say('result.levels'))}</caption>"
        f"<thead><tr><th scope='col'>{escape(say('result.area_column'))}</th>"
        f"<th scope='col'>{escape(say('result.level_column'))}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def summary_html(placement: Placement, business_id: str) -> str:
    """The top of the result: the heading, the overall sentence, the first steps, what next."""
    return (
        f"<h2 class='eakit-step-heading' tabindex='-1'>{escape(say('result.heading'))}</h2>"
        f"<p class='eakit-overall'>{escape(overall_sentence(placement))}</p>"
        f"<h3>{escape(say('result.first_actions'))}</h3>{steps_html(placement)}"
        f"<h3>{escape(say('result.next'))}</h3>"
        f"<p>{escape(say('result.next_text', code=business_id))}</p>"
        f"<h3>{escape(say('result.levels'))}</h3>"
    )


def chart_caption(placement: Placement) -> str:
    key = "result.chart_caption" if placement.overall_level else "result.chart_caption_no_overall"
    return f"<p class='eakit-chart-caption'>{escape(say(key))}</p>"


def area_html(placement: Placement, area: DimensionResult) -> str:
    """One area's reasons: what holds it back, the steps to the next level, suggestions."""
    heading = say("result.area_heading", area=area.name, level=dimension_status(placement, area))
    parts = [f"<summary><span class='eakit-detail-heading'>{escape(heading)}</span></summary>"]
    if area.capped_by_weakest:
        parts.append(f"<p>{escape(say('result.capped'))}</p>")
    if area.held_back_by:
        answered = escape(say("result.you_answered"))
        parts.append(
            f"<p>{escape(say('result.held_back'))}</p><ul>"
            + _items(
                [
                    f"{escape(a.question.text)} {answered} <i>{escape(a.answer_text)}</i>"
                    for a in area.held_back_by
                ]
            )
            + "</ul>"
        )
    if area.steps_to_next:
        parts.append(
            f"<p>{escape(say('result.to_next'))}</p><ul>"
            + _items(
                [
                    f"{escape(s.question.text)} "
                    f"{escape(say('result.find_out' if s.was_dont_know else 'result.aim_for'))} "
                    f"<i>{escape(s.practice)}</i>"
                    for s in area.steps_to_next
                ]
            )
            + "</ul>"
        )
    for rec in area.recommendations:
        parts.append(
            f"<p>{escape(say('result.suggested'))} <b>{escape(rec.title)}</b></p><ul>"
            + _items([escape(action) for action in rec.actions])
            + "</ul>"
        )
    return f"<details class='eakit-area-detail'>{''.join(parts)}</details>"


def details_html(placement: Placement) -> str:
    areas = _focus(placement)
    parts = [f"<h3>{escape(say('result.details'))}</h3>"] if areas else []
    parts += [area_html(placement, area) for area in areas]
    parts.append(f"<p><i>{escape(humans_decide())}</i></p>")
    return "".join(parts)


def history_html(earlier: list[tuple[SubmissionRecord, Placement]]) -> str:
    if not earlier:
        return ""
    items = [
        escape(
            say(
                "result.earlier_item",
                date=format_date(record.submitted_at),
                level=placement.overall_label or say("result.not_placed"),
            )
        )
        for record, placement in earlier
    ]
    return f"<h3>{escape(say('result.earlier'))}</h3><ul>{_items(items)}</ul>"
