"""The self-assessment as a notebook widget: who you are, consent, the questions, your result.

``self_assessment()`` is the one line a lesson calls; the Voila app builds ``AssessmentForm``
directly and may lay out its parts (``entry``, ``consent``, ``questions``, ``result``,
``targets``) itself. The widgets only collect choices and show text. Every value that arrives
from the browser is re-checked (``kit.core.scoring.check_answers``, ``kit.core.evidence``)
before it is stored, placing a business is the pure scorer's job, and a form only ever reads
the drafts and submissions of the business it was opened for.
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
from kit.core.evidence import as_note, check_link, check_note, check_notes
from kit.core.language import LANGUAGES, current_language, format_date, language, set_language
from kit.core.messages import say
from kit.core.privacy import PrivacyNotice, load_privacy_notice
from kit.core.records import AnswerNote, SubmissionRecord
from kit.core.scoring import Placement, check_answers, score_valid_answers
from kit.core.translations import localize, localize_notice
from kit.core.versions import carry_draft
from kit.errors import AnswerError, KitError
from kit.forms import result_html
from kit.forms.areas import AreaQuestions
from kit.forms.entry import Entry, EntryPanel
from kit.forms.page import PageHelper
from kit.forms.parts import FULL_WIDTH, classed, heading, problems_html, status_html
from kit.forms.targets import TargetsPanel
from kit.store.database import Store

LOG = logging.getLogger(__name__)
# Silent reading of plain everyday prose runs at about 200 to 250 words a minute for adults; we
# take the slow end because every option has to be weighed against what the business does.
READING_WORDS_PER_MINUTE = 200


def reading_minutes(definitions: Definitions) -> int:
    """Minutes to read every question, its reason and its answers at a steady pace."""
    words = sum(
        len(text.split())
        for q in definitions.questions.values()
        for text in (q.text, q.why_it_matters, *(o.text for o in q.options))
    )
    return max(1, math.ceil(words / READING_WORDS_PER_MINUTE))


# --- the parts ---------------------------------------------------------------------------------


class ConsentPanel:
    """The privacy notice and an explicit agreement, shown before the first question."""

    def __init__(self, notice: PrivacyNotice) -> None:
        self.notice = notice
        sections = "".join(
            f"<h3>{escape(s.heading)}</h3><p>{escape(s.text)}</p>" for s in notice.sections
        )
        version = say("consent.version", version=notice.version)
        self.text = classed(
            widgets.HTML(
                f"<h2 class='eakit-step-heading' tabindex='-1'>{escape(notice.title)}</h2>"
                f"<p>{escape(notice.intro)}</p>{sections}"
                f"<p><i>{escape(notice.decline_note)}</i></p>"
                f"<p><small>{escape(version)}</small></p>"
            ),
            "consent-text",
        )
        self.agree = classed(
            widgets.Checkbox(
                value=False, description=notice.agree_label, indent=False, layout=FULL_WIDTH
            ),
            "consent-agree",
        )
        self.proceed = classed(
            widgets.Button(
                description=say("consent.continue"), disabled=True, button_style="primary"
            ),
            "consent-continue",
        )
        self.agree.observe(
            lambda change: setattr(self.proceed, "disabled", not change["new"]), names="value"
        )
        self.widget = classed(widgets.VBox([self.text, self.agree, self.proceed]), "consent")


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
        self.notes: dict[str, object] = {}  # question id -> note and link, unchecked
        self.flagged: set[str] = set()
        self.areas = [
            AreaQuestions(definitions.dimensions[dimension_id].name, questions)
            for dimension_id, questions in definitions.questions_by_dimension.items()
        ]
        self._area_of = {qid: area for area in self.areas for qid in area.question_ids}
        for area in self.areas:
            area.on_answers(self._on_values)
        self.progress_text = classed(widgets.HTML(), "progress-text", "progress")
        self.notice = classed(widgets.HTML(), "notice")
        intro = (
            f"<p>{escape(say('questions.time', minutes=reading_minutes(definitions)))}</p>"
            f"<p>{escape(definitions.questionnaire.intro)} "
            f"{escape(say('questions.how'))}</p>"
        )
        self.widget = classed(
            widgets.VBox(
                [
                    heading(say("questions.heading")),
                    widgets.HTML(intro),
                    self.notice,
                    self.progress_text,
                    classed(widgets.VBox(self.areas), "areas"),
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

    def write_note(self, question_id: str, note: str = "", link: str = "") -> None:
        """Type a note and link as the browser does: the area reports them with its answers."""
        area = self._area_of[question_id]
        area.report(area.answers, {**area.typed_notes, question_id: {"note": note, "link": link}})

    def _on_values(self, area: AreaQuestions) -> None:
        for qid in area.question_ids:
            self.values.pop(qid, None)
            self.notes.pop(qid, None)
        self.values.update(area.answers)
        self.notes.update(area.typed_notes)
        problems = self.note_problems(area.typed_notes)
        if problems != area.note_problems:
            area.note_problems = problems
        self.flagged -= set(area.answers)
        if area.flagged:
            area.flagged = [qid for qid in area.flagged if qid not in area.answers]
        self._update_progress()
        self.on_answer()

    def answers(self) -> dict[str, object]:
        """What the participant has chosen, unchecked (the browser can send anything)."""
        return dict(self.values)

    def note_problems(self, notes: Mapping[str, object]) -> dict[str, str]:
        """Why each refused note or link cannot be kept, by question id."""
        problems = {}
        for qid, raw in notes.items():
            given = as_note(raw) if isinstance(raw, (dict, str)) else AnswerNote()
            problem = check_note(given.note.strip()) or check_link(given.link.strip())
            if problem:
                problems[qid] = problem
        return problems

    def checked_notes(self) -> dict[str, AnswerNote]:
        """The notes and links that can be kept (a bad link keeps its good note)."""
        usable = {q: n for q, n in self.notes.items() if isinstance(n, (dict, str))}
        return check_notes(self.definitions, usable)[0]

    def set_answers(
        self, answers: Mapping[str, str], notes: Mapping[str, AnswerNote] | None = None
    ) -> None:
        """Show saved answers and notes; values the questionnaire no longer offers are
        skipped."""
        kept = {
            qid: answers[qid]
            for qid, question in self.definitions.questions.items()
            if answers.get(qid) in question.allowed_answers
        }
        notes = {qid: note for qid, note in (notes or {}).items() if qid in self._area_of}
        for area in self.areas:
            area.show_values(kept, notes)
        self.values = dict(kept)
        self.notes = {qid: note.to_dict() for qid, note in notes.items()}
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

    def focus_first_note_problem(self) -> bool:
        """Open and focus the first question whose note or link needs a change, if any."""
        problems = self.note_problems(self.notes)
        first = next((qid for qid in self._area_of if qid in problems), None)
        if first is not None:
            self._area_of[first].focus(first)
        return first is not None

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
        self.summary = classed(widgets.HTML(), "result-summary")
        self.team = classed(widgets.HTML(), "team-note")
        self.chart = classed(widgets.HTML(), "chart")
        self.caption = classed(widgets.HTML(), "chart-caption")
        self.table = classed(widgets.HTML(), "levels")
        self.explanation = classed(widgets.HTML(), "explanation")
        self.history = classed(widgets.HTML(), "history")
        self.widget = classed(
            widgets.VBox(
                [
                    self.summary,
                    self.team,
                    self.caption,
                    self.chart,
                    self.table,
                    self.explanation,
                    self.history,
                ]
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


class LanguagePicker:
    """The languages the kit has, each named in itself, for a participant to switch at any
    stage (what was ticked or answered stays)."""

    def __init__(self, on_change: Callable[[str], None]) -> None:
        here = current_language()
        codes = list(LANGUAGES) + ([here] if here not in LANGUAGES else [])
        self.widget = classed(
            widgets.ToggleButtons(
                options=[(language(code).name, code) for code in codes],
                value=here,
                description=say("language.label"),
            ),
            "language",
        )
        self.widget.observe(lambda change: on_change(change["new"]), names="value")

    def relabel(self) -> None:
        self.widget.description = say("language.label")


class AssessmentForm(widgets.VBox):
    """Entry, consent, questions with autosave, submit, result and targets: one stage shown
    at a time.

    Each new stage moves keyboard focus to its heading (and the page to its top), so a
    keyboard or screen-reader user is told where they are. Messages appear next to the button
    that caused them; information on arrival appears at the top of the questions. When several
    people answer for one business, each starts with their own respondent code and role and
    has their own draft; a business answered by one person leaves both empty, as before.
    """

    def __init__(
        self,
        definitions: Definitions,
        store: Store,
        workshop: str = "course",
        business_id: str | None = None,
        display_name: str = "",
        notice: PrivacyNotice | None = None,
        *,
        respondent: str = "",
        role: str = "",
        language: str | None = None,
    ) -> None:
        super().__init__()
        if language is not None:
            set_language(language)
        self.uid = f"eakit-form-{uuid.uuid4().hex[:10]}"
        classed(self, "assessment")
        self.add_class(self.uid)
        self.sources = (definitions, notice or load_privacy_notice())
        self.definitions = localize(definitions, current_language())
        self.notice = localize_notice(self.sources[1], current_language())
        self.store = store
        self.workshop = workshop
        self.business_id: str | None = None
        self.display_name = display_name
        self.respondent, self.role = respondent, role
        self.submission_key = f"form-{uuid.uuid4().hex}"
        self.record: SubmissionRecord | None = None
        self.placement: Placement | None = None
        self.stage = ""
        self.page = PageHelper()
        self.language = LanguagePicker(self.switch_language)

        self.entry = self._build_entry()
        self.message = classed(widgets.HTML(), "message")
        self.saved = classed(widgets.HTML(), "saved")
        self.submit_button = classed(
            widgets.Button(description=say("questions.submit"), button_style="success"), "submit"
        )
        self.submit_button.on_click(lambda _: self._guarded(self.submit))

        if business_id is None:
            self._show("entry")
        else:
            self.start(Entry(workshop, business_id, display_name, respondent, role))

    def _build_entry(self, values: Mapping[str, str] | None = None) -> EntryPanel:
        """The entry step, filled with ``values`` (what the kernel last had: a language switch
        builds it again)."""
        entry = EntryPanel(self.definitions, self.workshop)
        if values:
            entry.fields.fill(**values)
        entry.fields.on("start", lambda sent: self._guarded(self._start_from_entry, sent))
        return entry

    def switch_language(self, code: str) -> None:
        """Show every text in ``code`` from now on, keeping what the participant ticked and
        answered (at the entry, the codes the kernel has: typing reaches it with Start); the
        business keeps the language for its reports."""
        set_language(code)
        definitions, notice = self.sources
        self.definitions = localize(definitions, code)
        self.notice = localize_notice(notice, code)
        if self.business_id is not None:
            self.store.set_language(self.business_id, code)
        self.entry = self._build_entry(self.entry.fields.values)
        built = ("consent", "questions", "result", "targets")
        state = {name: self.__dict__.pop(name) for name in built if name in self.__dict__}
        if "consent" in state:
            self.consent.agree.value = state["consent"].agree.value
        if "questions" in state:
            answers = check_answers(self.definitions, state["questions"].answers())[0]
            self.questions.set_answers(answers, state["questions"].checked_notes())
        if self.record is not None:
            self._show_result(self.record)
        self.language.relabel()
        self.submit_button.description = say("questions.submit")
        self.message.value = self.saved.value = ""
        self._show(self.stage)

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

    @cached_property
    def targets(self) -> TargetsPanel:
        return TargetsPanel(self.definitions, self.store)

    def _guarded(self, action: Callable[..., object], *args: Any) -> None:
        """Run a button's action; if the store fails, say so in the form, not in a log only.
        A refusal the store explains (``AnswerError``) is shown in its own words."""
        try:
            action(*args)
        except AnswerError as exc:
            self.submit_button.disabled = False
            self.message.value = problems_html(say("questions.refused_by_store"), exc.problems)
        except (KitError, SQLAlchemyError) as exc:
            LOG.warning("assessment form: %s", str(exc).splitlines()[0])
            self.submit_button.disabled = False
            self.message.value = problems_html(say("questions.failed"), [])

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
            "result": lambda: [self.result.widget, self.targets.widget],
        }
        return views[stage]()

    def _show(self, stage: str) -> None:
        first = not self.stage
        self.stage = stage
        self.children = [self.page, self.language.widget, *self._stage_view(stage)]
        if not first:
            self.page.focus(f".{self.uid} .eakit-step-heading")

    @property
    def _business(self) -> str:
        """The business the form was started for: every stage after the entry has one."""
        assert self.business_id is not None, "start() names the business first"
        return self.business_id

    def _start_from_entry(self, values: Mapping[str, str]) -> None:
        entry = self.entry.read(values)
        if entry:
            self.start(entry)

    def start(self, entry: Entry) -> None:
        """Open the form for one business (and respondent): consent first unless this notice
        was agreed. Nothing is written before the participant agrees."""
        self.workshop, self.business_id, self.display_name = entry[:3]
        self.respondent, self.role = entry.respondent, entry.role
        if self._needs_notice():
            self.message.value = ""
            self._show("consent")
        elif self._join():
            self._open_questions()

    def _needs_notice(self) -> bool:
        """Whether to show the privacy notice: the business has not agreed to this version,
        or a person joining it under their own code has not answered yet (each reads it)."""
        agreed = self.store.consent(self.workshop, self._business)
        if agreed is None or agreed.privacy_version != self.notice.version:
            return True
        if not self.respondent:
            return False
        mine = self.store.load_draft(self.workshop, self._business, respondent=self.respondent)
        return mine is None and not self._own(self.store.history(self._business))

    def _join(self) -> bool:
        """Join a respondent to the business; if the store refuses (a code that is a business
        code, or already answers for another business, or the business is being answered in
        another workshop), go back to the entry with its reasons and the fields as typed."""
        if not self.respondent:
            return True
        try:
            self.store.join_respondent(self.workshop, self._business, self.respondent, self.role)
        except AnswerError as exc:
            typed = Entry(
                self.workshop, self._business, self.display_name, self.respondent, self.role
            )
            self.entry.refuse(exc.problems, typed._asdict())
            self._show("entry")
            return False
        return True

    def agree(self) -> None:
        """Record consent (the checkbox is checked in the kernel too) and show the questions."""
        if not self.consent.agree.value:
            self.message.value = problems_html(say("consent.tick_first"), [])
            return
        if not self._join():
            return
        self.store.record_consent(self.workshop, self._business, self.notice.version)
        self._open_questions()

    def _own(self, records: list[SubmissionRecord]) -> list[SubmissionRecord]:
        """This respondent's submissions (a business answered by one person: all of them)."""
        return [r for r in records if r.respondent == self.respondent]

    def _open_questions(self) -> None:
        self.store.set_language(self._business, current_language())
        if self.display_name:
            self.store.ensure_business(self.workshop, self._business, self.display_name)
        mine = {"respondent": self.respondent}
        carried = carry_draft(
            self.definitions,
            self.store.load_draft(self.workshop, self._business, **mine) or {},
            self.store.draft_version(self.workshop, self._business, **mine),
        )
        draft = carried.answers
        notes = self.store.load_draft_notes(self.workshop, self._business, **mine)
        # A note on a question an earlier version had and this one lacks stays in the draft
        # until it is saved again, but has no question to sit next to.
        notes = {q: note for q, note in notes.items() if q in self.definitions.questions}
        self.questions.set_answers(draft, notes)
        earlier = self._own(self.store.history(self._business))
        notes_shown = []
        if draft:
            notes_shown.append(say("questions.welcome_back", count=len(draft)))
        if carried.moved:
            notes_shown.append(say("versions.carried_forward", version=carried.from_version))
        if earlier:
            notes_shown.append(
                say(
                    "questions.earlier",
                    count=len(earlier),
                    date=format_date(earlier[-1].submitted_at),
                )
            )
        self.questions.notice.value = status_html(notes_shown)
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
            self.message.value = problems_html(say("questions.refused"), refused)
            return None
        return valid

    def save_draft(self) -> bool:
        """Store the answers so far, only if every one of them is an allowed value, with the
        notes that can be kept (a refused note is shown beside its question, still typed)."""
        valid = self._checked_answers()
        if valid is None:
            return False
        self.store.save_draft(
            self.workshop,
            self._business,
            valid,
            respondent=self.respondent,
            notes=self.questions.checked_notes(),
        )
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
            self.message.value = problems_html(say("questions.missing", count=len(missing)), [])
            self.questions.focus_first_missing()
            return None
        if self.questions.focus_first_note_problem():
            self.message.value = problems_html(say("questions.notes_to_fix"), [])
            return None
        self.submit_button.disabled = True
        self.record = self.store.submit(
            self.workshop,
            self._business,
            valid,
            self.submission_key,
            respondent=self.respondent,
            role=self.role,
            notes=self.questions.checked_notes(),
        )
        self._show_result(self.record)
        self.message.value = ""
        self._show("result")
        return self.record

    def _show_result(self, record: SubmissionRecord) -> None:
        self.placement = score_valid_answers(self.definitions, record.answers)
        earlier = [
            (r, score_valid_answers(self.definitions, r.answers))
            for r in self._own(self.store.history(self._business))
            if r.id != record.id
        ]
        self.result.show(self.placement, earlier, self._business)
        if self.respondent:
            people = len(self.store.latest_by_respondent(self.workshop, self._business))
            self.result.team.value = status_html([say("result.team_count", count=people)])
        self.targets.show(self._business, self.placement)


def self_assessment(
    workshop: str = "course",
    business_id: str | None = None,
    store: Store | None = None,
    definitions: Definitions | None = None,
    *,
    respondent: str = "",
    role: str = "",
    language: str | None = None,
) -> AssessmentForm:
    """The self-assessment for a lesson notebook: ``self_assessment()`` and answer away.

    Answers go to the store ``EAKIT_DATABASE_URL`` names (else ``eakit.sqlite`` next to the
    notebook), so closing the notebook and running the cell again carries on where you left.
    Several people answering for one business each give their own ``respondent`` code and
    ``role`` (or type them on the first screen).
    """
    store = store or Store.open(definitions=definitions)
    return AssessmentForm(
        definitions or store.definitions,
        store,
        workshop,
        business_id,
        respondent=respondent,
        role=role,
        language=language,
    )
