"""Are the shipped definitions valid, and does each way of breaking one give a clear message?"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.core.definitions import (
    DefinitionFiles,
    MaturityModel,
    Questionnaire,
    RecommendationLibrary,
    bundled_definitions,
    export_json_schemas,
    load_definitions,
)
from kit.errors import DefinitionError
from tests.conftest import fixture_files


def test_shipped_definitions_load_and_agree():
    """Do the bundled model, questionnaire and recommendations validate together?"""
    defs = bundled_definitions()
    assert [lvl.label for lvl in defs.model.levels] == [
        "Reactive",
        "Proactive",
        "Strategic",
        "Transformative",
    ]
    assert 25 <= len(defs.questionnaire.questions) <= 45
    assert {
        "transparency",
        "fairness_bias",
        "data_privacy",
        "data_security",
        "human_oversight",
        "human_centred_design",
        "people",
        "community_impact",
        "governance",
    } <= set(defs.dimensions)
    assert defs.questionnaire.model_version == defs.model.version


def test_every_dimension_has_advice_for_every_step_up():
    """Can the explanation always say what lifts an area to the next level?"""
    defs = bundled_definitions()
    for dimension in defs.model.dimensions:
        for target in (2, 3, 4):
            assert defs.recommendations_for(dimension.id, target), (dimension.id, target)


def test_every_question_cites_a_source_article():
    """Does each question name an article that exists in the source material?"""
    known = {
        "000_6375d742c2f936ed.txt",
        "001_e12fbc5cc789785a.txt",
        "002_de4a13b82b88aa79.txt",
        "003_e56a5dd0253a6b2f.txt",
        "004_9ab61650dc909d3c.txt",
    }
    used = {q.source for q in bundled_definitions().questionnaire.questions}
    assert used <= known
    assert used == known, "questions should draw on all five articles"


@pytest.mark.parametrize("model", [MaturityModel, Questionnaire, RecommendationLibrary])
def test_round_trip(model):
    """Does every shipped definition survive dump and re-validation unchanged?"""
    defs = bundled_definitions()
    obj = {
        MaturityModel: defs.model,
        Questionnaire: defs.questionnaire,
        RecommendationLibrary: defs.recommendations,
    }[model]
    assert model.model_validate(json.loads(obj.model_dump_json())) == obj


def test_json_schemas_are_exported(tmp_path):
    """Can an editor get a JSON Schema for each kind of definition file?"""
    written = export_json_schemas(tmp_path)
    names = sorted(p.name for p in written)
    assert names == [
        "maturity_model.schema.json",
        "questionnaire.schema.json",
        "recommendations.schema.json",
        "roles.schema.json",
    ]
    schema = json.loads((tmp_path / "questionnaire.schema.json").read_text())
    assert "questions" in schema["properties"]


def test_committed_json_schemas_are_current(tmp_path):
    """Are the schemas in assessments/schema the ones the code would write today?"""
    export_json_schemas(tmp_path)
    committed = Path(__file__).parents[1] / "assessments" / "schema"
    for path in tmp_path.iterdir():
        assert (committed / path.name).read_text() == path.read_text(), (
            f"{path.name} is stale: run `eakit schema`"
        )


# (file, text to replace, replacement, expected message fragment)
BROKEN = [
    (
        "questionnaire.yaml",
        '      - {id: d, level: 4, text: "alpha practice 1 at level 4"}',
        '      - {id: d, level: 5, text: "alpha practice 1 at level 4"}',
        "questionnaire.yaml:18: questions[0 id=alpha_q1].options[3 id=d].level: "
        "Input should be less than or equal to 4",
    ),
    (
        "questionnaire.yaml",
        "  - id: alpha_q2\n",
        "  - id: alpha_q1\n",
        "questionnaire.yaml:8: questions: duplicate question id(s): alpha_q1",
    ),
    (
        "questionnaire.yaml",
        "    why_it_matters: It matters.\n    source: 003_e56a5dd0253a6b2f.txt\n"
        '    not_applicable_allowed: false\n    options:\n      - {id: a, level: 1, text: "alpha '
        "practice 1",
        "    source: 003_e56a5dd0253a6b2f.txt\n    not_applicable_allowed: false\n"
        '    options:\n      - {id: a, level: 1, text: "alpha practice 1',
        "questionnaire.yaml:8: questions[0 id=alpha_q1].why_it_matters: Field required",
    ),
    (
        "questionnaire.yaml",
        '    options:\n      - {id: a, level: 1, text: "alpha practice 1',
        '    optoins:\n      - {id: a, level: 1, text: "alpha practice 1',
        "questions[0 id=alpha_q1].optoins: Extra inputs are not permitted",
    ),
    (
        "questionnaire.yaml",
        '{id: b, level: 2, text: "alpha practice 1 at level 2"}',
        '{id: b, level: 3, text: "alpha practice 1 at level 2"}',
        "questions[0 id=alpha_q1].options: needs one option per level 1, 2, 3, 4 in that order "
        "(found levels [1, 3, 3, 4])",
    ),
    (
        "questionnaire.yaml",
        '{id: a, level: 1, text: "alpha practice 1 at level 1"}',
        '{id: dont_know, level: 1, text: "alpha practice 1 at level 1"}',
        "options[0 id=dont_know].id: 'dont_know' is reserved",
    ),
    (
        "questionnaire.yaml",
        "    text: Alpha question 1?\n",
        "    text: Alpha question 1?\n    text: Again?\n",
        "questionnaire.yaml:11: invalid YAML: duplicate key 'text' (first at line 10)",
    ),
    (
        "questionnaire.yaml",
        "questions:\n",
        "questions:\n  - [unclosed\n",
        "questionnaire.yaml:9: invalid YAML",
    ),
    (
        "questionnaire.yaml",
        "    dimension: gamma\n",
        "    dimension: delta\n",
        "questions[6 id=gamma_q1].dimension: unknown dimension 'delta'",
    ),
    (
        "questionnaire.yaml",
        'model_version: "9.0.0"',
        'model_version: "8.0.0"',
        "model_version: '8.0.0' does not match the maturity model's version '9.0.0'",
    ),
    (
        "maturity_model.yaml",
        "  - {number: 4,",
        "  - {number: 5,",
        "maturity_model.yaml:14: levels[3].number: Input should be less than or equal to 4",
    ),
    (
        "maturity_model.yaml",
        "thresholds: {2: 1.75, 3: 2.75, 4: 3.75}",
        "thresholds: {2: 1.75, 3: 3.75, 4: 2.75}",
        "maturity_model.yaml:21: scoring.thresholds: thresholds must rise from level 2 to level 4",
    ),
    (
        "maturity_model.yaml",
        'version: "9.0.0"',
        "version: nine",
        "maturity_model.yaml:4: version: String should match pattern",
    ),
    (
        "recommendations.yaml",
        "    target_level: 2\n",
        "    target_level: 1\n",
        "recommendations.yaml:7: recommendations[0 id=alpha_to_2].target_level: Input should be "
        "2, 3 or 4",
    ),
    (
        "recommendations.yaml",
        "    effort: low\n",
        "    effort: tiny\n",
        "recommendations[0 id=alpha_to_2].effort: Input should be 'low', 'medium' or 'high'",
    ),
    (
        "recommendations.yaml",
        "  - id: alpha_to_2\n    dimension: alpha\n",
        "  - id: alpha_to_2\n    dimension: omega\n",
        "recommendations[0 id=alpha_to_2].dimension: unknown dimension 'omega'",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"), BROKEN, ids=[f"{b[0]}:{b[3][:40]}" for b in BROKEN]
)
def test_broken_definition_is_named(definitions_copy, file, old, new, message):
    """Does each broken file raise an error naming the file, the line, the key and the reason?"""
    path = definitions_copy / file
    text = path.read_text()
    assert old in text, "the corpus entry no longer matches the fixture"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DefinitionError) as caught:
        load_definitions(fixture_files(definitions_copy))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_and_empty_files(definitions_copy):
    """Are a missing file and an empty file both reported, in one go?"""
    (definitions_copy / "questionnaire.yaml").unlink()
    (definitions_copy / "recommendations.yaml").write_text("")
    with pytest.raises(DefinitionError) as caught:
        load_definitions(fixture_files(definitions_copy))
    assert caught.value.problems == [
        f"{definitions_copy / 'questionnaire.yaml'}: file not found",
        f"{definitions_copy / 'recommendations.yaml'}: the file is empty",
    ]


def test_default_files_are_the_bundled_ones():
    """Without arguments, are the files in assessments/ and content/ used?"""
    files = DefinitionFiles()
    assert files.model.parts[-2:] == ("assessments", "maturity_model.yaml")
    assert files.recommendations.parts[-2:] == ("content", "recommendations.yaml")
