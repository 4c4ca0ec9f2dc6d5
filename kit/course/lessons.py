"""The notebook-facing layer of a lesson: its opening, discussion, checks, glossary and cases.

Widgets only collect choices and show text. Judging an answer is
``kit.course.content.check_answer``,
a pure function, so what a participant sees is exactly what the tests check.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, Markdown

from kit.course import course_map
from kit.course.content import (
    CaseStudy,
    Feedback,
    GlossaryTerm,
    QuizQuestion,
    case_study_by_id,
    check_answer,
    glossary_terms,
    load_course,
    quiz_questions,
)
from kit.course.reading import load_reading, reading_markdown
from kit.errors import UnknownContentError

_FULL_WIDTH = widgets.Layout(width="100%")


# --- choosers: one per question kind, picked from a registry ----------------------------------


class SingleChooser:
    """Radio buttons; nothing is chosen until the participant picks."""

    def __init__(self, question: QuizQuestion) -> None:
        self.widget = widgets.RadioButtons(
            options=[(option.text, option.id) for option in question.options],
            value=None,
            layout=_FULL_WIDTH,
        )

    def selected(self) -> list[str]:
        return [] if self.widget.value is None else [self.widget.value]

    def select(self, *option_ids: str) -> None:
        self.widget.value = option_ids[0] if option_ids else None


class MultipleChooser:
    """One checkbox per option, so any combination can be chosen."""

    def __init__(self, question: QuizQuestion) -> None:
        self.boxes = {
            option.id: widgets.Checkbox(
                value=False, description=option.text, indent=False, layout=_FULL_WIDTH
            )
            for option in question.options
        }
        self.widget = widgets.VBox(list(self.boxes.values()))

    def selected(self) -> list[str]:
        return [option_id for option_id, box in self.boxes.items() if box.value]

    def select(self, *option_ids: str) -> None:
        for option_id, box in self.boxes.items():
            box.value = option_id in option_ids


CHOOSERS: dict[str, type[SingleChooser] | type[MultipleChooser]] = {
    "single": SingleChooser,
    "multiple": MultipleChooser,
}
KIND_HINTS = {"single": "Choose one answer.", "multiple": "Choose every answer that applies."}


# --- one question, and a whole knowledge check -----------------------------------------------


def _feedback_html(feedback: Feedback, reveal_all: bool) -> str:
    """The verdict, then the note on each chosen option (or on every option when revealed)."""
    mark = "✔" if feedback.correct else "✘"
    summary = feedback.summary
    if reveal_all and not feedback.chosen:
        mark, summary = "ℹ", "Every option, explained."
    shown = feedback.options if reveal_all else feedback.chosen
    notes = "".join(
        f"<li><b>{escape(option.text)}</b>"
        f"{' (your choice)' if option.chosen else ''}"
        f"{' — a correct answer' if reveal_all and option.correct else ''}"
        f"<br>{escape(option.feedback)}</li>"
        for option in shown
    )
    return (
        f"<div role='status'><p><b>{mark} {escape(summary)}</b></p>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + "</div>"
    )


class QuestionCard(widgets.VBox):
    """A prompt, its options, a Check button and the feedback area."""

    def __init__(
        self, question: QuizQuestion, number: int, on_checked: Callable[[], None] | None = None
    ) -> None:
        self.question = question
        self.chooser = CHOOSERS[question.kind](question)
        self.check_button = widgets.Button(
            description="Check", button_style="primary", tooltip="Check your answer"
        )
        self.reveal_button = widgets.Button(
            description="Show all explanations",
            tooltip="Explain every option, including the answer",
        )
        self.feedback = widgets.HTML(value="")
        self.last: Feedback | None = None
        self._on_checked = on_checked
        self.check_button.on_click(lambda _: self.check())
        self.reveal_button.on_click(lambda _: self.check(reveal_all=True))
        prompt = widgets.HTML(
            f"<p><b>{number}. {escape(question.prompt)}</b><br>"
            f"<i>{KIND_HINTS[question.kind]}</i></p>"
        )
        super().__init__(
            [
                prompt,
                self.chooser.widget,
                widgets.HBox([self.check_button, self.reveal_button]),
                self.feedback,
            ]
        )

    def selected(self) -> list[str]:
        return self.chooser.selected()

    def check(self, reveal_all: bool = False) -> Feedback:
        """Judge the current choice and show the feedback; also what the buttons do."""
        self.last = check_answer(self.question, self.chooser.selected())
        self.feedback.value = _feedback_html(self.last, reveal_all)
        if self._on_checked is not None:
            self._on_checked()
        return self.last


class KnowledgeCheck(widgets.VBox):
    """All questions of one lesson, with a running score."""

    def __init__(self, questions: list[QuizQuestion], title: str) -> None:
        self.score = widgets.HTML()
        self.cards = [
            QuestionCard(question, number, self._update_score)
            for number, question in enumerate(questions, start=1)
        ]
        self._update_score()
        super().__init__([widgets.HTML(f"<h3>{escape(title)}</h3>"), *self.cards, self.score])

    def card(self, question_id: str) -> QuestionCard:
        return next(card for card in self.cards if card.question.id == question_id)

    def _update_score(self) -> None:
        right = sum(1 for card in self.cards if card.last is not None and card.last.correct)
        self.score.value = f"<p>Correct so far: {right} of {len(self.cards)}.</p>"


def knowledge_check(topic: str, level: str) -> KnowledgeCheck:
    """The knowledge check of one lesson, from ``content/quizzes/<topic>.yaml``."""
    return KnowledgeCheck(quiz_questions(topic, level), "Check your understanding")


# --- glossary and case studies ---------------------------------------------------------------


def glossary_markdown(terms: list[GlossaryTerm]) -> str:
    return "\n".join(f"- **{term.term}**: {term.definition}" for term in terms)


def glossary(*term_ids: str) -> Markdown:
    """Show the named definitions (all of them when no id is given)."""
    return Markdown(glossary_markdown(glossary_terms(term_ids)))


def case_study_markdown(case: CaseStudy, terms: list[GlossaryTerm]) -> str:
    """A case's story, its numbered discussion prompts and the definitions it relies on."""
    prompts = "\n".join(
        f"{number}. {prompt}" for number, prompt in enumerate(case.discussion, start=1)
    )
    parts = [
        f"### Case: {case.title}",
        f"*Business: {case.business}*",
        case.story.strip(),
        "**Talk it through**",
        prompts,
    ]
    if terms:
        parts += ["**Words used here**", glossary_markdown(terms)]
    return "\n\n".join(parts)


def case_study(case_id: str) -> Markdown:
    """Show a case's story, its discussion prompts and the terms it relies on."""
    case = case_study_by_id(case_id)
    return Markdown(
        case_study_markdown(
            case, glossary_terms(case.glossary_terms) if case.glossary_terms else []
        )
    )


# --- from the course plan (content/course.yaml) ----------------------------------------------


def lesson_intro(lesson_id: str) -> Markdown:
    """The lesson's place in the course, its objectives and its minutes per section."""
    return Markdown(course_map.lesson_intro(load_course(), lesson_id))


def discussion(lesson_id: str) -> Markdown:
    """The lesson's discussion prompts, the same ones the facilitator notes and handout list."""
    return Markdown(course_map.discussion(load_course(), lesson_id))


def further_reading(lesson_id: str) -> Markdown:
    """The books, papers and laws behind the lesson (``content/further_reading.yaml``)."""
    works = load_reading().get(lesson_id)
    if works is None:
        raise UnknownContentError(
            f"further reading: no lesson {lesson_id!r} in further_reading.yaml."
        )
    return Markdown(reading_markdown(works))


def full_table(frame: pd.DataFrame) -> HTML:
    """A table showing every cell's text in full; pandas' own display cuts it at 50 characters."""
    return HTML(frame.to_html(border=0))
