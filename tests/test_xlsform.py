"""The questionnaire exported as an XLSForm: pyxform turns it into a valid XForm, and the
sheets carry what a fielding team needs (each option's level, the version, every answer).

Counts are worked out by hand from tests/fixtures/versions/questionnaire.yaml: 8 questions in
3 areas, each with 4 options and "don't know"; only beta_data offers "not applicable".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from kit.core.definitions import load_definitions
from kit.core.xlsform import xlsform_sheets
from kit.paths import ROOT
from kit.tables.writer import write_workbook
from tests.conftest import FIXTURES, fixture_files, run_cli

pyxform = pytest.importorskip("pyxform.xls2xform", reason="pyxform is in the dev extra")
XF = "{http://www.w3.org/2002/xforms}"


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    definitions = load_definitions(fixture_files(FIXTURES / "versions"))
    path = tmp_path_factory.mktemp("xlsform") / "form.xlsx"
    write_workbook(path, xlsform_sheets(definitions))
    return path


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_pyxform_converts_the_form_without_warnings(form):
    result = pyxform.convert(xlsform=str(form))
    assert result.warnings == []
    root = ET.fromstring(result.xform)
    selects = root.iter(f"{XF}select1")
    assert sorted(s.get("ref").rsplit("/", 1)[1] for s in selects) == sorted(
        [
            "alpha_policy",
            "alpha_review",
            "alpha_q4",
            "beta_data",
            "beta_consent",
            "beta_q2",
            "gamma_q2",
            "gamma_q3",
        ]
    )
    groups = [g.get("ref").rsplit("/", 1)[1] for g in root.iter(f"{XF}group")]
    assert groups == ["alpha", "beta", "gamma"]
    version = next(
        b for b in root.iter(f"{XF}bind") if b.get("nodeset", "").endswith("/questionnaire_version")
    )
    assert version.get("calculate") == "'9.2.0'"


def test_choices_carry_each_option_level(form):
    choices = sheet_rows(form, "choices")
    assert len(choices) == 8 * 4 + 8 + 1
    consent = [(c["name"], c["level"]) for c in choices if c["list_name"] == "beta_consent"]
    assert consent == [("w", 1), ("x", 2), ("y", 3), ("z", 4), ("dont_know", None)]
    data = [c["name"] for c in choices if c["list_name"] == "beta_data"]
    assert data[-2:] == ["dont_know", "not_applicable"]
    assert {c["label::English (en)"] for c in choices if c["name"] == "dont_know"} == {"Don't know"}


def test_settings_name_the_form_and_its_version(form):
    (settings,) = sheet_rows(form, "settings")
    assert settings == {
        "form_title": "Test questionnaire",
        "form_id": "test_questionnaire",
        "version": "9.2.0",
        "default_language": "English (en)",
    }


def test_the_cli_writes_the_bundled_questionnaire(tmp_path):
    out = tmp_path / "assessment.xlsx"
    result = run_cli("xlsform", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "version 1.0.0" in result.stdout
    assert pyxform.convert(xlsform=str(out)).warnings == []
    wrong = run_cli("xlsform", "--out", str(tmp_path / "form.csv"))
    assert wrong.returncode == 2 and "a name ending in .xlsx" in wrong.stderr


def test_the_bundled_form_carries_the_french_labels(tmp_path):
    """The bundled questionnaire has a French translation, so every label has a French
    column; the fixture questionnaire has none (its ids are not translated), so it has not."""
    out = tmp_path / "assessment.xlsx"
    assert run_cli("xlsform", "--out", str(out)).returncode == 0
    texts = yaml.safe_load(
        (ROOT / "content" / "translations" / "fr" / "questionnaire.yaml").read_text("utf-8")
    )["texts"]
    choices = sheet_rows(out, "choices")
    first = choices[0]
    key = f"questions.{first['list_name']}.options.{first['name']}.text"
    assert first["label::French (fr)"] == texts[key]
    assert {c["label::French (fr)"] for c in choices if c["name"] == "dont_know"} == {
        "Je ne sais pas"
    }
    (business_id,) = [r for r in sheet_rows(out, "survey") if r["name"] == "business_id"]
    assert business_id["label::French (fr)"] == "Votre code entreprise (donné par votre formateur)"
    assert pyxform.convert(xlsform=str(out)).warnings == []


def test_a_questionnaire_without_french_text_has_no_french_column(form):
    assert "label::French (fr)" not in sheet_rows(form, "choices")[0]
