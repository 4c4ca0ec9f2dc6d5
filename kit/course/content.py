"""Course content as validated data: quizzes, glossary, case studies and the course map.

Lessons never hold quiz questions or definitions as literals; they read them from
``content/`` through these loaders, which check every file against a pydantic model and then
check the references between files (a case study's glossary terms, a lesson's prerequisites).
Every problem is reported as ``file:line: key: reason`` through ``DefinitionError``.

This module is pure: no ipywidgets, no IPython. ``kit.course.lessons`` puts widgets on top of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field, field_validator, model_validator

from kit.core.definitions import (
    Identifier,
    Prose,
    SourceFile,
    Strict,
    require_unique_ids,
    unique_ids,
)
from kit.core.yamlio import ModelT, load_collecting, load_model
from kit.errors import AnswerError, DefinitionError, UnknownContentError
from kit.paths import CONTENT_DIR, NOTEBOOKS_DIR

Topic = Literal[
    "social_impact",
    "community_engagement",
    "service_automation",
    "customer_experience",
    "customer_relationships",
]
LessonLevel = Literal["fundamentals", "intermediate", "advanced"]
TOPICS: tuple[Topic, ...] = get_args(Topic)
LEVELS: tuple[LessonLevel, ...] = get_args(LessonLevel)
MIN_QUESTIONS_PER_LEVEL = 3
OptionId = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=32)]


def _clock_time(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError(f'{value!r} is not a 24-hour time; write it like "09:30"')
    return value


ClockTime = Annotated[str, AfterValidator(_clock_time)]


# --- quizzes ------------------------------------------------------------------------------


class QuizOption(Strict):
    id: OptionId
    text: Prose
    correct: bool = False
    feedback: Prose = Field(description="Why this option is right or wrong; teaches, not grades.")


class QuizQuestion(Strict):
    id: Identifier
    level: LessonLevel
    kind: Literal["single", "multiple"]
    prompt: Prose
    options: list[QuizOption] = Field(min_length=3, max_length=5)

    @model_validator(mode="after")
    def _answers_declared(self) -> QuizQuestion:
        require_unique_ids(self.options, "option")
        correct = [option.id for option in self.options if option.correct]
        if self.kind == "single" and len(correct) != 1:
            raise ValueError(
                f"a single-choice question needs exactly one option with 'correct: true', "
                f"found {len(correct)}" + (f" ({', '.join(correct)})" if correct else "")
            )
        if self.kind == "multiple" and not correct:
            raise ValueError(
                "a multiple-choice question needs at least one option with 'correct: true'"
            )
        return self

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)


class Quiz(Strict):
    schema_version: Literal[1]
    topic: Topic
    questions: list[QuizQuestion]

    @field_validator("questions")
    @classmethod
    def _enough_per_level(cls, questions: list[QuizQuestion]) -> list[QuizQuestion]:
        require_unique_ids(questions, "question")
        counts = Counter(question.level for question in questions)
        thin = [
            f"{level} has {counts[level]}"
            for level in LEVELS
            if counts[level] < MIN_QUESTIONS_PER_LEVEL
        ]
        if thin:
            raise ValueError(
                f"each level needs at least {MIN_QUESTIONS_PER_LEVEL} questions: " + "; ".join(thin)
            )
        return questions

    def for_level(self, level: str) -> list[QuizQuestion]:
        return [question for question in self.questions if question.level == level]


# --- glossary and case studies --------------------------------------------------------------


class GlossaryTerm(Strict):
    id: Identifier
    term: Prose
    definition: Prose
    source: SourceFile


class GlossaryFile(Strict):
    schema_version: Literal[1]
    terms: Annotated[list[GlossaryTerm], unique_ids("term")] = Field(min_length=1)


class CaseStudy(Strict):
    id: Identifier
    title: Prose
    business: Prose
    topic: Topic
    level: LessonLevel
    source: SourceFile
    story: Prose
    discussion: list[Prose] = Field(min_length=1)
    glossary_terms: list[Identifier] = Field(default_factory=list)


class CaseStudyFile(Strict):
    schema_version: Literal[1]
    cases: Annotated[list[CaseStudy], unique_ids("case")] = Field(min_length=1)


# --- course map ----------------------------------------------------------------------------


class FacilitatorNotes(Strict):
    discussion_prompts: list[Prose] = Field(min_length=1)
    sticking_points: list[Prose] = Field(
        min_length=1, description="Where a room usually gets stuck."
    )


class TopicInfo(Strict):
    id: Topic
    title: Prose
    source: SourceFile
    summary: Prose


class Section(Strict):
    """One level-2 heading of a lesson notebook and the minutes the plan gives it."""

    title: Prose
    minutes: Annotated[int, Field(ge=1, le=120)]


class Lesson(Strict):
    """A lesson's ``sections`` are its headings in order; their minutes add up to ``minutes``."""

    id: Identifier
    topic: Topic
    level: LessonLevel
    title: Prose
    notebook: Annotated[str, Field(pattern=r"^[a-z0-9_/]+\.ipynb$")]
    minutes: Annotated[int, Field(ge=5, le=240)]
    sections: list[Section] = Field(min_length=1)
    prerequisites: list[Identifier] = Field(default_factory=list)
    objectives: list[Prose] = Field(min_length=1)
    facilitator_notes: FacilitatorNotes

    @model_validator(mode="after")
    def _sections_fill_the_lesson(self) -> Lesson:
        planned = sum(section.minutes for section in self.sections)
        if planned != self.minutes:
            raise ValueError(
                f"the sections' minutes add up to {planned}, but the lesson is "
                f"planned for {self.minutes} ('minutes')"
            )
        return self


class AgendaItem(Strict):
    """One slot of a workshop: a lesson (its minutes come from the lesson) or an activity."""

    lesson: Identifier | None = None
    activity: Prose | None = None
    minutes: Annotated[int, Field(ge=5, le=240)] | None = None

    @model_validator(mode="after")
    def _lesson_or_activity(self) -> AgendaItem:
        if (self.lesson is None) == (self.activity is None):
            raise ValueError("an agenda item has either 'lesson' or 'activity', not both or none")
        if self.activity is not None and self.minutes is None:
            raise ValueError("an activity needs 'minutes'")
        return self


class Workshop(Strict):
    id: Identifier
    title: Prose
    audience: Prose
    start: ClockTime = "09:00"
    agenda: list[AgendaItem] = Field(min_length=1)

    @property
    def lesson_ids(self) -> list[str]:
        return [item.lesson for item in self.agenda if item.lesson is not None]


class Course(Strict):
    """The suggested order is the order of ``lessons``; a lesson's prerequisites come earlier."""

    schema_version: Literal[1]
    topics: Annotated[list[TopicInfo], unique_ids("topic")] = Field(min_length=1)
    lessons: Annotated[list[Lesson], unique_ids("lesson")] = Field(min_length=1)
    workshops: Annotated[list[Workshop], unique_ids("workshop")] = Field(default_factory=list)

    @property
    def lessons_by_id(self) -> dict[str, Lesson]:
        return {lesson.id: lesson for lesson in self.lessons}

    def topic(self, topic_id: str) -> TopicInfo:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise UnknownContentError(_unknown("topic", topic_id, [t.id for t in self.topics]))

    def lesson(self, lesson_id: str) -> Lesson:
        if lesson_id in self.lessons_by_id:
            return self.lessons_by_id[lesson_id]
        raise UnknownContentError(_unknown("lesson", lesson_id, list(self.lessons_by_id)))

    def workshop(self, workshop_id: str) -> Workshop:
        for workshop in self.workshops:
            if workshop.id == workshop_id:
                return workshop
        raise UnknownContentError(_unknown("workshop", workshop_id, [w.id for w in self.workshops]))


def course_problems(course: Course) -> list[str]:
    """References inside course.yaml that do not resolve, as ``key: reason`` lines."""
    topics = {topic.id for topic in course.topics}
    problems = [
        f"lessons id={lesson.id}.topic: {lesson.topic!r} is not listed under 'topics'"
        for lesson in course.lessons
        if lesson.topic not in topics
    ]
    lessons = course.lessons_by_id
    earlier: set[str] = set()
    for lesson in course.lessons:
        for prerequisite in lesson.prerequisites:
            if prerequisite not in lessons:
                problems.append(
                    f"lessons id={lesson.id}.prerequisites: unknown lesson {prerequisite!r}"
                )
            elif prerequisite not in earlier:
                problems.append(
                    f"lessons id={lesson.id}.prerequisites: {prerequisite!r} comes "
                    "later in the list; the list order is the suggested order, so "
                    "move this lesson after it"
                )
        earlier.add(lesson.id)
    for workshop in course.workshops:
        covered: set[str] = set()
        for lesson_id in workshop.lesson_ids:
            if lesson_id not in lessons:
                problems.append(f"workshops id={workshop.id}.agenda: unknown lesson {lesson_id!r}")
                continue
            missing = [p for p in lessons[lesson_id].prerequisites if p not in covered]
            if missing:
                problems.append(
                    f"workshops id={workshop.id}.agenda: runs {lesson_id!r} before "
                    f"its prerequisite(s) {', '.join(missing)}"
                )
            covered.add(lesson_id)
    return problems


# --- loading -------------------------------------------------------------------------------


def _unknown(what: str, wanted: str, known: Sequence[str]) -> str:
    listing = ", ".join(sorted(known)) or "none"
    return f"unknown {what} id {wanted!r}; known ids: {listing}"


def _topic_files(root: Path, folder: str) -> list[Path]:
    return sorted((root / folder).glob("*.yaml"))


def _check_file_named_for_topic(path: Path, topic: str | None = None) -> list[str]:
    if path.stem not in TOPICS:
        return [
            f"{path}: (file name): {path.stem!r} is not a topic id; name the file "
            f"<topic>.yaml with one of {', '.join(TOPICS)}"
        ]
    if topic is not None and topic != path.stem:
        return [f"{path}: topic: says {topic!r} but the file is named for {path.stem!r}"]
    return []


def _load_all(paths: Iterable[Path], model: type[ModelT]) -> tuple[dict[Path, ModelT], list[str]]:
    """Load every file, collecting problems from all of them before giving up."""
    problems: list[str] = []
    loaded = {path: load_collecting(path, model, problems) for path in paths}
    return {path: file for path, file in loaded.items() if file is not None}, problems


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise DefinitionError(problems)


def _load_folder(root: Path, folder: str, model: type[ModelT], key: str) -> dict[Path, ModelT]:
    """Every ``<topic>.yaml`` in ``folder``; an item id (``key`` list) may live in one file only."""
    loaded, problems = _load_all(_topic_files(root, folder), model)
    owners: dict[str, Path] = {}
    for path, file in loaded.items():
        problems += _check_file_named_for_topic(path, getattr(file, "topic", None))
        for item in getattr(file, key):
            if item.id in owners:
                problems.append(f"{path}: {key} id={item.id}: id already used in {owners[item.id]}")
            owners.setdefault(item.id, path)
    _raise_if(problems)
    return loaded


def load_quizzes(root: Path = CONTENT_DIR) -> dict[str, Quiz]:
    """Every quiz file by topic; question ids must be unique across all quizzes."""
    return {quiz.topic: quiz for quiz in _load_folder(root, "quizzes", Quiz, "questions").values()}


def load_glossary(root: Path = CONTENT_DIR) -> dict[str, GlossaryTerm]:
    """Every glossary term by id, across all topic files (ids are unique course-wide)."""
    files = _load_folder(root, "glossary", GlossaryFile, "terms").values()
    return {term.id: term for file in files for term in file.terms}


def load_case_studies(root: Path = CONTENT_DIR) -> dict[str, CaseStudy]:
    """Every case study by id; each one's glossary terms must exist in some glossary file."""
    loaded = _load_folder(root, "case_studies", CaseStudyFile, "cases")
    terms = load_glossary(root)
    _raise_if(
        [
            f"{path}: cases id={case.id}.glossary_terms: unknown glossary term {term!r}"
            for path, file in loaded.items()
            for case in file.cases
            for term in case.glossary_terms
            if term not in terms
        ]
    )
    return {case.id: case for file in loaded.values() for case in file.cases}


def load_course(root: Path = CONTENT_DIR) -> Course:
    """The course map: topics, lessons in suggested order, workshop plans."""
    path = root / "course.yaml"
    course = load_model(path, Course)
    _raise_if([f"{path}: {problem}" for problem in course_problems(course)])
    return course


def missing_notebooks(course: Course, notebooks_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Lessons whose notebook file is not there yet, as problem lines."""
    return [
        f"course.yaml: lessons id={lesson.id}.notebook: {notebooks_dir / lesson.notebook} "
        "does not exist yet"
        for lesson in course.lessons
        if not (notebooks_dir / lesson.notebook).is_file()
    ]


def check_content(root: Path = CONTENT_DIR, notebooks_dir: Path = NOTEBOOKS_DIR) -> None:
    """Load every content file and check every cross-reference; raise with all problems."""
    problems: list[str] = []
    for loader in (load_quizzes, load_case_studies):  # case studies also load the glossary
        try:
            loader(root)
        except DefinitionError as exc:
            problems += exc.problems
    try:
        problems += missing_notebooks(load_course(root), notebooks_dir)
    except DefinitionError as exc:
        problems += exc.problems
    _raise_if(problems)


# --- lookups used by lessons ------------------------------------------------------------------


def quiz_questions(topic: str, level: str, root: Path = CONTENT_DIR) -> list[QuizQuestion]:
    """The knowledge-check questions of one lesson, in file order."""
    quizzes = load_quizzes(root)
    if topic not in quizzes:
        raise UnknownContentError(_unknown("quiz topic", topic, list(quizzes)))
    if level not in LEVELS:
        raise UnknownContentError(_unknown("level", level, list(LEVELS)))
    return quizzes[topic].for_level(level)


def glossary_terms(term_ids: Sequence[str], root: Path = CONTENT_DIR) -> list[GlossaryTerm]:
    """The named terms in the order asked; all terms (alphabetical) when none are named."""
    terms = load_glossary(root)
    if not term_ids:
        return sorted(terms.values(), key=lambda term: term.term.lower())
    unknown = [term_id for term_id in term_ids if term_id not in terms]
    if unknown:
        raise UnknownContentError(_unknown("glossary term", unknown[0], list(terms)))
    return [terms[term_id] for term_id in term_ids]


def case_study_by_id(case_id: str, root: Path = CONTENT_DIR) -> CaseStudy:
    cases = load_case_studies(root)
    if case_id not in cases:
        raise UnknownContentError(_unknown("case study", case_id, list(cases)))
    return cases[case_id]


# --- answer checking -----------------------------------------------------------------------


@dataclass(frozen=True)
class OptionFeedback:
    option_id: str
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, plus the explanation of every option."""

    question_id: str
    correct: bool
    summary: str
    options: tuple[OptionFeedback, ...]

    @property
    def chosen(self) -> tuple[OptionFeedback, ...]:
        return tuple(option for option in self.options if option.chosen)


def _summary(question: QuizQuestion, chosen: frozenset[str]) -> str:
    right = question.correct_ids
    if not chosen:
        return "Choose an answer first, then press Check."
    if chosen == right:
        return "Correct. The note below says why."
    if question.kind == "single":
        return "Not quite. Read the note on your choice, then try again."
    missed, wrong = len(right - chosen), len(chosen - right)
    parts = [f"{wrong} of your choices {'is' if wrong == 1 else 'are'} not right"] if wrong else []
    if missed:
        parts.append(f"{missed} correct option{'' if missed == 1 else 's'} still unchosen")
    return "Not yet: " + " and ".join(parts) + ". Read the notes below and try again."


def check_answer(question: QuizQuestion, selected_ids: Iterable[str]) -> Feedback:
    """Judge a selection and explain every option; the widget decides what to show."""
    chosen = frozenset(selected_ids)
    known = {option.id for option in question.options}
    unknown = sorted(chosen - known)
    if unknown:
        raise AnswerError(
            [
                f"question {question.id}: unknown option(s) {', '.join(unknown)}; "
                f"options are {', '.join(sorted(known))}"
            ]
        )
    if question.kind == "single" and len(chosen) > 1:
        raise AnswerError(
            [
                f"question {question.id}: single-choice question answered with "
                f"{len(chosen)} options ({', '.join(sorted(chosen))})"
            ]
        )
    options = tuple(
        OptionFeedback(option.id, option.text, option.id in chosen, option.correct, option.feedback)
        for option in question.options
    )
    return Feedback(
        question.id,
        bool(chosen) and chosen == question.correct_ids,
        _summary(question, chosen),
        options,
    )
