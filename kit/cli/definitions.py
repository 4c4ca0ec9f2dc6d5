"""Verbs about the definitions: validate them, export the questionnaire, write a blank cohort."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.cli.verbs import Verb
from kit.paths import ROOT

if TYPE_CHECKING:
    from kit.core.definitions import Definitions


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="a definition file or a folder of them (default: the bundled ones)",
    )


def validate(args: argparse.Namespace) -> int:
    from kit.course.validation import validate_path

    paths = [args.path] if args.path else [ROOT / "assessments", ROOT / "content"]
    checked, problems = [], []
    for path in paths:
        files, found = validate_path(path)
        checked += files
        problems += found
    warnings: list[str] = []
    # translations are checked against the bundled English: every folder of them met on the way
    folders = {
        folder
        for p in paths
        for folder in [
            p / "translations",
            *(q for q in [p, *p.parents] if q.name == "translations"),
        ]
        if folder.is_dir()
    }
    if folders and not problems:
        from kit.core.definitions import bundled_definitions
        from kit.core.messages import check_catalogs
        from kit.core.translations import check_translations

        found, warnings = check_catalogs()
        problems += found
        for folder in sorted(folders):
            found, missing = check_translations(bundled_definitions(), folder=folder)
            problems += found
            warnings += missing
    for problem in problems:
        print(problem, file=sys.stderr)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    status = f"{len(problems)} problem(s)" if problems else "all valid"
    noted = f", {len(warnings)} text(s) not translated" if warnings else ""
    print(f"Checked {len(checked)} file(s): {status}{noted}.")
    return 1 if problems else 0


def questionnaire_dict(definitions: Definitions) -> dict[str, Any]:
    """The questionnaire in the exchange format other tools read."""
    from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE

    return {
        **definitions.versions,
        "dimensions": [{"id": d.id, "name": d.name} for d in definitions.model.dimensions],
        "levels": [{"number": lvl.number, "label": lvl.label} for lvl in definitions.model.levels],
        "special_answers": [DONT_KNOW, NOT_APPLICABLE],
        "questions": [
            {
                "id": q.id,
                "dimension": q.dimension,
                "text": q.text,
                "not_applicable_allowed": q.not_applicable_allowed,
                "options": [{"id": o.id, "text": o.text, "level": o.level} for o in q.options],
            }
            for q in definitions.questionnaire.questions
        ],
    }


def _questions_csv(definitions: Definitions) -> str:
    rows: list[list[str | int]] = [
        ["question_id", "dimension", "text", "option_id", "option_level", "option_text"]
    ]
    for question in definitions.questionnaire.questions:
        rows += [
            [question.id, question.dimension, question.text, o.id, o.level, o.text]
            for o in question.options
        ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


QUESTION_FORMATS = {
    "json": lambda d: json.dumps(questionnaire_dict(d), indent=2, ensure_ascii=False) + "\n",
    "csv": _questions_csv,
}


def _configure_questions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(QUESTION_FORMATS), default="json")
    parser.add_argument("--out", type=Path, help="write to this file instead of the screen")


def questions(args: argparse.Namespace) -> int:
    from kit.core.definitions import bundled_definitions

    text = QUESTION_FORMATS[args.format](bundled_definitions())
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _configure_xlsform(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")


def export_xlsform(args: argparse.Namespace) -> int:
    from kit.core.definitions import bundled_definitions
    from kit.core.xlsform import xlsform_sheets
    from kit.tables.writer import write_workbook

    if args.out.suffix.lower() != ".xlsx":
        print(
            f"{args.out}: an XLSForm is an .xlsx file; give a name ending in .xlsx", file=sys.stderr
        )
        return 2
    definitions = bundled_definitions()
    write_workbook(args.out, xlsform_sheets(definitions))
    print(
        f"Wrote {args.out}: questionnaire version {definitions.questionnaire.version} as an "
        "XLSForm (survey, choices with each option's level, settings) for ODK, KoboToolbox "
        "or Survey123."
    )
    return 0


def _configure_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the .csv or .xlsx file to write")


def template(args: argparse.Namespace) -> int:
    from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, bundled_definitions
    from kit.tables.cohort_file import ID_COLUMN, NAME_COLUMN, team_columns
    from kit.tables.writer import write_table

    definitions = bundled_definitions()
    header = [ID_COLUMN, NAME_COLUMN, *definitions.questions, *team_columns(definitions)]
    write_table(args.out, header, [])
    print(
        f"Wrote {args.out}: one row per business; answer with an option id (a-d), "
        f"'{DONT_KNOW}' or '{NOT_APPLICABLE}'.\n"
        "The columns after the questions are optional (delete any you do not use): "
        "respondent and role (one row per person when several answer for a business; roles: "
        f"{', '.join(definitions.roles)}), target:<area> (the level 1-4 the business aims "
        "for), note:<question> and link:<question> (what backs an answer up; http or https "
        "links only)."
    )
    return 0


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "assessments" / "schema",
        help="folder for the JSON Schema files (default: assessments/schema)",
    )


def schema(args: argparse.Namespace) -> int:
    from kit.core.definitions import export_json_schemas

    for path in export_json_schemas(args.out):
        print(f"Wrote {path}")
    return 0


VERBS = (
    Verb(
        "validate",
        "Check definition files and name each problem (file, key, reason).",
        _configure_validate,
        validate,
    ),
    Verb("questions", "Export the questionnaire for other tools.", _configure_questions, questions),
    Verb(
        "xlsform",
        "Write the questionnaire as an XLSForm for ODK, KoboToolbox or Survey123.",
        _configure_xlsform,
        export_xlsform,
    ),
    Verb("template", "Write a blank cohort spreadsheet to fill in.", _configure_template, template),
    Verb(
        "schema",
        "Write JSON Schemas of the definition files, for editors.",
        _configure_schema,
        schema,
    ),
)
