"""The cohort spreadsheet's optional team columns and `eakit review`, run as a trainer would.

respondent, role, target:<area>, note:<question> and link:<question> are optional: a sheet
without them imports exactly as before; a bad cell is named with its row and column and left
out, and the rest of its row (and every other row) is kept.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kit.core.definitions import bundled_definitions
from kit.store.database import Store
from tests.conftest import run_cli

DEFS = bundled_definitions()
QUESTIONS = list(DEFS.questions)
Q1, Q2 = QUESTIONS[0], QUESTIONS[1]  # both in transparency


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'team.sqlite'}"


def _sheet(tmp_path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "cohort.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def _import(path: Path, database: str, workshop: str = "w1"):
    return run_cli("import", str(path), "--workshop", workshop, "--database", database)


def _all(option: str) -> dict[str, str]:
    return dict.fromkeys(QUESTIONS, option)


def test_template_lists_the_optional_columns(tmp_path):
    out = tmp_path / "cohort.csv"
    result = run_cli("template", "--out", str(out))
    assert result.returncode == 0
    header = next(csv.reader(out.open()))
    n = len(QUESTIONS)
    assert header[: 2 + n] == ["business_id", "business_name", *QUESTIONS]
    assert header[2 + n : 4 + n] == ["respondent", "role"]
    assert header[4 + n : 4 + n + 9] == [f"target:{area}" for area in DEFS.dimensions]
    assert header[4 + n + 9 : 4 + n + 11] == [f"note:{Q1}", f"link:{Q1}"]
    assert len(header) == 4 + 9 + 3 * n
    assert "optional" in result.stdout and "owner, staff, partner, adviser" in result.stdout
    # the blank template imports (nothing to store, no problem)
    database = f"sqlite:///{tmp_path / 'blank.sqlite'}"
    assert _import(out, database).returncode == 0


def test_team_rows_are_stored_with_respondent_role_targets_and_notes(tmp_path, database):
    header = ["business_id", "respondent", "role", *QUESTIONS, "target:transparency"]
    header += ["target:people", f"note:{Q1}", f"link:{Q1}", f"note:{Q2}"]
    rows = [
        _all("a")
        | {"business_id": "smb-1", "respondent": "smb-1-a", "role": "Owner"}
        | {"target:transparency": "3", f"note:{Q1}": "We say so on the phone line"}
        | {f"link:{Q1}": "https://example.org/notice"},
        _all("c")
        | {"business_id": "smb-1", "respondent": "smb-1-b", "role": "staff"}
        | {"target:people": "4"},
        _all("d") | {"business_id": "smb-1", "respondent": "smb-1-c", "role": "adviser"},
        _all("b") | {"business_id": "smb-2"},  # one respondent, as before
    ]
    result = _import(_sheet(tmp_path, header, rows), database)
    assert result.returncode == 0, result.stderr
    assert "4 new submission(s)" in result.stdout
    assert "Targets set from 2 row(s)" in result.stdout
    with Store.open(database) as store:
        latest = store.latest_by_respondent("w1", "smb-1")
        assert [(r.respondent, r.role) for r in latest] == [
            ("smb-1-a", "owner"),
            ("smb-1-b", "staff"),
            ("smb-1-c", "adviser"),
        ]
        assert latest[0].notes[Q1].note == "We say so on the phone line"
        assert latest[0].notes[Q1].link == "https://example.org/notice"
        assert latest[1].notes == {}
        assert store.targets("smb-1") == {"people": 4, "transparency": 3}
        (single,) = store.latest_by_respondent("w1", "smb-2")
        assert (single.respondent, single.role) == ("", "")
    again = _import(_sheet(tmp_path, header, rows), database)
    assert "0 new submission(s)" in again.stdout and "4 already stored" in again.stdout
    with Store.open(database) as store:
        assert len(store.target_history("smb-1")) == 2  # unchanged targets add no rows


def test_bad_cells_are_named_and_the_rest_kept(tmp_path, database):
    """Each of issue 14's bad inputs, one per row, with its row and column in the message."""
    header = ["business_id", "respondent", "role", *QUESTIONS, "target:transparency"]
    header += ["target:atlantis", f"note:{Q1}", f"link:{Q1}"]
    letter = {c: i for i, c in enumerate(header)}

    def cell(column: str, row: int) -> str:
        index = letter[column]
        return (
            ("" if index < 26 else chr(ord("A") + index // 26 - 1))
            + chr(ord("A") + index % 26)
            + str(row)
        )

    rows = [
        _all("a") | {"business_id": "smb-1", "respondent": "smb-1-a", "role": "boss"},  # row 2
        _all("b") | {"business_id": "smb-2", "target:transparency": "5"},  # row 3
        _all("b") | {"business_id": "smb-3", f"note:{Q1}": "x" * 501},  # row 4
        _all("b")
        | {"business_id": "smb-4", f"note:{Q1}": "kept"}
        | {f"link:{Q1}": "javascript:alert(1)"},  # row 5
        _all("c") | {"business_id": "smb-5", "respondent": "smb-2", "role": "staff"},  # row 6
        _all("d") | {"business_id": "smb-6", "target:transparency": "2"},  # row 7
    ]
    result = _import(_sheet(tmp_path, header, rows), database)
    assert result.returncode == 1
    err = result.stderr
    assert "column 'target:atlantis': unknown area" in err
    assert f"row 2, column 'role' (cell {cell('role', 2)}): unknown role 'boss'" in err
    assert (
        f"row 3, column 'target:transparency' (cell {cell('target:transparency', 3)}): "
        "The target for Transparency must be a whole level from 1 to 4, not 5." in err
    )
    assert f"row 4, column 'note:{Q1}' (cell {cell(f'note:{Q1}', 4)}): This note is 501" in err
    assert f"row 5, column 'link:{Q1}' (cell {cell(f'link:{Q1}', 5)}): Only web links" in err
    assert 'row 6: "smb-2" is already the code of a business' in err
    with Store.open(database) as store:
        stored = {r.business_id for r in store.latest_submissions("w1")}
        assert stored == {"smb-2", "smb-3", "smb-4", "smb-6"}  # rows 2 and 6 refused
        assert store.targets("smb-2") == {}
        assert store.targets("smb-6") == {"transparency": 2}
        (four,) = store.history("smb-4")
        assert four.notes[Q1].note == "kept" and four.notes[Q1].link == ""
        assert store.history("smb-3")[0].notes == {}
        assert store.history("smb-1") == []


def test_a_second_workshop_cannot_take_a_business_mid_assessment(tmp_path, database):
    with Store.open(database) as store:
        store.join_respondent("w1", "smb-1", "smb-1-a", "owner")  # joined, not submitted
    header = ["business_id", "respondent", "role", *QUESTIONS]
    rows = [
        _all("b") | {"business_id": "smb-1", "respondent": "smb-1-b", "role": "staff"},
        _all("b") | {"business_id": "smb-7", "respondent": "smb-7-b", "role": "staff"},
    ]
    result = _import(_sheet(tmp_path, header, rows), database, workshop="w2")
    assert result.returncode == 1
    assert "row 2: Business smb-1 is being answered in workshop w1" in result.stderr
    with Store.open(database) as store:
        assert [r.business_id for r in store.latest_submissions("w2")] == ["smb-7"]


def test_review_signs_off_the_newest_submission(tmp_path, database):
    with Store.open(database) as store:
        first = store.submit("w1", "smb-1", _all("a"), "k-1")
        newest = store.submit("w1", "smb-1", _all("b"), "k-2")
    result = run_cli(
        "review", "smb-1", "--by", "Ana Ruiz", "--note", "Went through it", "--database", database
    )
    assert result.returncode == 0, result.stderr
    assert f"Submission {newest.id} of business 'smb-1'" in result.stdout
    assert "reviewed by Ana Ruiz" in result.stdout
    picked = run_cli(
        "review",
        "smb-1",
        "--by",
        "Bo",
        "--note",
        "Older one",
        "--submission",
        str(first.id),
        "--database",
        database,
    )
    assert picked.returncode == 0, picked.stderr
    with Store.open(database) as store:
        reviews = [(r.review.reviewer, r.review.note) for r in store.history("smb-1")]
    assert reviews == [("Bo", "Older one"), ("Ana Ruiz", "Went through it")]
    wrong = run_cli(
        "review",
        "smb-1",
        "--by",
        "Bo",
        "--note",
        "x",
        "--submission",
        "999",
        "--database",
        database,
    )
    assert wrong.returncode != 0
    assert f"submission 999 is not one of business 'smb-1''s (its submissions: {first.id}, " in (
        wrong.stderr
    )
    nobody = run_cli("review", "smb-9", "--by", "Bo", "--note", "x", "--database", database)
    assert "business 'smb-9' has no submission to review" in nobody.stderr
    too_long = run_cli("review", "smb-1", "--by", "Bo", "--note", "x" * 501, "--database", database)
    assert "review note: This note is 501 characters" in too_long.stderr
