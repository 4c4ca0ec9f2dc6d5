"""Faults that careless and hostile users meet, run against the real ``eakit`` (issue 12).

Each test reproduces one fault from the issue through the command line (in-process through
``kit.cli.main``, or the console script where the exit path matters), on a real SQLite file and,
where the fault applies to both, a real PostgreSQL server. Each asserts what a trainer reads,
the exit status, and that nothing valid was lost: rows still in the store, other businesses'
files untouched.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kit.cli import main
from kit.store.database import Store
from tests.postgres import postgres_server  # noqa: F401

Q1, Q2, Q3 = (
    "transparency_chatbot_disclosure",
    "transparency_automation_notice",
    "fairness_bias_equal_treatment",
)
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
        return {
            r.business_id: (r.display_name, r.answers) for r in store.latest_submissions(workshop)
        }


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- items 1 and 2: delete removes exactly one business, and says where copies remain --------


def import_rows(capsys, database: str, tmp_path: Path, *ids: str) -> None:
    rows = "".join(f"{bid},Name {bid},a,b,c\n" for bid in ids)
    cohort = write(tmp_path / f"rows{len(ids)}.csv", f"{HEADER}\n{rows}")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", database)
    assert status == 0, err


def batch_output(out: Path, *ids: str) -> dict[str, list[Path]]:
    """The files a batch writes per business (OUT/businesses, OUT/notebooks)."""
    files = {}
    for bid in ids:
        files[bid] = [
            out / "businesses" / f"{bid}.html",
            out / "businesses" / f"{bid}.pdf",
            out / "notebooks" / f"{bid}.ipynb",
        ]
        for path in files[bid]:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"report of {bid}")
    return files


def test_delete_removes_only_that_business_files(capsys, tmp_path, db):
    """Item 1: ids that start like another (smb-1.5, smb-1_old) keep their files and rows."""
    ids = ("smb-1", "smb-1.5", "smb-1_old", "smb-10")
    import_rows(capsys, db, tmp_path, *ids)
    out = tmp_path / "reports"
    files = batch_output(out, *ids)
    status, stdout, err = eakit(
        capsys, "delete", "smb-1", "--yes", "--remove-files", "--database", db, "--reports", out
    )
    assert status == 0, err
    assert f"Removed 3 report file(s) under {out}:" in stdout
    assert not any(path.exists() for path in files["smb-1"])
    assert all(path.read_text() == f"report of {bid}" for bid in ids[1:] for path in files[bid])
    assert sorted(stored(db)) == ["smb-1.5", "smb-10", "smb-1_old"]


def test_delete_names_manifests_and_batch_stores(capsys, tmp_path, db):
    """Item 2: the batch manifest and OUT/cohort.sqlite holding the business are named; with
    --remove-files its manifest line goes, the other businesses' lines stay."""
    from kit.batch.manifest import OK, Entry, write_manifest
    from kit.batch.output import OutputFolder

    import_rows(capsys, db, tmp_path, "smb-1", "smb-2")
    out = tmp_path / "reports"
    batch_output(out, "smb-1", "smb-2")
    import_rows(capsys, str(out / "cohort.sqlite"), tmp_path, "smb-1", "smb-2", "smb-3")
    write_manifest(
        OutputFolder(out),
        [
            Entry("smb-1", "Name smb-1", OK, {"html": "businesses/smb-1.html"}),
            Entry("smb-2", "Name smb-2", OK, {"html": "businesses/smb-2.html"}),
        ],
        {"workshop": "w1"},
    )
    status, stdout, _ = eakit(
        capsys, "delete", "smb-1", "--yes", "--database", db, "--reports", out
    )
    assert status == 0
    assert (
        f"Still named in {out / 'manifest.csv'} and .json (--remove-files takes it out)." in stdout
    )
    copy_line = (
        f"A copy of business 'smb-1' remains in {out / 'cohort.sqlite'}: erase it "
        f"with `eakit delete smb-1 --database {out / 'cohort.sqlite'}`."
    )
    assert copy_line in stdout
    status, stdout, _ = eakit(
        capsys, "delete", "smb-1", "--yes", "--remove-files", "--database", db, "--reports", out
    )
    assert status == 0
    assert f"Took business 'smb-1' out of {out / 'manifest.csv'} and .json." in stdout
    assert copy_line in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["business_id"] for e in manifest["businesses"]] == ["smb-2"]
    assert manifest["workshop"] == "w1"
    assert "smb-1," not in (out / "manifest.csv").read_text()
    assert "smb-2,Name smb-2,ok" in (out / "manifest.csv").read_text()
    assert sorted(stored(str(out / "cohort.sqlite"))) == ["smb-1", "smb-2", "smb-3"]


# --- item 3: CSV as a European Excel saves it --------------------------------------------------

EUROPEAN = (
    f"business_id;business_name;{Q1};{Q2};{Q3}\r\n"
    "smb-1;Café Müller;a;b;c\r\nsmb-2;Crème Brûlée Hélène;b;b;b\r\n"
    "smb-3;Bäckerei Groß – „Süß“;c;c;dont_know\r\n"
)


def test_windows_1252_semicolon_crlf_is_imported(capsys, tmp_path, db):
    """Item 3: 'CSV (semicolon separated)' in Windows-1252 is read, and the note says so."""
    cohort = write(tmp_path / "europe.csv", EUROPEAN, encoding="cp1252")
    status, out, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 0, err
    assert f"note: {cohort}: not saved as UTF-8; read as Windows-1252 (Western European)" in err
    assert "3 new submission(s)" in out
    names = {bid: name for bid, (name, _) in stored(db).items()}
    assert names == {
        "smb-1": "Café Müller",
        "smb-2": "Crème Brûlée Hélène",
        "smb-3": "Bäckerei Groß – „Süß“",
    }


def test_ambiguous_bytes_are_refused_naming_the_line(capsys, tmp_path, db):
    """Item 3: a short name that Cyrillic, Greek and Central European code pages all read
    as plausible text is refused, naming the line and two readings; nothing is stored."""
    text = f"{HEADER}\r\nsmb-1,Plain,a,b,c\r\nsmb-2,Рома,a,b,c\r\n"
    cohort = write(tmp_path / "cyrillic.csv", text, encoding="cp1251")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 2
    assert (
        f"eakit import: {cohort}: line 3: not UTF-8 text, and its encoding is ambiguous: "
        "it reads 'smb-2,Đîěŕ,a,b,c' as Windows-1250 (Central European) but "
        "'smb-2,–ÓÏ‡,a,b,c' as Mac Roman"
    ) in err
    assert "save it from your spreadsheet as 'CSV UTF-8'" in err
    assert stored(db) == {}


# --- item 8: one bad answer in a cohort file ---------------------------------------------------


def test_score_keeps_the_valid_answers_of_a_row_with_a_bad_one(capsys, tmp_path):
    """Item 8: a CSV row with one unknown answer is scored on its other answers, as the same
    mistake in a JSON file is; the bad cell is named and the exit status is 1."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\nsmb-1,One,a,z,c\nsmb-2,Two,a,b,c\n")
    as_json = write(
        tmp_path / "c.json",
        json.dumps(
            [
                {
                    "business_id": "smb-1",
                    "business_name": "One",
                    "answers": {Q1: "a", Q2: "z", Q3: "c"},
                },
                {
                    "business_id": "smb-2",
                    "business_name": "Two",
                    "answers": {Q1: "a", Q2: "b", Q3: "c"},
                },
            ]
        ),
    )
    results = {}
    for path in (cohort, as_json):
        status, out, err = eakit(capsys, "score", path, "--format", "json")
        assert status == 1
        assert "unknown answer 'z'" in err
        results[path.suffix] = {b["business_id"]: b for b in json.loads(out)["businesses"]}
    assert (
        f"{cohort}: business 'smb-1' (row 2): question '{Q2}': unknown answer 'z'"
        in eakit(capsys, "score", cohort)[2]
    )
    assert sorted(results[".csv"]) == ["smb-1", "smb-2"]
    assert results[".csv"] == results[".json"]


# --- items 6 and 7: workbooks as people lay them out ------------------------------------------


def workbook(
    path: Path, sheets: dict[str, list[list[object]]], merged: dict[str, str] | None = None
) -> Path:
    """An .xlsx written by openpyxl, which saves formulas without their results (as scripts and
    some programs do)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if merged and title in merged:
            sheet.merge_cells(merged[title])
    book.save(path)
    return path


XLSX_HEADER = ["business_id", "business_name", Q1, Q2, Q3]


def test_formula_cells_without_results_are_named(capsys, tmp_path, db):
    """Item 6: each answer cell holding an unsaved formula is named by its cell; the rows
    they are in are not stored half-answered; the good row is stored."""
    path = workbook(
        tmp_path / "formulas.xlsx",
        {
            "cohort": [
                XLSX_HEADER,
                ["smb-1", "One", '="a"', "b", "c"],
                ["smb-2", "Two", '="a"', '="b"', '=LOWER("C")'],
                ["smb-3", "Three", "a", "b", "c"],
            ]
        },
    )
    status, out, err = eakit(capsys, "import", path, "--workshop", "w1", "--database", db)
    assert status == 1
    where = f"{path}: sheet 'cohort'"
    assert (
        f"{where}: row 2, column '{Q1}' (cell C2): a formula with no saved result "
        '(="a"), so its answer was not read'
    ) in err
    for cell, column in (("C3", Q1), ("D3", Q2), ("E3", Q3)):
        assert f"{where}: row 3, column '{column}' (cell {cell}): a formula" in err
    assert "has no answers" not in err
    assert "2 row(s) rejected" in out
    assert list(stored(db)) == ["smb-3"]


def test_header_below_a_title_and_data_on_the_second_sheet(capsys, tmp_path, db):
    """Item 7: a title above the header and an instructions sheet before the data are passed
    over, and the notes say so."""
    path = workbook(
        tmp_path / "laid_out.xlsx",
        {
            "Instructions": [["Fill in one row per business"], ["Answers: a-d"]],
            "Lyon 2024": [
                ["Cohort Lyon, spring 2024"],
                [],
                XLSX_HEADER,
                ["smb-1", "One", "a", "b", "c"],
            ],
        },
    )
    status, _out, err = eakit(capsys, "import", path, "--workshop", "w1", "--database", db)
    assert status == 0, err
    assert (
        f"note: {path}: sheet 'Lyon 2024': read this sheet; 'Instructions' has no "
        "'business_id' header"
    ) in err
    assert (
        f"note: {path}: sheet 'Lyon 2024': the header is on row 3; row(s) 1 above it were not read"
    ) in err
    assert list(stored(db)) == ["smb-1"]


def test_no_header_anywhere_names_the_sheets(capsys, tmp_path, db):
    """Item 7: the message names every sheet that was searched."""
    path = workbook(tmp_path / "none.xlsx", {"Notes": [["hello"]], "Data": [["id", "name"]]})
    status, _, err = eakit(capsys, "import", path, "--workshop", "w1", "--database", db)
    assert status == 2
    assert (
        f"eakit import: {path}: no 'business_id' column in the first 10 rows of any sheet "
        "(sheets: 'Notes', 'Data')"
    ) in err


def test_merged_header_cell_and_missing_questions_are_named(capsys, tmp_path, db):
    """Item 7: a column whose header was merged away is named instead of dropped silently,
    and the questions the file has no column for are listed."""
    path = workbook(
        tmp_path / "merged.xlsx",
        {
            "cohort": [
                ["business_id", "business_name", None, Q2, Q3],
                ["smb-1", "One", "a", "b", "c"],
                ["smb-2", "Two", "b", "b", "c"],
            ]
        },
        merged={"cohort": "B1:C1"},
    )
    status, _out, err = eakit(capsys, "import", path, "--workshop", "w1", "--database", db)
    assert status == 1
    where = f"{path}: sheet 'cohort'"
    assert (
        f"{where}: column C has no header (a merged or blank header cell?) but 2 filled "
        "cell(s) from row 2; they were not read"
    ) in err
    assert f"note: {where}: no column for 34 question(s), which count as unanswered: {Q1}, " in err
    assert sorted(stored(db)) == ["smb-1", "smb-2"]


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
    assert names == {f"smb-{i}": clean for i, (_, clean, _) in enumerate(HOSTILE_NAMES, start=1)}
    for i, (_, _, codes) in enumerate(HOSTILE_NAMES, start=1):
        assert (
            f"row {i + 1}: business_name: invisible or control characters were removed ({codes})"
        ) in err
    assert "\x1b" not in out + err and "\x07" not in out + err
    status, out, err = eakit(capsys, "score", cohort)
    assert status == 0, err
    assert not any(ch in out + err for ch in "\x1b\x07\x08\x00\u202e\u200b")


def test_score_prints_json_names_safely(capsys, tmp_path):
    """Item 16: a name in a JSON answers file is cleaned before it reaches the terminal."""
    answers = write(
        tmp_path / "a.json",
        json.dumps(
            {"business_id": "smb-1", "business_name": "\x1b]0;pwned\x07Shop", "answers": {Q1: "b"}}
        ),
    )
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
    cohort = write(
        tmp_path / "c.csv",
        "\r\n".join([full_header(), full_row("smb-1", '"Café\nMüller"'), full_row("smb-2", "Deux")])
        + "\r\n",
    )
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
    cohort = write(
        tmp_path / "c.csv",
        f'{HEADER}\nsmb-1,"Two\nlines",a,b,c\nsmb-2,Fine,a,b,c\nsmb-3,Typo,a,z,c\n',
    )
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    assert status == 1
    assert f"{cohort}: row 4, column '{Q2}': unknown answer 'z'" in err
    assert "row 5" not in err
    assert sorted(stored(db)) == ["smb-1", "smb-2"]


# --- items 17 and 18: ids every file system accepts, checked in full --------------------------


@pytest.mark.parametrize(
    ("business_id", "reason"),
    [
        ("CON", "business_id 'CON' is a name Windows keeps for a device"),
        ("nul.txt", "business_id 'nul.txt' is a name Windows keeps for a device"),
        ("com1", "business_id 'com1' is a name Windows keeps for a device"),
        ("LPT9.html", "business_id 'LPT9.html' is a name Windows keeps for a device"),
        ("smb.", "business_id 'smb.' must not end with '.'"),
    ],
)
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
    answers = write(
        tmp_path / "a.json",
        json.dumps(
            [
                {"business_id": None, "answers": {Q1: "b"}},
                {"business_id": "smb-2", "answers": {Q1: "b"}},
                {"business_id": "smb-3", "answers": {Q1: "c"}},
            ]
        ),
    )
    status, out, err = eakit(capsys, "score", answers, "--format", "json")
    assert status == 1
    assert f"{answers}: business 1: business_id must be text in quotes (got null)" in err
    assert [b["business_id"] for b in json.loads(out)["businesses"]] == ["smb-2", "smb-3"]
    assert "None" not in out


# --- item 19: options out of range, a folder given as a file --------------------------------


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            "0",
            "argument --older-than-days: must be a whole number of days from 1 to 36500 (got '0')",
        ),
        (
            "99999999",
            "argument --older-than-days: must be a whole number of days from 1 to 36500 "
            "(got '99999999')",
        ),
        (
            "ten",
            "argument --older-than-days: must be a whole number of days from 1 to 36500 "
            "(got 'ten')",
        ),
    ],
)
def test_purge_days_out_of_range(capsys, tmp_path, db, days, message):
    """Item 19: 0 no longer means 365, a huge number no longer overflows; nothing is erased."""
    cohort = write(tmp_path / "c.csv", f"{HEADER}\nsmb-2,Good,a,b,c\n")
    eakit(capsys, "import", cohort, "--workshop", "w1", "--database", db)
    with pytest.raises(SystemExit) as exit_info:
        main(["purge", "--older-than-days", days, "--yes", "--database", db])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert list(stored(db)) == ["smb-2"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["questions", "--out", "{tmp}"], "{tmp}: Is a directory; that is a folder; name a file"),
        (
            ["questions", "--out", "{tmp}/no/such/folder.json"],
            "{tmp}/no/such/folder.json: No such file or directory; check the path",
        ),
    ],
)
def test_files_that_cannot_be_written_are_one_line(capsys, tmp_path, argv, message):
    """Items 9/19: a file named on the command line that cannot be written: one line, exit 2."""
    argv = [a.format(tmp=tmp_path) for a in argv]
    status, _, err = eakit(capsys, *argv)
    assert status == 2
    assert err == f"eakit {argv[0]}: {message.format(tmp=tmp_path)}\n"


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


# --- item 9: a database that cannot be used ends in one line, exit 2, its rows kept ------------


def submissions_in(path: Path, on_read_only_disk: bool = False) -> int:
    uri = f"file:{path}?mode=ro" + ("&immutable=1" if on_read_only_disk else "")
    with sqlite3.connect(uri, uri=True) as conn:
        return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]


@pytest.fixture
def two_rows(capsys, tmp_path) -> Path:
    """A store holding two submissions, checkpointed into its main file."""
    path = tmp_path / "two.sqlite"
    import_rows(capsys, str(path), tmp_path, "smb-1", "smb-2")
    return path


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _text_file(path: Path) -> None:
    path.write_text("business_id,business_name\nsmb-1,Shop\n")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:20_000])


def _newer_schema(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")


DAMAGE = {
    "random bytes": (
        _random_bytes,
        "is not a database (another kind of file, or damaged "
        "beyond reading); check that --database names the right file",
    ),
    "a text file": (_text_file, "is not a database"),
    "truncated": (_truncated, "is damaged; restore it from a backup"),
    "newer schema": (
        _newer_schema,
        "was written by a newer version of the kit (its schema is "
        "unknown to this one); upgrade the kit",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_unusable_sqlite_file(capsys, tmp_path, two_rows, damage):
    """Item 9: each kind of unusable file is named with what to do; nothing is changed."""
    spoil, message = DAMAGE[damage]
    spoil(two_rows)
    before = two_rows.read_bytes()
    cohort = write(tmp_path / "more.csv", f"{HEADER}\nsmb-3,Three,a,b,c\n")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", two_rows)
    assert status == 2
    assert err == f"eakit import: database file {two_rows} {message}" + err.split(message)[1]
    assert "Traceback" not in err and len(err.splitlines()) == 1
    if damage == "newer schema":  # a readable store: its rows are all still there
        assert submissions_in(two_rows) == 2
    else:
        assert two_rows.read_bytes() == before


def test_newer_schema_on_postgresql(capsys, tmp_path, postgres_server):  # noqa: F811
    """Item 9: an unknown Alembic revision on a PostgreSQL server, too."""
    import psycopg

    url = postgres_server.create_database()
    import_rows(capsys, url, tmp_path, "smb-1", "smb-2")
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    cohort = write(tmp_path / "more.csv", f"{HEADER}\nsmb-3,Three,a,b,c\n")
    status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", url)
    assert status == 2
    assert err.startswith(f"eakit import: database {url} was written by a newer version")
    with psycopg.connect(conninfo) as conn:
        assert conn.execute("SELECT count(*) FROM submissions").fetchone()[0] == 2


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder``: a disk that fills up or is read-only for
    real (permissions alone do not stop root)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs ({mounted.stderr.strip()}); needs root"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_read_only_database(capsys, tmp_path, two_rows):
    """Item 9: a database on a read-only disk is refused in one line; its rows stay."""
    cohort = write(tmp_path / "more.csv", f"{HEADER}\nsmb-3,Three,a,b,c\n")
    with small_disk(tmp_path / "ro", "1m") as disk:
        copy = disk / "two.sqlite"
        copy.write_bytes(two_rows.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", copy)
        assert status == 2
        assert err.startswith(
            f"eakit import: database file {copy} cannot be opened for writing "
            "(is the file or its folder read-only, or missing?)"
        )
        assert submissions_in(copy, on_read_only_disk=True) == 2


def test_full_disk_keeps_what_was_stored_and_resumes(capsys, tmp_path):
    """Item 9: the disk filling up mid-import stops it with a summary; the rows stored are
    kept, and the same import after freeing space stores only the rest."""
    rows = "".join(full_row(f"smb-{i:03d}", "N" * 100) + "\n" for i in range(400))
    cohort = write(tmp_path / "big.csv", full_header() + "\n" + rows)
    with small_disk(tmp_path / "disk", "400k") as disk:
        database = disk / "store.sqlite"
        status, _, err = eakit(capsys, "import", cohort, "--workshop", "w1", "--database", database)
        assert status == 2
        assert "Traceback" not in err
        assert err.startswith(
            f"eakit import: database file {database} could not be written "
            "because the disk is full; free some space and run the same "
            "command again\n"
        )
        kept = int(
            re.search(
                r"stopped at row \d+; (\d+) new submission\(s\) stored before "
                r"it are kept, and importing the file again stores only the rest",
                err,
            ).group(1)
        )
        assert 0 < kept < 400
        assert submissions_in(database) == kept
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        status, out, err = eakit(
            capsys, "import", cohort, "--workshop", "w1", "--database", database
        )
        assert status == 0, err
        assert f"{400 - kept} new submission(s) stored in workshop 'w1', {kept} already" in out
        assert submissions_in(database) == 400


def test_batch_checks_the_database_before_starting(capsys, tmp_path):
    """Item 9: damaged pages inside an otherwise readable file stop a batch before any
    notebook runs."""
    database = tmp_path / "cohort.sqlite"
    rows = "".join(full_row(f"smb-{i:03d}", "Shop") + "\n" for i in range(200))
    import_rows_from = write(tmp_path / "c.csv", full_header() + "\n" + rows)
    assert (
        eakit(capsys, "import", import_rows_from, "--workshop", "w1", "--database", database)[0]
        == 0
    )
    data = bytearray(database.read_bytes())
    page = 4096
    middle = len(data) // page // 2
    data[middle * page : (middle + 4) * page] = os.urandom(4 * page)
    database.write_bytes(bytes(data))
    out = tmp_path / "out"
    status, _, err = eakit(
        capsys, "batch", "--workshop", "w1", "--database", database, "--out", out, "--workers", "1"
    )
    assert status == 2
    assert err.startswith(f"eakit batch: database file {database} is damaged")
    assert "restore it from a backup" in err
    assert not list((out / "notebooks").glob("*")) if (out / "notebooks").exists() else True


# --- item 13: two imports of one file at the same time ----------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite")
    return request.getfixturevalue("postgres_server").create_database()


def test_simultaneous_imports_count_each_row_once(tmp_path, any_store):
    """Item 13: each row is reported as new by exactly one of the two imports."""
    import sys

    from tests.conftest import run_eakit  # noqa: F401 (the same console script, two processes)

    rows = 300
    cohort = write(
        tmp_path / "cohort.csv",
        full_header()
        + "\n"
        + "".join(full_row(f"smb-{i:03d}", f"Shop {i}") + "\n" for i in range(rows)),
    )
    Store.open(any_store).close()  # the schema first, so both start writing at once
    eakit_script = str(Path(sys.executable).parent / "eakit")
    command = [eakit_script, "import", str(cohort), "--workshop", "w1", "--database", any_store]
    both = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=600) for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    new = [int(re.search(r"(\d+) new submission\(s\)", out).group(1)) for out, _ in outputs]
    again = [int(re.search(r"(\d+) already stored", out).group(1)) for out, _ in outputs]
    assert sum(new) == rows
    assert [n + a for n, a in zip(new, again, strict=True)] == [rows, rows]
    with Store.open(any_store) as store:
        assert store.submission_count() == rows


# --- item 14: files built to exhaust the reader -------------------------------------------------


def test_deeply_nested_yaml_is_refused(capsys, tmp_path):
    """Item 14: 20,000 levels of nesting are refused with the line, not a RecursionError."""
    path = write(
        tmp_path / "questionnaire.yaml",
        "version: 1.0.0\nquestions: " + "[" * 20_000 + "]" * 20_000 + "\n",
    )
    status, out, err = eakit(capsys, "validate", path)
    assert status == 1
    assert f"{path}:2: nested more than 50 levels deep" in err
    assert "Checked 1 file(s): 1 problem(s)." in out


def test_huge_definition_file_is_refused_at_once(capsys, tmp_path):
    """Item 14: a 22 MB questionnaire is refused by its size before it is parsed."""
    path = write(tmp_path / "questionnaire.yaml", "# padding\n" * 2_200_000)
    status, _, err = eakit(capsys, "validate", path)
    assert status == 1
    assert (
        f"{path}: 22.0 MB is larger than the 1 MB this kind of file may be; is it the right file?"
    ) in err


def test_long_integer_in_yaml_is_refused(capsys, tmp_path):
    """Item 14: a 5,000-digit number in YAML is named, not a ValueError."""
    path = write(tmp_path / "questionnaire.yaml", "version: 1.0.0\nlimit: " + "9" * 5000 + "\n")
    status, _, err = eakit(capsys, "validate", path)
    assert status == 1
    assert f"{path}:2: a number with more than 30 digits" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "line 1: nested more than 50 levels deep"),
        (
            json.dumps({"business_id": "smb-1", "answers": {Q1: "b"}})[:-2]
            + '}, "x":\n'
            + "1" * 5000
            + "}",
            "line 2: a number with more than 30 digits; answers are option ids",
        ),
    ],
)
def test_answers_json_limits(capsys, tmp_path, text, message):
    """Item 14: deep arrays and long integers in an answers file: one line, exit 2."""
    path = write(tmp_path / "answers.json", text)
    status, _, err = eakit(capsys, "score", path)
    assert status == 2
    assert err == f"eakit score: {path}: {message}" + err.split(message)[1]
    assert len(err.splitlines()) == 1


def test_huge_answers_file_is_refused(capsys, tmp_path):
    """Item 14: a cohort file over 20 MB is refused by its size."""
    path = write(tmp_path / "cohort.csv", HEADER + "\n" + "x" * 21_000_000)
    status, _, err = eakit(capsys, "score", path)
    assert status == 2
    assert f"{path}: 21.0 MB is larger than the 20 MB this kind of file may be" in err


# --- item 10: a business whose files cannot be written fails alone ------------------------------


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` read-only for real (a read-only bind mount stops root too)."""
    mounted = subprocess.run(
        ["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        reason = f"cannot bind-mount ({mounted.stderr.strip()}); needs root"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def manifest_entries(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["business_id"]: entry for entry in data["businesses"]}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_unwritable_files_fail_their_business_alone(capsys, tmp_path):
    """Item 10: a notebook that cannot be saved fails its business, whose earlier report is
    removed, while the others are written; a read-only businesses/ folder fails each business
    in the manifest (all listed), marking the old reports out of date, instead of stopping."""
    from kit.paths import SAMPLE_COHORT

    lines = SAMPLE_COHORT.read_text(encoding="utf-8").splitlines()
    cohort = write(tmp_path / "cohort.csv", "\n".join(lines[:4]) + "\n")
    ids = [line.split(",")[0] for line in lines[1:4]]
    out = tmp_path / "out"
    args = ["batch", cohort, "--workshop", "w1", "--out", out, "--workers", "2"]
    status, _, err = eakit(capsys, *args)
    assert status == 0, err
    first, second, third = ids
    (out / "notebooks" / f"{second}.ipynb").unlink()
    (out / "notebooks" / f"{second}.ipynb").mkdir()  # a name that cannot be written over
    status, stdout, err = eakit(capsys, *args, "--force")
    assert status == 1
    entries = manifest_entries(out)
    assert sorted(entries) == sorted(ids)
    assert entries[second]["status"] == "failed"
    assert entries[second]["error"] == (
        f"could not write notebooks/{second}.ipynb (Is a directory)"
    )
    assert not (out / "businesses" / f"{second}.html").exists()
    assert [entries[b]["status"] for b in (first, third)] == ["ok", "ok"]
    assert all((out / "businesses" / f"{b}.html").is_file() for b in (first, third))
    assert "2 report(s) written, 0 up to date, 1 failed" in stdout
    with read_only_folder(out / "businesses"):
        status, stdout, err = eakit(capsys, *args, "--force")
    assert status == 1
    assert "Traceback" not in err
    entries = manifest_entries(out)
    assert sorted(entries) == sorted(ids)
    for business in (first, third):
        assert entries[business]["status"] == "failed"
        assert entries[business]["error"] == (
            f"could not write businesses/{business}.html (Read-only file system); its earlier "
            f"report businesses/{business}.html could not be removed and is out of date"
        )
        assert entries[business]["reports"] == {}


# --- item 12: Ctrl-C says what was finished and how to carry on --------------------------------


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_ctrl_c_in_a_batch_says_what_was_finished(tmp_path):
    """Item 12: Ctrl-C (SIGINT to the whole process group, as a terminal sends it) ends with
    one line, no traceback, status 130, the manifest of what was done, and a rerun that
    carries on."""
    import signal
    import sys
    import time

    from kit.paths import SAMPLE_COHORT

    out = tmp_path / "out"
    command = [
        str(Path(sys.executable).parent / "eakit"),
        "batch",
        str(SAMPLE_COHORT),
        "--workshop",
        "w1",
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 600
    while not list((out / "businesses").glob("*.html")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    finished = re.search(
        r"eakit batch: interrupted: (\d+) of (\d+) report\(s\) are finished and "
        r"kept \(listed in (.+manifest\.csv)\); run the same command again to "
        r"carry on, finished reports are skipped",
        stderr,
    )
    assert finished, stderr
    done = int(finished.group(1))
    assert done >= 1
    entries = manifest_entries(out)
    assert sum(entry["status"] == "ok" for entry in entries.values()) == done
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{done} up to date" in rerun.stdout


# --- item 15: one definition file checked against the rest of its folder, with lines ----------


def test_validating_one_questionnaire_checks_its_dimensions(capsys, tmp_path):
    """Item 15: a questionnaire alone is checked against the maturity model beside it, and
    the cross-file message carries file:line."""
    from kit.paths import ASSESSMENTS_DIR

    folder = tmp_path / "assessments"
    folder.mkdir()
    for name in ("questionnaire.yaml", "maturity_model.yaml"):
        (folder / name).write_text((ASSESSMENTS_DIR / name).read_text(encoding="utf-8"))
    path = folder / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("dimension: transparency")].count("\n") + 1
    path.write_text(text.replace("dimension: transparency", "dimension: transparancy", 1))
    status, out, err = eakit(capsys, "validate", path)
    assert status == 1
    assert (
        f"{path}:{line}: questions[0 id=transparency_chatbot_disclosure].dimension: unknown "
        f"dimension 'transparancy' (the maturity model {folder / 'maturity_model.yaml'} "
        "has "
    ) in err
    assert "Checked 1 file(s): 1 problem(s)." in out


def test_version_mismatch_names_the_line(capsys, tmp_path):
    """Item 15: a model_version that does not match is placed at its line."""
    from kit.paths import ASSESSMENTS_DIR

    folder = tmp_path / "assessments"
    folder.mkdir()
    for name in ("questionnaire.yaml", "maturity_model.yaml"):
        (folder / name).write_text((ASSESSMENTS_DIR / name).read_text(encoding="utf-8"))
    path = folder / "questionnaire.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith("model_version"))
    lines[number - 1] = 'model_version: "0.0.1"'
    path.write_text("\n".join(lines) + "\n")
    status, _, err = eakit(capsys, "validate", folder)
    assert status == 1
    assert (
        f"{path}:{number}: model_version: '0.0.1' does not match the maturity model's version"
    ) in err
