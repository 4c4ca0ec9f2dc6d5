"""Faults that careless and hostile users meet, run against the real ``eakit`` (issue 12).

Each test reproduces one fault from the issue through the command line (in-process through
``kit.cli.main``, or the console script where the exit path matters), on a real SQLite file and,
where the fault applies to both, a real PostgreSQL server. Each asserts what a trainer reads,
the exit status, and that nothing valid was lost: rows still in the store, other businesses'
files untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.cli import main
from kit.store.database import Store

Q1, Q2, Q3 = ("transparency_chatbot_disclosure", "transparency_automation_notice",
              "fairness_bias_equal_treatment")
HEADER = f"business_id,business_name,{Q1},{Q2},{Q3}"


def eakit(capsys, *argv: str) -> tuple[int, str, str]:
    """Run one verb in this process; (exit status, stdout, stderr)."""
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.sqlite")


def stored(database: str, workshop: str = "w1") -> dict[str, tuple[str, dict]]:
    with Store.open(database) as store:
        return {r.business_id: (r.display_name, r.answers)
                for r in store.latest_submissions(workshop)}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- item 16: names that would drive a terminal or hide what they are -------------------------

HOSTILE_NAMES = [
    ("\x1b[2J\x1b]0;pwned\x07Acme", "[2J]0;pwnedAcme", "U+0007, U+001B"),
    ("Back\x08\x08space", "Backspace", "U+0008"),
    ("Nul\x00Byte", "NulByte", "U+0000"),
    ("Right\u202eto left", "Rightto left", "U+202E"),
    ("Zero\u200bWidth", "ZeroWidth", "U+200B"),
]


def test_control_and_bidi_characters_are_taken_out_of_names(capsys, tmp_path, db):
    """Item 16: every row is kept, each name cleaned and the change named; the score table
    never prints a raw control character."""
    rows = [f'smb-{i},"{raw}",a,b,c' for i, (raw, _, _) in enumerate(HOSTILE_NAMES, start=1)]
    cohort = write(tmp_path / "hostile.csv", "\n".join([HEADER, *rows]) + "\n")
    status, out, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 0, err
    assert "5 new submission(s)" in out
    names = {bid: name for bid, (name, _) in stored(db).items()}
    assert names == {f"smb-{i}": clean for i, (_, clean, _) in
                     enumerate(HOSTILE_NAMES, start=1)}
    for i, (_, _, codes) in enumerate(HOSTILE_NAMES, start=1):
        assert (f"row {i + 1}: business_name: invisible or control characters were removed "
                f"({codes})") in err
    assert "\x1b" not in out + err and "\x07" not in out + err
    status, out, err = eakit(capsys, "score", cohort)
    assert status == 0, err
    assert not any(ch in out + err for ch in "\x1b\x07\x08\x00\u202e\u200b")


def test_score_prints_json_names_safely(capsys, tmp_path):
    """Item 16: a name in a JSON answers file is cleaned before it reaches the terminal."""
    answers = write(tmp_path / "a.json", json.dumps(
        {"business_id": "smb-1", "business_name": "\x1b]0;pwned\x07Shop",
         "answers": {Q1: "b"}}))
    status, out, err = eakit(capsys, "score", answers)
    assert status == 0, err
    assert "]0;pwnedShop (smb-1)" in out
    assert "\x1b" not in out + err


# --- items 4 and 5: cells with line breaks ----------------------------------------------------

def full_row(business_id: str, name: str, answer: str = "b") -> str:
    """A CSV row answering all 36 questions of the bundled questionnaire."""
    from kit.core.definitions import bundled_definitions

    return ",".join([business_id, name, *[answer] * len(bundled_definitions().questions)])


def full_header() -> str:
    from kit.core.definitions import bundled_definitions

    return ",".join(["business_id", "business_name", *bundled_definitions().questions])


def test_name_typed_over_two_lines_keeps_the_assessment(capsys, tmp_path, db):
    """Item 4: an Alt+Enter in the name cell joins the lines; all 36 answers are stored."""
    cohort = write(tmp_path / "c.csv", "\r\n".join(
        [full_header(), full_row("smb-1", '"Café\nMüller"'), full_row("smb-2", "Deux")]) + "\r\n")
    status, _out, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 0, err
    assert f"note: {cohort}: row 2: business_name: its lines were joined" in err
    rows = stored(db)
    assert rows["smb-1"][0] == "Café Müller"
    assert len(rows["smb-1"][1]) == 36
    assert sorted(rows) == ["smb-1", "smb-2"]


def test_rows_after_a_multiline_cell_keep_their_spreadsheet_numbers(capsys, tmp_path, db):
    """Item 5: the row a spreadsheet shows as 4 is reported as row 4, though a cell above
    spans two lines of the file."""
    cohort = write(tmp_path / "c.csv", f'{HEADER}\nsmb-1,"Two\nlines",a,b,c\n'
                                       f"smb-2,Fine,a,b,c\nsmb-3,Typo,a,z,c\n")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 1
    assert f"{cohort}: row 4, column '{Q2}': unknown answer 'z'" in err
    assert "row 5" not in err
    assert sorted(stored(db)) == ["smb-1", "smb-2"]


# --- items 17 and 18: ids every file system accepts, checked in full --------------------------

@pytest.mark.parametrize(("business_id", "reason"), [
    ("CON", "business_id 'CON' is a name Windows keeps for a device"),
    ("nul.txt", "business_id 'nul.txt' is a name Windows keeps for a device"),
    ("com1", "business_id 'com1' is a name Windows keeps for a device"),
    ("LPT9.html", "business_id 'LPT9.html' is a name Windows keeps for a device"),
    ("smb.", "business_id 'smb.' must not end with '.'"),
])
def test_windows_reserved_ids_are_refused(capsys, tmp_path, db, business_id, reason):
    """Item 17: the row with the unusable id is named, the good row is stored."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\n{business_id},Bad,a,b,c\nsmb-2,Good,a,b,c\n")
    status, _out, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 1
    assert f"{cohort}: row 2: {reason}" in err
    assert list(stored(db)) == ["smb-2"]


@pytest.mark.parametrize("workshop", ["nl\n", "CON", "aux.2024"])
def test_workshop_codes_are_checked_in_full(capsys, tmp_path, db, workshop):
    """Items 17/18: a code with a final newline (which '$' lets through) or a device name is
    refused before anything is read or stored."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\nsmb-2,Good,a,b,c\n")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", workshop, "--database", db)
    assert status == 2
    assert err.startswith(f"eakit import: workshop {workshop!r}")
    assert not Path(db).exists() or stored(db, workshop="w1") == {}


def test_business_id_with_final_newline_is_refused(capsys, tmp_path):
    """Item 18: 'smb-1\\n' is not the id 'smb-1'."""
    status, _, err = eakit(capsys, "export", "smb-1\n", "--database", tmp_path / "s.sqlite")
    assert status == 2
    assert "business_id 'smb-1\\n' must be 1-64 letters" in err


def test_null_business_id_is_not_the_id_none(capsys, tmp_path):
    """Item 18: JSON null is a missing id, named as such, not the text 'None'."""
    answers = write(tmp_path / "a.json", json.dumps([
        {"business_id": None, "answers": {Q1: "b"}},
        {"business_id": "smb-2", "answers": {Q1: "b"}},
        {"business_id": "smb-3", "answers": {Q1: "c"}}]))
    status, out, err = eakit(capsys, "score", answers, "--format", "json")
    assert status == 1
    assert f"{answers}: business 1: business_id must be text in quotes (got null)" in err
    assert [b["business_id"] for b in json.loads(out)["businesses"]] == ["smb-2", "smb-3"]
    assert "None" not in out


# --- item 19: options out of range, a folder given as a file --------------------------------

@pytest.mark.parametrize(("days", "message"), [
    ("0", "argument --older-than-days: must be a whole number of days from 1 to 36500 "
          "(got '0')"),
    ("99999999", "argument --older-than-days: must be a whole number of days from 1 to 36500 "
                 "(got '99999999')"),
    ("ten", "argument --older-than-days: must be a whole number of days from 1 to 36500 "
            "(got 'ten')"),
])
def test_purge_days_out_of_range(capsys, tmp_path, db, days, message):
    """Item 19: 0 no longer means 365, a huge number no longer overflows; nothing is erased."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\nsmb-2,Good,a,b,c\n")
    eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    with pytest.raises(SystemExit) as exit_info:
        main(["purge", "--older-than-days", days, "--yes", "--database", db])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert list(stored(db)) == ["smb-2"]


def test_export_into_a_folder(capsys, tmp_path, db):
    """Item 19: --out naming a folder writes <id>.json inside it."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\nsmb-2,Good,a,b,c\n")
    eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    folder = tmp_path / "exports"
    folder.mkdir()
    status, out, err = eakit(capsys, "export", "smb-2", "--database", db, "--out", folder)
    assert status == 0, err
    assert f"Wrote {folder / 'smb-2.json'}: 1 submission(s)" in out
    assert json.loads((folder / "smb-2.json").read_text())["business_id"] == "smb-2"
