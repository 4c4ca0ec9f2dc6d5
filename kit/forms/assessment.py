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

import uuid
from collections.abc import Callable, Mapping
from functools import cached_property
from html import escape

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle
from sqlalchemy.exc import SQLAlchemyError

from kit.charts.profile_svg import profile_svg
from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions, Question
from kit.core.explain import HUMANS_DECIDE, dimension_paragraph, dimension_status, overall_sentence
from kit.core.ids import check_business_id, check_business_name, check_workshop_code
from kit.core.privacy import PrivacyNotice, load_privacy_notice
from kit.core.records import SubmissionRecord
from kit.core.scoring import TOP_LEVEL, Placement, check_answers, score_valid_answers
from kit.errors import KitError
from kit.store.database import Store

SPECIAL_LABELS = {DONT_KNOW: "Don't know", NOT_APPLICABLE: "Not applicable to my business"}
_FULL_WIDTH = widgets.Layout(width="100%")


def _classed(widget: widgets.DOMWidget, *names: str) -> widgets.DOMWidget:
    """Give a widget stable ``eakit-*`` CSS classes, which browser tests and themes rely on."""
    for name in names:
        widget.add_class(f"eakit-{name}")
    return widget


def _problems_html(title: str, problems: list[str]) -> str:
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    return f"<div role='alert'><b>{escape(title)}</b><ul>{items}</ul></div>"


# --- the parts ---------------------------------------------------------------------------------

class EntryPanel:
    """Workshop code, business code and an optional display name, checked before anything."""

    def __init__(self, workshop: str) -> None:
        self.workshop = _classed(widgets.Text(value=workshop, description="Workshop"),
                                 "workshop")
        self.business_id = _classed(widgets.Text(placeholder="e.g. smb-014",
                                                 description="Business code"), "business-id")
        self.display_name = _classed(widgets.Text(placeholder="optional",
                                                  description="Shown as"), "display-name")
        self.start = _classed(widgets.Button(description="Start", button_style="primary"),
                              "start")
        self.message = _classed(widgets.HTML(), "entry-message")
        hint = widgets.HTML("<p>Use the business code your trainer gave you. The same code "
                            "later lets you carry on or compare a new assessment with this "
                            "one.</p>")
        self.widget = _classed(widgets.VBox([hint, self.workshop, self.business_id,
                                             self.display_name, self.start, self.message]),
                               "entry")

    def read(self) -> tuple[str, str, str] | None:
        """The three values, or None after showing why they cannot be used."""
        workshop = self.workshop.value.strip()
        business_id = self.business_id.value.strip()
        name = self.display_name.value.strip()
        problems = [p for p in (check_workshop_code(workshop), check_business_id(business_id),
                                check_business_name(name)) if p]
        self.message.value = _problems_html("Please check:", problems) if problems else ""
        return None if problems else (workshop, business_id, name)


class ConsentPanel:
    """The privacy notice and an explicit agreement, shown before the first question."""

    def __init__(self, notice: PrivacyNotice) -> None:
        self.notice = notice
        sections = "".join(f"<h4>{escape(s.heading)}</h4><p>{escape(s.text)}</p>"
                           for s in notice.sections)
        self.text = _classed(widgets.HTML(
            f"<h3>{escape(notice.title)}</h3><p>{escape(notice.intro)}</p>{sections}"
            f"<p><i>{escape(notice.decline_note)}</i></p>"
            f"<p><small>Notice version {escape(notice.version)}</small></p>"), "consent-text")
        self.agree = _classed(widgets.Checkbox(value=False, description=notice.agree_label,
                                               indent=False, layout=_FULL_WIDTH),
                              "consent-agree")
        self.proceed = _classed(widgets.Button(description="Continue", disabled=True,
                                               button_style="primary"), "consent-continue")
        self.agree.observe(lambda change: setattr(self.proceed, "disabled", not change["new"]),
                           names="value")
        self.widget = _classed(widgets.VBox([self.text, self.agree, self.proceed]), "consent")


class QuestionsPanel:
    """One accordion section per area, a progress bar, and every answer a question allows.

    An area's questions become widgets only when the participant opens it: a phone then receives
    a dozen widget models with the form instead of several hundred, and a kernel builds only what
    is looked at. The answers themselves live in ``values``, so nothing depends on which areas
    have been opened. Each question is two widgets (its text and its choices) in a box, sharing
    one layout and one style, because every model costs a message and a view in the browser.
    """

    def __init__(self, definitions: Definitions,
                 on_answer: Callable[[], None] = lambda: None) -> None:
        self.definitions = definitions
        self.on_answer = on_answer
        self.values: dict[str, str] = {}
        self.choices: dict[str, widgets.RadioButtons] = {}  # the areas opened so far
        self.boxes: dict[str, widgets.VBox] = {}
        self.flagged: set[str] = set()
        self.areas = list(definitions.questions_by_dimension.values())
        self.titles = [definitions.dimensions[d].name for d in definitions.questions_by_dimension]
        self._area_of = {q.id: index for index, questions in enumerate(self.areas)
                         for q in questions}
        self._restoring = False
        self._shared = {"layout": widgets.Layout(), "style": HTMLStyle(),
                        "choice_layout": widgets.Layout(width="100%"),
                        "choice_style": DescriptionStyle()}
        self.accordion = _classed(widgets.Accordion(
            children=[widgets.VBox(layout=self._shared["layout"]) for _ in self.areas],
            titles=tuple(self.titles), selected_index=None), "areas")
        self.accordion.observe(self._on_open, names="selected_index")
        self.progress = _classed(widgets.IntProgress(value=0, min=0,
                                                     max=len(self._area_of),
                                                     description="Answered"), "progress")
        self.progress_text = _classed(widgets.HTML(), "progress-text")
        self.widget = _classed(widgets.VBox([
            widgets.HTML(f"<p>{escape(definitions.questionnaire.intro)} Every question needs an "
                         "answer (marked *); \"Don't know\" is always a valid one.</p>"),
            widgets.HBox([self.progress, self.progress_text]), self.accordion]), "questions")
        self._update_progress()

    # building an area when it is opened

    def _on_open(self, change: dict) -> None:
        if change["new"] is not None:
            self.build_area(change["new"])

    def build_area(self, index: int) -> None:
        """Make the widgets of one area (once), showing the answers and flags it already has."""
        section = self.accordion.children[index]
        if not section.children:
            section.children = [self._question(q) for q in self.areas[index]]

    def choice(self, question_id: str) -> widgets.RadioButtons:
        """The choices of one question, building its area first if it was never opened."""
        self.build_area(self._area_of[question_id])
        return self.choices[question_id]

    def _question(self, question: Question) -> widgets.VBox:
        options = [(o.text, o.id) for o in question.options]
        options += [(SPECIAL_LABELS[a], a) for a in question.allowed_answers
                    if a in SPECIAL_LABELS]
        shared = self._shared
        self._restoring = True
        try:
            choice = _classed(widgets.RadioButtons(
                options=options, value=self.values.get(question.id),
                layout=shared["choice_layout"], style=shared["choice_style"]), "answer")
        finally:
            self._restoring = False
        label = widgets.HTML(f"<b>{escape(question.text)}</b> "
                             "<span class='eakit-required' title='required'>*</span>"
                             f"<br><small>{escape(question.why_it_matters)}</small>",
                             layout=shared["layout"], style=shared["style"])
        box = _classed(widgets.VBox([label, choice], layout=shared["layout"]), "question",
                       f"q-{question.id}")
        if question.id in self.flagged:
            box.add_class("eakit-missing")
        choice.observe(lambda change, qid=question.id: self._on_choice(qid, change["new"]),
                       names="value")
        self.choices[question.id] = choice
        self.boxes[question.id] = box
        return box

    # answers

    def _on_choice(self, question_id: str, value: str | None) -> None:
        if value is None:
            self.values.pop(question_id, None)
        else:
            self.values[question_id] = value
        self._update_progress(self._area_of[question_id])
        if not self._restoring:
            self.on_answer()

    def answers(self) -> dict[str, object]:
        """What the participant has chosen, unchecked (the browser can send anything)."""
        return dict(self.values)

    def set_answers(self, answers: Mapping[str, str]) -> None:
        """Show saved answers; values the current questionnaire no longer offers are skipped."""
        self.values = {qid: answers[qid] for qid, question in self.definitions.questions.items()
                       if answers.get(qid) in question.allowed_answers}
        self._restoring = True
        try:
            for question_id, choice in self.choices.items():
                choice.value = self.values.get(question_id)
        finally:
            self._restoring = False
        self._update_progress()

    def missing(self) -> list[str]:
        """Unanswered question ids, each flagged in the form until it is answered."""
        unanswered = [qid for qid in self._area_of if qid not in self.values]
        self.flagged = set(unanswered)
        for qid, box in self.boxes.items():
            if qid in self.flagged:
                box.add_class("eakit-missing")
            else:
                box.remove_class("eakit-missing")
        return unanswered

    def _update_progress(self, area: int | None = None) -> None:
        answered = len(self.values)
        self.progress.value = answered
        self.progress_text.value = f"{answered} of {self.progress.max} answered"
        for qid in self.flagged & set(self.values):
            self.flagged.discard(qid)
            if qid in self.boxes:
                self.boxes[qid].remove_class("eakit-missing")
        titles = list(self.accordion.titles)
        for index in range(len(self.areas)) if area is None else [area]:
            questions = self.areas[index]
            done = sum(q.id in self.values for q in questions)
            titles[index] = f"{self.titles[index]} ({done}/{len(questions)})"
        self.accordion.titles = tuple(titles)


class ResultPanel:
    """The placement: overall and per-area levels, the profile chart, the explanation and the
    actions that lead to the next level, plus earlier results of the same business."""

    def __init__(self) -> None:
        self.summary = _classed(widgets.HTML(), "result-summary")
        self.chart = _classed(widgets.HTML(), "chart")
        self.explanation = _classed(widgets.HTML(), "explanation")
        self.history = _classed(widgets.HTML(), "history")
        self.widget = _classed(widgets.VBox([self.summary, self.chart, self.explanation,
                                             self.history]), "result")

    def show(self, placement: Placement, earlier: list[tuple[SubmissionRecord, Placement]]) -> None:
        rows = "".join(f"<tr><td>{escape(d.name)}</td>"
                       f"<td>{escape(dimension_status(placement, d))}</td></tr>"
                       for d in placement.dimensions)
        self.summary.value = (f"<h3>Your result</h3><p>{escape(overall_sentence(placement))}</p>"
                              f"<table><tr><th>Area</th><th>Level</th></tr>{rows}</table>")
        self.chart.value = profile_svg(placement)
        self.explanation.value = _next_steps_html(placement)
        self.history.value = _history_html(earlier)


def _next_steps_html(placement: Placement) -> str:
    focus = placement.focus or [d.dimension_id for d in placement.dimensions
                                if d.status == "placed" and d.level < TOP_LEVEL]
    parts = ["<h4>Where to start</h4>"] if focus else []
    for dimension_id in focus:
        lines = dimension_paragraph(placement, placement.dimension(dimension_id))
        parts.append("<pre style='white-space: pre-wrap'>"
                     + escape("\n".join(lines)) + "</pre>")
    parts.append(f"<p><i>{escape(HUMANS_DECIDE)}</i></p>")
    return "".join(parts)


def _history_html(earlier: list[tuple[SubmissionRecord, Placement]]) -> str:
    if not earlier:
        return ""
    items = "".join(
        f"<li>{record.submitted_at:%Y-%m-%d}: "
        f"{escape(placement.overall_label or 'not placed')}</li>"
        for record, placement in earlier)
    return f"<h4>Your earlier assessments</h4><ul>{items}</ul>"


# --- the whole form ----------------------------------------------------------------------------

# What each stage shows; a part is built the first time its stage is reached.
STAGE_VIEWS: dict[str, Callable[[AssessmentForm], widgets.Widget]] = {
    "entry": lambda form: form.entry.widget,
    "consent": lambda form: form.consent.widget,
    "questions": lambda form: form.form,
    "result": lambda form: form.result.widget,
}


class AssessmentForm(widgets.VBox):
    """Entry, consent, questions with autosave, submit, result: one stage shown at a time."""

    def __init__(self, definitions: Definitions, store: Store, workshop: str = "course",
                 business_id: str | None = None, display_name: str = "",
                 notice: PrivacyNotice | None = None) -> None:
        super().__init__()
        _classed(self, "assessment")
        self.definitions = definitions
        self.store = store
        self.notice = notice or load_privacy_notice()
        self.workshop = workshop
        self.business_id: str | None = None
        self.display_name = display_name
        self.submission_key = f"form-{uuid.uuid4().hex}"
        self.record: SubmissionRecord | None = None
        self.placement: Placement | None = None
        self.stage = "entry"

        self.entry = EntryPanel(workshop)
        self.message = _classed(widgets.HTML(), "message")
        self.saved = _classed(widgets.HTML(), "saved")
        self.submit_button = _classed(widgets.Button(description="Submit my answers",
                                                     button_style="success"), "submit")
        self.entry.start.on_click(lambda _: self._guarded(self._start_from_entry))
        self.submit_button.on_click(lambda _: self._guarded(self.submit))

        if business_id is None:
            self._show("entry")
        else:
            self.start(workshop, business_id, display_name)

    # the consent and the questions are built the first time they are needed: the entry screen
    # is all a participant's browser has to draw at first

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

    @cached_property
    def form(self) -> widgets.VBox:
        return widgets.VBox([self.questions.widget, self.saved, self.submit_button])

    def _guarded(self, action: Callable[[], object]) -> None:
        """Run a button's action; if the store fails, say so in the form, not in a log."""
        try:
            action()
        except (KitError, SQLAlchemyError) as exc:
            self.submit_button.disabled = False
            self.message.value = _problems_html(
                "That did not work; your answers are still in the form, please try again:",
                [str(exc).splitlines()[0]])

    # stages

    def _show(self, stage: str) -> None:
        self.stage = stage
        self.children = [STAGE_VIEWS[stage](self), self.message]

    def _start_from_entry(self) -> None:
        values = self.entry.read()
        if values:
            self.start(*values)

    def start(self, workshop: str, business_id: str, display_name: str = "") -> None:
        """Open the form for one business: consent first unless this notice was agreed.
        Nothing is written before the participant agrees."""
        self.workshop, self.business_id, self.display_name = workshop, business_id, display_name
        agreed = self.store.consent(workshop, business_id)
        if agreed is None or agreed.privacy_version != self.notice.version:
            self._show("consent")
        else:
            self._open_questions()

    def agree(self) -> None:
        """Record consent (the checkbox is checked in the kernel too) and show the questions."""
        if not self.consent.agree.value:
            self.message.value = _problems_html("Please tick the box first.", [])
            return
        self.store.record_consent(self.workshop, self.business_id, self.notice.version)
        self._open_questions()

    def _open_questions(self) -> None:
        if self.display_name:
            self.store.ensure_business(self.workshop, self.business_id, self.display_name)
        draft = self.store.load_draft(self.workshop, self.business_id) or {}
        self.questions.set_answers(draft)
        earlier = self.store.history(self.business_id)
        notes = []
        if draft:
            notes.append(f"Welcome back: {len(draft)} saved answer(s) restored.")
        if earlier:
            notes.append(f"You submitted {len(earlier)} time(s) before (last on "
                         f"{earlier[-1].submitted_at:%Y-%m-%d}); those results are kept, and "
                         "this assessment will be added next to them.")
        self.message.value = "".join(f"<p>{escape(n)}</p>" for n in notes)
        self._show("questions")

    # answers

    def _on_answer(self) -> None:
        if self.stage == "questions":
            self._guarded(self.save_draft)

    def _checked_answers(self) -> dict[str, str] | None:
        valid, problems = check_answers(self.definitions, self.questions.answers())
        if problems:
            self.message.value = _problems_html("These answers were refused:", problems)
            return None
        return valid

    def save_draft(self) -> bool:
        """Store the answers so far, only if every one of them is an allowed value."""
        valid = self._checked_answers()
        if valid is None:
            return False
        self.store.save_draft(self.workshop, self.business_id, valid)
        self.saved.value = f"<small>Draft saved ({len(valid)} answer(s)).</small>"
        return True

    def submit(self) -> SubmissionRecord | None:
        """Check, store once (a second click returns the same row) and show the result."""
        valid = self._checked_answers()
        if valid is None:
            return None
        missing = self.questions.missing()
        if missing:
            texts = [self.definitions.questions[qid].text for qid in missing]
            self.message.value = _problems_html(
                f"{len(missing)} question(s) still need an answer (\"Don't know\" is fine):",
                texts)
            return None
        self.submit_button.disabled = True
        self.record = self.store.submit(self.workshop, self.business_id, valid,
                                        self.submission_key)
        self.placement = score_valid_answers(self.definitions, self.record.answers)
        earlier = [(r, score_valid_answers(self.definitions, r.answers))
                   for r in self.store.history(self.business_id) if r.id != self.record.id]
        self.result.show(self.placement, earlier)
        self.message.value = ""
        self._show("result")
        return self.record


def self_assessment(workshop: str = "course", business_id: str | None = None,
                    store: Store | None = None,
                    definitions: Definitions | None = None) -> AssessmentForm:
    """The self-assessment for a lesson notebook: ``self_assessment()`` and answer away.

    Answers go to the store ``EAKIT_DATABASE_URL`` names (else ``eakit.sqlite`` next to the
    notebook), so closing the notebook and running the cell again carries on where you left.
    """
    store = store or Store.open(definitions=definitions)
    return AssessmentForm(definitions or store.definitions, store, workshop, business_id)
