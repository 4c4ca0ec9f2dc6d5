"""The questionnaire as an XLSForm (survey, choices and settings sheets), so teams using ODK,
KoboToolbox or Survey123 can field it and bring the answers back.

Each question is a ``select_one`` over its own choice list (option texts differ per question);
the ``level`` column of the choices sheet carries each option's maturity level, so answers stay
meaningful outside the kit. Areas become groups. Labels come in one column per language
(``label::English (en)``, ``label::French (fr)``): each language the kit has whose
translations cover the questionnaire, read through ``kit.core.translations.localize`` and the
messages of that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions, Question
from kit.core.language import LANGUAGES, SOURCE, use_language
from kit.core.messages import say
from kit.core.translations import localize

ID_FIELD = "business_id"
NAME_FIELD = "business_name"
VERSION_FIELD = "questionnaire_version"
Row = list[object]
Sheets = dict[str, tuple[list[str], list[Row]]]


@dataclass(frozen=True)
class Language:
    """One label language: the XLSForm column suffix (``English (en)``) and the text of each
    definition id (``text(kind, id)``, kinds: question, why, option, dimension, form, field)."""

    column: str
    text: Callable[[str, str], str]


def definition_language(definitions: Definitions, column: str) -> Language:
    """Labels from the definitions' own text (and the messages of the language in force when
    called), under the XLSForm column suffix ``column``."""
    questions = definitions.questions
    dimensions = definitions.dimensions
    fields = {ID_FIELD: say("xlsform.business_id"), NAME_FIELD: say("xlsform.business_name")}
    reserved = {
        DONT_KNOW: say("questions.dont_know"),
        NOT_APPLICABLE: say("questions.not_applicable"),
    }

    def option(key: str) -> str:
        question_id, option_id = key.split(":")
        found = questions[question_id].option(option_id)
        return found.text if found else reserved[option_id]

    readers: dict[str, Callable[[str], str]] = {
        "question": lambda k: questions[k].text,
        "why": lambda k: questions[k].why_it_matters,
        "option": option,
        "dimension": lambda k: dimensions[k].name,
        "form": lambda _: definitions.questionnaire.title,
        "field": fields.__getitem__,
    }
    return Language(column, lambda kind, key: readers[kind](key))


def column_name(code: str) -> str:
    """The XLSForm label suffix for a language: its English name and code, ``French (fr)``."""
    from babel import Locale  # loaded when a form is written, as kit.core.language does

    return f"{Locale.parse(LANGUAGES[code].locale).get_language_name('en')} ({code})"


def languages(definitions: Definitions) -> list[Language]:
    """The label languages to export: English first (the form's default language), then each
    language of the kit whose translations cover these definitions' questions."""
    found = [definition_language(definitions, column_name(SOURCE))]
    for code in LANGUAGES:
        localized = localize(definitions, code) if code != SOURCE else definitions
        if localized.questionnaire.questions != definitions.questionnaire.questions:
            with use_language(code):
                found.append(definition_language(localized, column_name(code)))
    return found


def _answers(question: Question) -> list[tuple[str, int | None]]:
    """Every answer a question takes, with the level it counts at (none for reserved ones)."""
    reserved = [DONT_KNOW, NOT_APPLICABLE] if question.not_applicable_allowed else [DONT_KNOW]
    return [(o.id, o.level) for o in question.options] + [(r, None) for r in reserved]


def _row(
    langs: list[Language],
    kind: str,
    name: str,
    label: tuple[str, str] | None = None,
    hint: tuple[str, str] | None = None,
    required: str = "",
    calculation: str = "",
) -> Row:
    """One survey row: type, name, a label and a hint per language, required, calculation."""
    labels = [lang.text(*label) if label else "" for lang in langs]
    hints = [lang.text(*hint) if hint else "" for lang in langs]
    return [kind, name, *labels, *hints, required, calculation]


def xlsform_sheets(definitions: Definitions) -> Sheets:
    """The three XLSForm sheets as header and rows, ready for any spreadsheet writer."""
    langs = languages(definitions)
    labels = [f"label::{lang.column}" for lang in langs]
    version = definitions.questionnaire.version
    survey: list[Row] = [
        _row(langs, "text", ID_FIELD, ("field", ID_FIELD), required="yes"),
        _row(langs, "text", NAME_FIELD, ("field", NAME_FIELD)),
        _row(langs, "calculate", VERSION_FIELD, calculation=f"'{version}'"),
    ]
    choices: list[Row] = []
    for dimension_id, questions in definitions.questions_by_dimension.items():
        survey.append(_row(langs, "begin_group", dimension_id, ("dimension", dimension_id)))
        for question in questions:
            survey.append(
                _row(
                    langs,
                    f"select_one {question.id}",
                    question.id,
                    ("question", question.id),
                    ("why", question.id),
                    required="yes",
                )
            )
            choices += [
                [
                    question.id,
                    answer,
                    *[lang.text("option", f"{question.id}:{answer}") for lang in langs],
                    level or "",
                ]
                for answer, level in _answers(question)
            ]
        survey.append(_row(langs, "end_group", ""))
    form_id = definitions.questionnaire.id.replace("-", "_")
    settings: list[Row] = [[langs[0].text("form", ""), form_id, version, langs[0].column]]
    hints = [f"hint::{lang.column}" for lang in langs]
    return {
        "survey": (["type", "name", *labels, *hints, "required", "calculation"], survey),
        "choices": (["list_name", "name", *labels, "level"], choices),
        "settings": (["form_title", "form_id", "version", "default_language"], settings),
    }
