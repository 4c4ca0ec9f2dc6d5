"""The self-assessment as a notebook widget: who you are, consent, the questions, your result.

``self_assessment()`` is the one line a lesson calls; the Voila app builds ``AssessmentForm``
directly and may lay out its parts (``entry``, ``consent``, ``questions``, ``result``) itself.
The widgets only collect choices and show text. Every value that arrives from the browser is
re-checked with ``kit.core.scoring.check_answers`` before it is stored, placing a business is the
pure
scorer's job, and a form only ever reads the drafts and submissions of the business it was
opened for.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Mapping
from functools import cached_property
from html import escape
from typing import Any

import ipywidgets as widgets
from sqlalchemy.exc import SQLAlchemyError

from kit.charts.profile_svg import profile_description, profile_svg
from kit.core.definitions import Definitions
from kit.core.ids import NAME_MAX, check_business_id, check_business_name, check_workshop_code
from kit.core.messages import say
from kit.core.privacy import PrivacyNotice, load_privacy_notice
from kit.core.records import SubmissionRecord
from kit.core.scoring import Placement, check_answers, score_valid_answers
from kit.errors import KitError
from kit.forms import result_html
from kit.forms.areas import AreaQuestions
from kit.forms.entry import EntryFields, button_item, message_item, text_item
from kit.forms.page import PageHelper
from kit.store.database import Store

LOG = logging.getLogger(__name__)
# Silent reading of plain everyday prose runs at about 200 to 250 words a minute for adults; we
# take the slow end because every option has to be weighed against what the business does.
READING_WORDS_PER_MINUTE = 200

_FULL_WIDTH = widgets.Layout(width="100%")


def _classed(widget: widgets.DOMWidget, *names: str) -> widgets.DOMWidget:
    """Give a widget stable ``eakit-*`` CSS classes, which browser tests and themes rely on."""
    for name in names:
        widget.add_class(f"eakit-{name}")
    return widget


def _heading(text: str, level: int = 2) -> widgets.HTML:
    """A step's heading, focusable from script so keyboard focus can be moved to it."""
    return widgets.HTML(
        f"<h{level} class='eakit-step-heading' tabindex='-1'>{escape(text)}</h{level}>"
    )


def _problems_html(title: str, problems: list[str]) -> str:
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    listed = f"<ul>{items}</ul>" if items else ""
    return f"<div role='alert' class='eakit-alert'><p><b>{escape(title)}</b></p>{listed}</div>"


def _status_html(notes: list[str]) -> str:
    return "".join(f"<p role='status'>{escape(n)}</p>" for n in notes)


def reading_minutes(definitions: Definitions) -> int:
    """Minutes to read every question, its reason and its answers at a steady pace."""
    words = sum(
        len(text.split())
        for q in definitions.questions.values()
        for text in (q.text, q.why_it_matters, *(o.text for o in q.options))
    )
    return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))


def entry_problems(workshop: str, business_id: str, name: str) -> list[str]:
    """What is wrong with the entry fields, in the participant's words."""
    problems = []
    if not workshop:
        problems.append(say("entry.workshop_missing"))
    elif check_workshop_code(workshop):
        problems.append(say("entry.workshop_unusable"))
    if not business_id:
        problems.append(say("entry.business_missing"))
    elif check_business_id(business_id):
        problems.append(say("entry.business_unusable"))
    if len(name) > NAME_MAX:
        problems.append(say("entry.name_too_long", limit=NAME_MAX))
    elif check_business_name(name):
        problems.append(say("entry.name_one_line"))
    return problems


# --- the parts ---------------------------------------------------------------------------------


class EntryPanel:
    """Workshop code, business code and an optional display name, checked before anything.
    Enter in any field does what Start does; either sends the fields' values with it."""

    def __init__(self, workshop: str) -> None:
        self.fields = _classed(
            EntryFields(
                items=[
                    text_item(
                        "workshop",
                        say("entry.workshop_label"),
                        say("entry.workshop_placeholder"),
                        "workshop",
                    ),
                    text_item(
                        "business_id",
                        say("entry.business_label"),
                        say("entry.business_placeholder"),
                        "business-id",
                    ),
                    text_item(
                        "display_name",
                        say("entry.name_label"),
                        say("entry.name_placeholder"),
                        "display-name",
                    ),
                    message_item("entry-message"),
                    button_item("start", say("entry.start"), "start", primary=True),
                ],
                values={"workshop": workshop, "business_id": "", "display_name": ""},
            ),
            "entry-fields",
        )
        hint = widgets.HTML(f"<p>{escape(say('entry.hint'))}</p>")
        self.widget = _classed(
            widgets.VBox([_heading(say("entry.heading")), hint, self.fields]), "entry"
        )

    def offer(self, item: dict[str, Any], after: str) -> None:
        """Add a button (``kit.forms.entry.button_item``) right after the field ``after``."""
        items = list(self.fields.items)
        place = next(n for n, i in enumerate(items) if i["name"] == after)
        self.fields.items = [*items[: place + 1], item, *items[place + 1 :]]

    def show_message(self, html: str) -> None:
        """Show a message (already escaped HTML) above the Start button."""
        self.fields.message = html

    def read(self, values: Mapping[str, str]) -> tuple[str, str, str] | None:
        """The three values sent with Start, or None after showing why they cannot be used."""
        workshop = values.get("workshop", "").strip()
        business_id = values.get("business_id", "").strip()
        name = values.get("display_name", "").strip()
        problems = entry_problems(workshop, business_id, name)
        self.show_message(_problems_html(say("entry.check_title"), problems) if problems else "")
        return None if problems else (workshop, business_id, name)


class ConsentPanel:
    """The privacy notice and an explicit agreement, shown before the first question."""

    def __init__(self, notice: PrivacyNotice) -> None:
        self.notice = notice
        sections = "".join(
            f"<h3>{escape(s.heading)}</h3><p>{escape(s.text)}</p>" for s in notice.sections
        )
        version = say("consent.version", version=notice.version)
        self.text = _classed(
            widgets.HTML(
                f"<h2 class='eakit-step-heading' tabindex='-1'>{escape(notice.title)}</h2>"
                f"<p>{escape(notice.intro)}</p>{sections}"
                f"<p><i>{escape(notice.decline_note)}</i></p>"
                f"<p><small>{escape(version)}</small></p>"
            ),
            "consent-text",
        )
        self.agree = _classed(
            widgets.Checkbox(
                value=False, description=notice.agree_label, indent=False, layout=_FULL_WIDTH
            ),
            "consent-agree",
        )
        self.proceed = _classed(
            widgets.Button(
                description=say("consent.continue"), disabled=True, button_style="primary"
            ),
            "consent-continue",
        )
        self.agree.observe(
            lambda change: setattr(self.proceed, "disabled", not change["new"]), names="value"
        )
        self.widget = _classed(widgets.VBox([self.text, self.agree, self.proceed]), "consent")


class QuestionsPanel:
    """Every area as a button that opens its questions, and how many are answered.

    Each area is one widget (``kit.forms.areas.AreaQuestions``) that draws its questions the
    first time it is opened. ``values`` gathers what the browser reports, unchecked.
    """

    def __init__(
        self, definitions: Definitions, on_answer: Callable[[], None] = lambda: None
    ) -> None:
        self.definitions = definitions
        self.on_answer = on_answer
        self.values: dict[str, object] = {}
        self.flagged: set[str] = set()
        self.areas = [
            AreaQuestions(definitions.dimensions[dimension_id].name, questions)
            for dimension_id, questions in definitions.questions_by_dimension.items()
        ]
        self._area_of = {qid: area for area in self.areas for qid in area.question_ids}
        for area in self.areas:
            area.on_answers(self._on_values)
        self.progress_text = _classed(widgets.HTML(), "progress-text", "progress")
        self.notice = _classed(widgets.HTML(), "notice")
        intro = (
            f"<p>{escape(say('questions.time', minutes=reading_minutes(definitions)))}</p>"
            f"<p>{escape(definitions.questionnaire.intro)} "
            f"{escape(say('questions.how'))}</p>"
        )
        self.widget = _classed(
            widgets.VBox(
                [
                    _heading(say("questions.heading")),
                    widgets.HTML(intro),
                    self.notice,
                    self.progress_text,
                    _classed(widgets.VBox(self.areas), "areas"),
                ]
            ),
            "questions",
        )
        self._update_progress()

    @property
    def total(self) -> int:
        return len(self._area_of)

    @property
    def answered(self) -> int:
        return sum(qid in self.values for qid in self._area_of)

    def area_of(self, question_id: str) -> AreaQuestions:
        return self._area_of[question_id]

    def choose(self, question_id: str, value: object) -> None:
        """Pick an answer as the browser does: the area reports its values with this one."""
        area = self._area_of[question_id]
        area.report({**area.answers, question_id: value})

    def _on_values(self, area: AreaQuestions) -> None:
        for qid in area.question_ids:
            self.values.pop(qid, None)
        self.values.update(area.answers)
        self.flagged -= set(area.answers)
        if area.flagged:
            area.flagged = [qid for qid in area.flagged if qid not in area.answers]
        self._update_progress()
        self.on_answer()

    def answers(self) -> dict[str, object]:
        """What the participant has chosen, unchecked (the browser can send anything)."""
        return dict(self.values)

    def set_answers(self, answers: Mapping[str, str]) -> None:
        """Show saved answers; values the current questionnaire no longer offers are skipped."""
        kept = {
            qid: answers[qid]
            for qid, question in self.definitions.questions.items()
            if answers.get(qid) in question.allowed_answers
        }
        for area in self.areas:
            area.show_values(kept)
        self.values = dict(kept)
        self._update_progress()

    def missing(self) -> list[str]:
        """Unanswered question ids; their areas open and each is marked until answered."""
        unanswered = [qid for qid in self._area_of if qid not in self.values]
        self.flagged = set(unanswered)
        for area in self.areas:
            area.flagged = [qid for qid in area.question_ids if qid in self.flagged]
            if area.flagged:
                area.expanded = True
        return unanswered

    def focus_first_missing(self) -> None:
        first = next((qid for qid in self._area_of if qid in self.flagged), None)
        if first is not None:
            self._area_of[first].focus(first)

    def _update_progress(self) -> None:
        text = say("questions.progress", count=self.answered, total=self.total)
        self.progress_text.value = (
            f"<p class='eakit-progress-line'><progress max='{self.total}' "
            f"value='{self.answered}' aria-hidden='true'></progress> {escape(text)}</p>"
        )


def profile_html(placement: Placement) -> str:
    """The profile chart as inline SVG, read out as its description (the table below it says
    the same in rows). Drawn without Altair, so an app kernel never imports it."""
    return (
        f"<div class='eakit-chart-image' role='img' "
        f"aria-label='{escape(profile_description(placement))}'>{profile_svg(placement)}</div>"
    )


class ResultPanel:
    """The placement, most useful first: first steps, what happens next, each area's level as
    a chart (with its table as the text alternative), the reasons, earlier results."""

    def __init__(self) -> None:
        self.summary = _classed(widgets.HTML(), "result-summary")
        self.chart = _classed(widgets.HTML(), "chart")
        self.caption = _classed(widgets.HTML(), "chart-caption")
        self.table = _classed(widgets.HTML(), "levels")
        self.explanation = _classed(widgets.HTML(), "explanation")
        self.history = _classed(widgets.HTML(), "history")
        self.widget = _classed(
            widgets.VBox(
                [self.summary, self.caption, self.chart, self.table, self.explanation, self.history]
            ),
            "result",
        )

    def show(
        self,
        placement: Placement,
        earlier: list[tuple[SubmissionRecord, Placement]],
        business_id: str,
    ) -> None:
        self.summary.value = result_html.summary_html(placement, business_id)
        self.caption.value = result_html.chart_caption(placement)
        self.table.value = result_html.levels_table(placement)
        self.chart.value = profile_html(placement)
        self.explanation.value = result_html.details_html(placement)
        self.history.value = result_html.history_html(earlier)


# --- the whole form ----------------------------------------------------------------------------


class AssessmentForm(widgets.VBox):
    """Entry, consent, questions with autosave, submit, result: one stage shown at a time.

    Each new stage moves keyboard focus to its heading (and the page to its top), so a
    keyboard or screen-reader user is told where they are. Messages appear next to the button
    that caused them; information on arrival appears at the top of the questions.
    """

    def __init__(
        self,
        definitions: Definitions,
        store: Store,
        workshop: str = "course",
        business_id: str | None = None,
        display_name: str = "",
        notice: PrivacyNotice | None = None,
    ) -> None:
        super().__init__()
        self.uid = f"eakit-form-{uuid.uuid4().hex[:10]}"
        _classed(self, "assessment")
        self.add_class(self.uid)
        self.definitions = definitions
        self.store = store
        self.notice = notice or load_privacy_notice()
        self.workshop = workshop
        self.business_id: str | None = None
        self.display_name = display_name
        self.submission_key = f"form-{uuid.uuid4().hex}"
        self.record: SubmissionRecord | None = None
        self.placement: Placement | None = None
        self.stage = ""
        self.page = PageHelper()

        self.entry = EntryPanel(workshop)
        self.message = _classed(widgets.HTML(), "message")
        self.saved = _classed(widgets.HTML(), "saved")
        self.submit_button = _classed(
            widgets.Button(description=say("questions.submit"), button_style="success"), "submit"
        )
        self.entry.fields.on("start", lambda values: self._guarded(self._start_from_entry, values))
        self.submit_button.on_click(lambda _: self._guarded(self.submit))

        if business_id is None:
            self._show("entry")
        else:
            self.start(workshop, business_id, display_name)

    # the consent, the questions and the result are built the first time they are needed:
    # the entry screen is all a participant's browser has to draw at first

    @cached_property
    def consent(self) -> ConsentPanel:
        panel = ConsentPanel(self.notice)
        panel.proceed.on_click(lambda _: self._guarded(self.agree))
        return panel

    @cached_property
    def questions(self) -> QuestionsPanel:
        return QuestionsPanel(self.definitions, on_answer=self._on_answer)

    @cached_property
    def result(self) -> ResultPanel:
        return ResultPanel()

    def _guarded(self, action: Callable[..., object], *args: Any) -> None:
        """Run a button's action; if the store fails, say so in the form, not in a log only."""
        try:
            action(*args)
        except (KitError, SQLAlchemyError) as exc:
            LOG.warning("assessment form: %s", str(exc).splitlines()[0])
            self.submit_button.disabled = False
            self.message.value = _problems_html(say("questions.failed"), [])

    # stages

    def _stage_view(self, stage: str) -> list[widgets.Widget]:
        views: dict[str, Callable[[], list[widgets.Widget]]] = {
            "entry": lambda: [self.entry.widget],
            "consent": lambda: [self.consent.widget, self.message],
            "questions": lambda: [
                self.questions.widget,
                self.saved,
                self.message,
                self.submit_button,
            ],
            "result": lambda: [self.result.widget],
        }
        return views[stage]()

    def _show(self, stage: str) -> None:
        first = not self.stage
        self.stage = stage
        self.children = [self.page, *self._stage_view(stage)]
        if not first:
            self.page.focus(f".{self.uid} .eakit-step-heading")

    @property
    def _business(self) -> str:
        """The business the form was started for: every stage after the entry has one."""
        assert self.business_id is not None, "start() names the business first"
        return self.business_id

    def _start_from_entry(self, values: Mapping[str, str]) -> None:
        checked = self.entry.read(values)
        if checked:
            self.start(*checked)

    def start(self, workshop: str, business_id: str, display_name: str = "") -> None:
        """Open the form for one business: consent first unless this notice was agreed.
        Nothing is written before the participant agrees."""
        self.workshop, self.business_id, self.display_name = workshop, business_id, display_name
        agreed = self.store.consent(workshop, business_id)
        if agreed is None or agreed.privacy_version != self.notice.version:
            self.message.value = ""
            self._show("consent")
        else:
            self._open_questions()

    def agree(self) -> None:
        """Record consent (the checkbox is checked in the kernel too) and show the questions."""
        if not self.consent.agree.value:
            self.message.value = _problems_html(say("consent.tick_first"), [])
            return
        self.store.record_consent(self.workshop, self._business, self.notice.version)
        self._open_questions()

    def _open_questions(self) -> None:
        if self.display_name:
            self.store.ensure_business(self.workshop, self._business, self.display_name)
        draft = self.store.load_draft(self.workshop, self._business) or {}
        self.questions.set_answers(draft)
        earlier = self.store.history(self._business)
        notes = []
        if draft:
            notes.append(say("questions.welcome_back", count=len(draft)))
        if earlier:
            notes.append(
                say(
                    "questions.earlier",
                    count=len(earlier),
                    date=f"{earlier[-1].submitted_at:%Y-%m-%d}",
                )
            )
        self.questions.notice.value = _status_html(notes)
        self.message.value = ""
        self._show("questions")

    # answers

    def _on_answer(self) -> None:
        if self.stage == "questions":
            self._guarded(self.save_draft)

    def _checked_answers(self) -> dict[str, str] | None:
        raw = self.questions.answers()
        valid, problems = check_answers(self.definitions, raw)
        if problems:
            refused = [
                self.definitions.questions[q].text if q in self.definitions.questions else str(q)
                for q in raw
                if q not in valid and raw[q] not in (None, "")
            ]
            self.message.value = _problems_html(say("questions.refused"), refused)
            return None
        return valid

    def save_draft(self) -> bool:
        """Store the answers so far, only if every one of them is an allowed value."""
        valid = self._checked_answers()
        if valid is None:
            return False
        self.store.save_draft(self.workshop, self._business, valid)
        self.saved.value = (
            f"<p><small>{escape(say('questions.saved', count=len(valid)))}</small></p>"
        )
        if self.message.value and not self.questions.flagged:
            self.message.value = ""
        return True

    def submit(self) -> SubmissionRecord | None:
        """Check, store once (a second click returns the same row) and show the result."""
        valid = self._checked_answers()
        if valid is None:
            return None
        missing = self.questions.missing()
        if missing:
            self.message.value = _problems_html(say("questions.missing", count=len(missing)), [])
            self.questions.focus_first_missing()
            return None
        self.submit_button.disabled = True
        self.record = self.store.submit(self.workshop, self._business, valid, self.submission_key)
        self.placement = score_valid_answers(self.definitions, self.record.answers)
        earlier = [
            (r, score_valid_answers(self.definitions, r.answers))
            for r in self.store.history(self._business)
            if r.id != self.record.id
        ]
        self.result.show(self.placement, earlier, self._business)
        self.message.value = ""
        self._show("result")
        return self.record


def self_assessment(
    workshop: str = "course",
    business_id: str | None = None,
    store: Store | None = None,
    definitions: Definitions | None = None,
) -> AssessmentForm:
    """The self-assessment for a lesson notebook: ``self_assessment()`` and answer away.

    Answers go to the store ``EAKIT_DATABASE_URL`` names (else ``eakit.sqlite`` next to the
    notebook), so closing the notebook and running the cell again carries on where you left.
    """
    store = store or Store.open(definitions=definitions)
    return AssessmentForm(definitions or store.definitions, store, workshop, business_id)
