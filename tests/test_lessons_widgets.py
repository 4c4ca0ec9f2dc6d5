"""Lesson widgets: set values as a participant would, press the buttons, read what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.course.content import case_study_by_id, glossary_terms, load_case_studies, quiz_questions
from kit.course.lessons import (
    KnowledgeCheck,
    case_study,
    case_study_markdown,
    glossary,
    glossary_markdown,
    knowledge_check,
)

VALID = Path(__file__).parent / "fixtures" / "content" / "valid"


@pytest.fixture
def check() -> KnowledgeCheck:
    """The fixture quiz's fundamentals: two single-choice questions, then one multiple."""
    return KnowledgeCheck(quiz_questions("social_impact", "fundamentals", VALID), "Check")


def test_nothing_is_chosen_or_judged_before_the_participant_acts(check: KnowledgeCheck) -> None:
    """Do the questions start blank, with no feedback and a zero score?"""
    assert [card.selected() for card in check.cards] == [[], [], []]
    assert [card.feedback.value for card in check.cards] == ["", "", ""]
    assert check.score.value == "<p>Correct so far: 0 of 3.</p>"


def test_wrong_single_choice_shows_its_own_explanation_only(check: KnowledgeCheck) -> None:
    """After a wrong pick and Check, is the note on that pick shown, and the answer kept back?"""
    card = check.card("fx_fundamentals_1")
    card.chooser.widget.value = "b"
    card.check_button.click()
    shown = card.feedback.value
    assert "✘ Not quite. Read the note on your choice, then try again." in shown
    assert "<b>Wrong answer</b> (your choice)<br>Wrong, because the fixture says so." in shown
    assert "Right, because the fixture says so." not in shown
    assert check.score.value == "<p>Correct so far: 0 of 3.</p>"


def test_right_single_choice_is_confirmed_and_counted(check: KnowledgeCheck) -> None:
    """After the right pick and Check, does it say correct, explain why, and raise the score?"""
    card = check.card("fx_fundamentals_2")
    card.chooser.widget.value = "a"
    card.check_button.click()
    assert "✔ Correct. The note below says why." in card.feedback.value
    assert "Right, because the fixture says so." in card.feedback.value
    assert check.score.value == "<p>Correct so far: 1 of 3.</p>"


@pytest.mark.parametrize(
    ("ticked", "summary"),
    [
        (["a", "c"], "✔ Correct. The note below says why."),
        (["a"], "✘ Not yet: 1 correct option still unchosen."),
        (
            ["b", "c"],
            "✘ Not yet: 1 of your choices is not right and 1 correct option still unchosen.",
        ),
    ],
)
def test_multiple_choice_checkboxes_are_judged_together(
    check: KnowledgeCheck, ticked: list[str], summary: str
) -> None:
    """Ticking boxes and pressing Check: does the summary count right, wrong and missing?"""
    card = check.card("fx_fundamentals_3")
    for option_id in ticked:
        card.chooser.boxes[option_id].value = True
    card.check_button.click()
    assert summary in card.feedback.value
    assert card.selected() == ticked


def test_show_all_explanations_reveals_every_option_and_the_answer(check: KnowledgeCheck) -> None:
    """Does the reveal button explain all options and mark which one is correct?"""
    card = check.card("fx_fundamentals_1")
    card.reveal_button.click()
    shown = card.feedback.value
    assert "ℹ Every option, explained." in shown
    assert "<b>Right answer</b> — a correct answer<br>Right, because" in shown
    assert "Wrong, because the fixture says so." in shown
    assert "Also wrong, for fixture reasons." in shown


def test_text_from_content_is_escaped_not_run_as_html(check: KnowledgeCheck) -> None:
    """Could a quiz author's angle brackets break the page? They are escaped."""
    card = check.cards[0]
    card.question = card.question.model_copy(update={"prompt": "<script>x</script>"})
    card.check()
    assert "<script>" not in card.feedback.value


def test_knowledge_check_uses_the_lessons_topic_and_level() -> None:
    """Does knowledge_check(topic, level) hold exactly that lesson's shipped questions?"""
    shipped = quiz_questions("social_impact", "advanced")
    widget = knowledge_check("social_impact", "advanced")
    assert [card.question.id for card in widget.cards] == [q.id for q in shipped]


def test_glossary_and_case_study_display_the_rendered_markdown() -> None:
    """Do glossary() and case_study() display what the pure renderers produce from content?"""
    case = next(iter(load_case_studies().values()))
    terms = glossary_terms(case.glossary_terms) if case.glossary_terms else []
    assert case_study(case.id).data == case_study_markdown(case_study_by_id(case.id), terms)
    assert glossary(*case.glossary_terms).data == glossary_markdown(
        glossary_terms(case.glossary_terms)
    )


def test_case_study_markdown_shows_story_prompts_and_terms() -> None:
    """Does a case show its title, business, story, numbered prompts and term definitions?"""
    case = load_case_studies(VALID)["fx_bakery"]
    text = case_study_markdown(case, glossary_terms(case.glossary_terms, VALID))
    assert text.startswith("### Case: A bakery counts less flour\n\n*Business: bakery*")
    assert "1. What would you do with the hour?" in text
    assert "- **Stakeholder**: Anyone a business affects or who affects it." in text
