"""Course content: the shipped files validate, and broken files say where and why.

The broken corpus lives in tests/fixtures/content/broken/: each file is a copy of one valid
fixture file with a single mistake a content author could plausibly make.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kit.course.content import (
    LEVELS,
    TOPICS,
    check_answer,
    check_content,
    glossary_terms,
    load_case_studies,
    load_course,
    load_glossary,
    load_quizzes,
    missing_notebooks,
    quiz_questions,
)
from kit.errors import AnswerError, DefinitionError, UnknownContentError
from kit.paths import NOTEBOOKS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "content"
VALID = FIXTURES / "valid"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"


def _shipped_questions() -> list:
    """Every shipped question; a broken file fails the validation test, not collection."""
    try:
        return [question for quiz in load_quizzes().values() for question in quiz.questions]
    except DefinitionError:
        return []


SHIPPED_QUESTIONS = _shipped_questions()


# --- the shipped content ----------------------------------------------------------------------


def test_all_shipped_content_validates_and_cross_references_resolve() -> None:
    """Does every content file load, and does every reference between files resolve?"""
    check_content()


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_a_quiz_with_enough_questions_per_level(topic: str) -> None:
    """Does each topic ship a quiz with at least three questions for each level?"""
    quizzes = load_quizzes()
    assert topic in quizzes, f"content/quizzes/{topic}.yaml is missing"
    for level in LEVELS:
        assert len(quizzes[topic].for_level(level)) >= 3, f"{topic} {level}"


@pytest.mark.parametrize("question", SHIPPED_QUESTIONS, ids=lambda question: question.id)
def test_quiz_question_declares_answers_and_explains_every_option(question) -> None:
    """Does the question say which answers are right, and explain each option differently?"""
    correct = [option for option in question.options if option.correct]
    assert len(correct) == 1 if question.kind == "single" else len(correct) >= 1
    feedback = [option.feedback.strip() for option in question.options]
    assert all(feedback), "every option needs feedback"
    assert len(set(feedback)) == len(feedback), "each option needs its own explanation"


def test_case_study_glossary_terms_resolve() -> None:
    """Does every glossary term a case study cites exist in some glossary file?"""
    terms = load_glossary()
    cited = {term for case in load_case_studies().values() for term in case.glossary_terms}
    assert cited <= set(terms), sorted(cited - set(terms))


def test_course_lists_every_topic_and_level_once_with_existing_notebooks() -> None:
    """Does course.yaml list 15 lessons, one per topic and level, each with its notebook?"""
    course = load_course()
    pairs = sorted((lesson.topic, lesson.level) for lesson in course.lessons)
    assert pairs == sorted((topic, level) for topic in TOPICS for level in LEVELS)
    assert missing_notebooks(course, NOTEBOOKS_DIR) == []


def test_course_prerequisites_stay_within_the_course_and_come_first() -> None:
    """Is every prerequisite a lesson listed earlier (the suggested order)?"""
    course = load_course()
    seen: set[str] = set()
    for lesson in course.lessons:
        assert set(lesson.prerequisites) <= seen, lesson.id
        seen.add(lesson.id)


# --- the broken corpus ------------------------------------------------------------------------

QUIZ, GLOSSARY, CASES, COURSE = (
    "quizzes/social_impact.yaml",
    "glossary/social_impact.yaml",
    "case_studies/social_impact.yaml",
    "course.yaml",
)

BROKEN = [
    # fixture name, where it is placed, file named in the message, key, reason
    (
        "quiz_single_two_correct",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1]",
        "exactly one option with 'correct: true', found 2 (a, b)",
    ),
    (
        "quiz_multiple_none_correct",
        QUIZ,
        QUIZ,
        "questions[2 id=fx_fundamentals_3]",
        "needs at least one option with 'correct: true'",
    ),
    (
        "quiz_option_without_feedback",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1].options[1 id=b].feedback",
        "Field required",
    ),
    (
        "quiz_two_options",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1].options",
        "at least 3 items",
    ),
    (
        "quiz_thin_level",
        QUIZ,
        QUIZ,
        "questions",
        "each level needs at least 3 questions: advanced has 2",
    ),
    (
        "quiz_misspelt_key",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1].promt",
        "Extra inputs are not permitted",
    ),
    (
        "quiz_topic_mismatch",
        QUIZ,
        QUIZ,
        "topic",
        "says 'community_engagement' but the file is named for 'social_impact'",
    ),
    (
        "quiz_duplicate_option_id",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1]",
        "duplicate option id(s): b",
    ),
    (
        "quiz_duplicate_question_id",
        QUIZ,
        QUIZ,
        "questions",
        "duplicate question id(s): fx_fundamentals_1",
    ),
    ("quiz_bad_indentation", QUIZ, QUIZ + ":6", "invalid YAML", "mapping values"),
    ("quiz_duplicate_key", QUIZ, QUIZ + ":7", "invalid YAML", "duplicate key 'kind'"),
    (
        "quiz_unknown_kind",
        QUIZ,
        QUIZ,
        "questions[0 id=fx_fundamentals_1].kind",
        "Input should be 'single' or 'multiple'",
    ),
    ("quiz_wrong_schema_version", QUIZ, QUIZ + ":1", "schema_version", "Input should be 1"),
    (
        "glossary_duplicate_term",
        GLOSSARY,
        GLOSSARY,
        "terms",
        "duplicate term id(s): fx_stakeholder",
    ),
    (
        "glossary_bad_source",
        GLOSSARY,
        GLOSSARY,
        "terms[0 id=fx_stakeholder].source",
        "should match pattern",
    ),
    (
        "glossary_empty_definition",
        GLOSSARY,
        GLOSSARY,
        "terms[0 id=fx_stakeholder].definition",
        "at least 3 characters",
    ),
    (
        "glossary_term_in_two_files",
        "glossary/community_engagement.yaml",
        GLOSSARY,
        "terms id=fx_kpi",
        "id already used in",
    ),
    (
        "glossary_misnamed_file",
        "glossary/socialimpact.yaml",
        "glossary/socialimpact.yaml",
        "(file name)",
        "'socialimpact' is not a topic id",
    ),
    (
        "case_unknown_glossary_term",
        CASES,
        CASES,
        "cases id=fx_bakery.glossary_terms",
        "unknown glossary term 'fx_nonexistent'",
    ),
    ("case_no_discussion", CASES, CASES, "cases[0 id=fx_bakery].discussion", "at least 1 item"),
    (
        "course_unknown_prerequisite",
        COURSE,
        COURSE,
        "lessons id=fx_second.prerequisites",
        "unknown lesson 'fx_zeroth'",
    ),
    (
        "course_prerequisite_later",
        COURSE,
        COURSE,
        "lessons id=fx_first.prerequisites",
        "'fx_second' comes later in the list",
    ),
    (
        "course_workshop_skips_prerequisite",
        COURSE,
        COURSE,
        "workshops id=fx_morning.agenda",
        "runs 'fx_second' before its prerequisite(s) fx_first",
    ),
    (
        "course_agenda_lesson_and_activity",
        COURSE,
        COURSE,
        "workshops[0 id=fx_morning].agenda[1]",
        "either 'lesson' or 'activity'",
    ),
    (
        "course_bad_level",
        COURSE,
        COURSE,
        "lessons[1 id=fx_second].level",
        "Input should be 'fundamentals', 'intermediate' or 'advanced'",
    ),
    ("course_duplicate_lesson", COURSE, COURSE, "lessons", "duplicate lesson id(s): fx_first"),
    (
        "course_bad_start_time",
        COURSE,
        COURSE,
        "workshops[0 id=fx_morning].start",
        "'9.30am' is not a 24-hour time",
    ),
]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture content, for breaking on purpose."""
    return Path(shutil.copytree(VALID, tmp_path / "content"))


def test_valid_fixture_content_passes(content_copy: Path) -> None:
    """Is the unbroken fixture really valid (so each broken file differs by one mistake)?"""
    check_content(content_copy, FIXTURE_NOTEBOOKS)


def test_every_broken_fixture_is_in_the_table() -> None:
    """Does the table cover every file in the broken corpus?"""
    names = {path.stem for path in (FIXTURES / "broken").glob("*.yaml")}
    assert names == {row[0] for row in BROKEN}


@pytest.mark.parametrize(
    ("fixture", "placed_as", "file", "key", "reason"), BROKEN, ids=[row[0] for row in BROKEN]
)
def test_broken_file_names_file_key_and_reason(
    content_copy: Path, fixture: str, placed_as: str, file: str, key: str, reason: str
) -> None:
    """Does a broken file produce one message naming the file, the key and the reason?"""
    shutil.copy(FIXTURES / "broken" / f"{fixture}.yaml", content_copy / placed_as)
    with pytest.raises(DefinitionError) as caught:
        check_content(content_copy, FIXTURE_NOTEBOOKS)
    problems = caught.value.problems
    assert any(
        f"{content_copy / file}" in line and f": {key}" in line and reason in line
        for line in problems
    ), "\n".join(problems)


def test_missing_notebook_is_named(content_copy: Path, tmp_path: Path) -> None:
    """Does a lesson whose notebook is absent get reported with its id and the path?"""
    with pytest.raises(DefinitionError) as caught:
        check_content(content_copy, tmp_path / "no_notebooks")
    assert any(
        "lessons id=fx_first.notebook" in line and "fx_first.ipynb does not exist" in line
        for line in caught.value.problems
    )


# --- lookups ----------------------------------------------------------------------------------


def test_quiz_questions_come_in_file_order_for_one_level() -> None:
    """Does a lesson get exactly its level's questions, in the order written?"""
    questions = quiz_questions("social_impact", "intermediate", VALID)
    assert [q.id for q in questions] == [f"fx_intermediate_{n}" for n in (1, 2, 3)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: quiz_questions("gardening", "fundamentals", VALID), "unknown quiz topic id"),
        (lambda: quiz_questions("social_impact", "expert", VALID), "unknown level id 'expert'"),
        (
            lambda: glossary_terms(["fx_kpi", "fx_typo"], VALID),
            "unknown glossary term id 'fx_typo'",
        ),
        (lambda: load_course(VALID).workshop("evening"), "unknown workshop id 'evening'"),
    ],
)
def test_unknown_ids_are_named_with_the_known_ones(call, message: str) -> None:
    """Does asking for an id that does not exist say which id and list the valid ones?"""
    with pytest.raises(UnknownContentError, match="known ids: ") as caught:
        call()
    assert message in str(caught.value)


def test_glossary_without_ids_lists_every_term_alphabetically() -> None:
    """Does an empty request give the whole glossary, sorted by term?"""
    assert [term.term for term in glossary_terms([], VALID)] == ["KPI", "Stakeholder"]


# --- answer checking --------------------------------------------------------------------------

QUESTIONS = {q.id: q for q in quiz_questions("social_impact", "fundamentals", VALID)}
SINGLE, MULTIPLE = QUESTIONS["fx_fundamentals_1"], QUESTIONS["fx_fundamentals_3"]


@pytest.mark.parametrize(
    ("question", "chosen", "correct", "summary"),
    [
        (SINGLE, ["a"], True, "Correct. The note below says why."),
        (SINGLE, ["b"], False, "Not quite. Read the note on your choice, then try again."),
        (SINGLE, [], False, "Choose an answer first, then press Check."),
        (MULTIPLE, ["a", "c"], True, "Correct. The note below says why."),
        (
            MULTIPLE,
            ["a"],
            False,
            "Not yet: 1 correct option still unchosen. Read the notes below and try again.",
        ),
        (
            MULTIPLE,
            ["a", "b"],
            False,
            "Not yet: 1 of your choices is not right and 1 correct "
            "option still unchosen. Read the notes below and try again.",
        ),
        (
            MULTIPLE,
            ["b"],
            False,
            "Not yet: 1 of your choices is not right and 2 correct options "
            "still unchosen. Read the notes below and try again.",
        ),
    ],
)
def test_check_answer_verdict_and_summary(question, chosen, correct, summary) -> None:
    """Is the verdict right, and does the summary tell the participant what to do next?"""
    feedback = check_answer(question, chosen)
    assert (feedback.correct, feedback.summary) == (correct, summary)
    assert [option.option_id for option in feedback.chosen] == chosen


def test_check_answer_carries_every_options_explanation() -> None:
    """Does the feedback hold each option's own explanation and whether it is right?"""
    feedback = check_answer(SINGLE, ["b"])
    assert [(o.option_id, o.correct, o.chosen, o.feedback) for o in feedback.options] == [
        ("a", True, False, "Right, because the fixture says so."),
        ("b", False, True, "Wrong, because the fixture says so."),
        ("c", False, False, "Also wrong, for fixture reasons."),
    ]


@pytest.mark.parametrize(
    ("question", "chosen", "reason"),
    [
        (SINGLE, ["z"], "unknown option(s) z; options are a, b, c"),
        (SINGLE, ["a", "b"], "single-choice question answered with 2 options (a, b)"),
    ],
)
def test_check_answer_refuses_impossible_selections(question, chosen, reason) -> None:
    """Is an option that does not exist, or two answers to a single-choice question, refused?"""
    with pytest.raises(AnswerError, match=r"question fx_fundamentals_1: ") as caught:
        check_answer(question, chosen)
    assert reason in str(caught.value)
