"""The ``eakit`` verbs as a trainer runs them, through ``kit.cli.main`` on real files."""

from __future__ import annotations

import csv
import json

import pytest

from kit.core.definitions import bundled_definitions
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def question_ids() -> list[str]:
    return list(bundled_definitions().questions)


def test_validate_bundled_definitions():
    """Does `eakit validate` accept the shipped files?"""
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "all valid" in result.stdout


def test_validate_names_file_key_and_reason(definitions_copy):
    """Does `eakit validate PATH` name the broken file, line, key and reason, and fail?"""
    path = definitions_copy / "questionnaire.yaml"
    path.write_text(path.read_text().replace("level: 4,", "level: 7,", 1))
    result = run_cli("validate", str(definitions_copy))
    assert result.returncode == 1
    assert (
        f"{path}:18: questions[0 id=alpha_q1].options[3 id=d].level: Input should be less "
        "than or equal to 4"
    ) in result.stderr
    assert "1 problem(s)" in result.stdout


def test_validate_unknown_file(tmp_path):
    """Is a file the kit does not know refused with the names it does know?"""
    stray = tmp_path / "notes.yaml"
    stray.write_text("a: 1\n")
    result = run_cli("validate", str(stray))
    assert result.returncode == 1
    assert "not a known definition file" in result.stderr


def test_questions_json_export(question_ids):
    """Does the JSON export carry versions, areas and every question with its options?"""
    result = run_cli("questions", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["model_version"] == "1.0.0" and data["questionnaire_version"] == "1.0.0"
    assert len(data["dimensions"]) == 9
    assert [q["id"] for q in data["questions"]] == question_ids
    first = data["questions"][0]
    assert set(first) >= {"id", "dimension", "text", "options"}
    assert [o["level"] for o in first["options"]] == [1, 2, 3, 4]
    assert set(first["options"][0]) >= {"id", "text", "level"}


def test_questions_csv_export(question_ids):
    """Does the CSV export list one row per option under a header?"""
    result = run_cli("questions", "--format", "csv")
    rows = list(csv.reader(result.stdout.splitlines()))
    assert rows[0] == [
        "question_id",
        "dimension",
        "text",
        "option_id",
        "option_level",
        "option_text",
    ]
    assert len(rows) == 1 + 4 * len(question_ids)


def test_template_is_a_blank_cohort(tmp_path, question_ids):
    """Does `eakit template` write business_id, business_name and one column per question,
    then the optional team columns (tests/test_team_import.py)?"""
    out = tmp_path / "cohort.csv"
    result = run_cli("template", "--out", str(out))
    assert result.returncode == 0
    header = next(csv.reader(out.open()))
    assert header[: 2 + len(question_ids)] == ["business_id", "business_name", *question_ids]


def _answers_file(tmp_path, answers, business_id="smb-900"):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"business_id": business_id, "answers": answers}))
    return path


def test_score_json_all_top_answers(tmp_path, question_ids):
    """Answering the top practice everywhere gives Transformative (level 4) in every area."""
    path = _answers_file(tmp_path, dict.fromkeys(question_ids, "d"))
    result = run_cli("score", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["business_id"] == "smb-900"
    assert (data["overall_level"], data["overall_label"]) == (4, "Transformative")
    assert {d["level"] for d in data["dimensions"]} == {4}
    assert {d["score"] for d in data["dimensions"]} == {4.0}
    assert data["model_version"] == "1.0.0"


def test_score_text_explains_in_plain_language(tmp_path, question_ids):
    """A shop owner reads the level, why, and where to start; one weak area caps the rest."""
    answers = dict.fromkeys(question_ids, "d")
    transparency = [q for q in question_ids if q.startswith("transparency_")]
    answers.update(dict.fromkeys(transparency, "a"))
    result = run_cli("score", str(_answers_file(tmp_path, answers)))
    assert result.returncode == 0, result.stderr
    # 8 areas at 4.0 and one at 1.0: average 33/9 = 3.67 (Strategic by score), capped at 2
    assert "Overall: Proactive (level 2 of 4), with an average of 3.67" in result.stdout
    assert "Transparency is still Reactive" in result.stdout
    assert "Where to start:" in result.stdout
    assert "not a verdict" in result.stdout


def test_score_keeps_valid_answers_and_names_bad_ones(tmp_path, question_ids):
    """An unknown question and a bad option fail the run but the rest is still scored."""
    answers = dict.fromkeys(question_ids, "b")
    answers[question_ids[0]] = "z"
    answers["no_such_question"] = "a"
    result = run_cli("score", str(_answers_file(tmp_path, answers)), "--format", "json")
    assert result.returncode == 1
    assert f"question {question_ids[0]!r}: unknown answer 'z'" in result.stderr
    assert "question 'no_such_question': unknown question" in result.stderr
    assert json.loads(result.stdout)["overall_level"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"business_id": "x", "answers": {', "line 1, column 34: invalid JSON"),
        ('{"business_id": "x"}', "expected an object with 'business_id' and an 'answers' object"),
        ('{"business_id": "../../etc", "answers": {}}', "business_id '../../etc' must be"),
    ],
)
def test_score_malformed_json(tmp_path, content, message):
    """Is a broken answers file refused with where and why?"""
    path = tmp_path / "answers.json"
    path.write_text(content)
    result = run_cli("score", str(path))
    assert result.returncode != 0
    assert message in result.stderr


def test_score_cohort_keeps_good_rows(tmp_path, question_ids):
    """A cohort with one bad answer scores every row (the bad one on its valid answers) and
    names the bad answer by row number and question."""
    path = tmp_path / "cohort.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Business_ID ", "business_name", *question_ids])
        writer.writerow(["00123", "First Bakery", *["a"] * len(question_ids)])
        writer.writerow(["bad-row", "Broken Books", "q", *["b"] * (len(question_ids) - 1)])
        writer.writerow(["NA", "Third Cafe", *["c"] * len(question_ids)])
    result = run_cli("score", str(path))
    assert result.returncode == 1
    assert (
        f"business 'bad-row' (row 3): question {question_ids[0]!r}: unknown answer 'q'"
        in result.stderr
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith("Broken Books (bad-row)") for line in lines)
    assert any(line.startswith("First Bakery (00123)") and "1 Reactive" in line for line in lines)
    assert any(line.startswith("Third Cafe (NA)") and "3 Strategic" in line for line in lines)


def test_sample_cohort_spans_all_levels():
    """Does the bundled sample cohort place businesses at every one of the four levels?"""
    result = run_cli(
        "score",
        str(bundled_definitions().files.model.parents[1] / "kit" / "samples" / "sample_cohort.csv"),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert 12 <= len(data["businesses"]) <= 20
    assert {b["overall_level"] for b in data["businesses"]} == {1, 2, 3, 4}


def test_validate_checks_course_content_too(tmp_path):
    """Does `eakit validate` reach quiz files, naming the broken quiz option's place?"""
    import shutil

    from kit.paths import CONTENT_DIR

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    quiz = content / "quizzes" / "social_impact.yaml"
    text = quiz.read_text()
    quiz.write_text(text.replace("feedback:", "feedbak:", 1))
    result = run_cli("validate", str(content))
    assert result.returncode == 1
    assert f"{quiz}:" in result.stderr
    assert "feedbak: Extra inputs are not permitted" in result.stderr


def test_purge_erases_only_businesses_past_retention(tmp_path, question_ids):
    """`eakit purge` keeps the privacy notice's promise: after 365 idle days the data goes."""
    from kit.store.database import Store
    from tests.test_store import _age_business

    database = tmp_path / "store.sqlite"
    with Store.open(str(database)) as store:
        for business_id in ("smb-old", "smb-new"):
            store.submit("w1", business_id, dict.fromkeys(question_ids, "b"), business_id)
        _age_business(store, "smb-old", 366)
    result = run_cli("purge", "--database", str(database), "--yes")
    assert result.returncode == 0, result.stderr
    assert "Inactive for more than 365 days: smb-old" in result.stdout
    assert "Erased 1 business(es)" in result.stdout
    with Store.open(str(database)) as store:
        assert [r.business_id for r in store.latest_submissions("w1")] == ["smb-new"]
    again = run_cli("purge", "--database", str(database), "--yes")
    assert "nothing to erase" in again.stdout


def test_score_places_a_team_business_once_on_its_combined_answers(tmp_path, question_ids):
    """Three respondents of one business answer every question a (level 1), c (3) and d (4):
    the lower median of 1, 3, 4 is 3 on every question, so the business is Strategic, on one
    line that says it rests on three respondents; a one-person business sits beside it."""
    path = tmp_path / "team.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["business_id", "business_name", "respondent", "role", *question_ids])
        for code, role, answer in (
            ("t-1", "owner", "a"),
            ("t-2", "staff", "c"),
            ("t-3", "partner", "d"),
        ):
            writer.writerow(["team-co", "Team Co", code, role, *[answer] * len(question_ids)])
        writer.writerow(["solo-co", "Solo Co", "", "", *["b"] * len(question_ids)])
    result = run_cli("score", str(path))
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith(("Team Co", "Solo Co"))]
    assert len(rows) == 2
    assert rows[0].startswith("Team Co (team-co), 3 respondents") and "3 Strategic" in rows[0]
    assert rows[1].startswith("Solo Co (solo-co)") and "2 Proactive" in rows[1]
    as_json = json.loads(run_cli("score", str(path), "--format", "json").stdout)
    assert [(b["business_id"], b["respondents"]) for b in as_json["businesses"]] == [
        ("team-co", 3),
        ("solo-co", 1),
    ]
