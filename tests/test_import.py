"""`eakit import`, `export` and `delete` as a trainer runs them, over a corpus of messy files.

The corpus (tests/fixtures/import/) holds the spreadsheets trainers really send: other encodings,
a BOM, semicolons, typos in headers, duplicate ids, hostile names, ids that look like numbers or
missing values. Each good row must be stored and each bad one named with its row and reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.store.database import Store
from tests.conftest import FIXTURES, run_cli

CORPUS = FIXTURES / "import"
TRANSPARENCY_ALLOWED = "(allowed: a, b, c, d, dont_know)"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'import.sqlite'}"


def import_file(name: str, database: str, workshop: str = "corpus"):
    return run_cli("import", str(CORPUS / name), "--workshop", workshop, "--database", database)


def stored(database: str, workshop: str = "corpus") -> dict[str, tuple[str, dict]]:
    with Store.open(database) as store:
        return {
            r.business_id: (r.display_name, r.answers) for r in store.latest_submissions(workshop)
        }


# name, exit status, ids stored, rows rejected, messages on stderr (each after the file path)
CASES = [
    ("plain_utf8.csv", 0, ["smb-103"], 0, []),
    ("bom_header_spaces.csv", 0, ["smb-101", "smb-102"], 0, []),
    ("semicolon.csv", 0, ["smb-106", "smb-107"], 0, []),
    (
        "duplicate_ids.csv",
        1,
        ["smb-109", "smb-110"],
        1,
        ["row 4: business_id 'smb-109' already used on row 2"],
    ),
    (
        "unknown_column.csv",
        1,
        ["smb-111"],
        0,
        [
            "column 'transparncy_chatbot_disclosure': unknown question (did you mean "
            "'transparency_chatbot_disclosure'?); its answers were not read"
        ],
    ),
    (
        "bad_option.csv",
        1,
        ["smb-112"],
        2,
        [
            "row 3, column 'transparency_automation_notice': unknown answer 'e' "
            + TRANSPARENCY_ALLOWED,
            "row 4, column 'transparency_automation_notice': 'not applicable' is not offered for "
            "this question " + TRANSPARENCY_ALLOWED,
        ],
    ),
    ("too_many_cells.csv", 1, ["smb-115"], 1, ["row 3: 7 cells but the header has 5 columns"]),
    (
        "hostile_names.csv",
        1,
        ["smb-117", "smb-118", "smb-119"],
        2,
        [
            "row 3: business_id '<script>' must be 1-64 letters, digits, '.', '_' or '-', starting "
            "with a letter or digit",
            "note: ",
            "row 5: business_name: its lines were joined",
            "row 6: business_id '../../etc' must be",
        ],
    ),
    ("text_ids.csv", 1, ["00123", "NA", "None"], 1, ["row 5: business 'smb-120' has no answers"]),
    (
        "latin1.csv",
        0,
        ["smb-104"],
        0,
        ["note: ", "not saved as UTF-8; read as Windows-1252 (Western European)"],
    ),
    (
        "numeric_id.xlsx",
        0,
        ["00124", "12.5", "123"],
        0,
        [
            "note: ",
            "row 2: business_id '123' was a number in the spreadsheet, so any leading "
            "zeros are gone; format that column as Text",
            "row 4: business_id '12.5' was a number",
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "status", "ids", "rejected", "messages"), CASES, ids=[case[0] for case in CASES]
)
def test_import_corpus(database, name, status, ids, rejected, messages):
    """Are the good rows stored, each bad row named (file, row, column, reason), and the exit
    status non-zero whenever something was left out?"""
    result = import_file(name, database)
    assert result.returncode == status, result.stderr
    for message in messages:
        assert message in result.stderr
    for line in result.stderr.splitlines():
        assert str(CORPUS / name) in line
    assert sorted(stored(database)) == ids
    assert f"{len(ids)} new submission(s) stored in workshop 'corpus'" in result.stdout
    assert f"{rejected} row(s) rejected" in result.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "utf16.csv",
            "utf16.csv: UTF-16 text (a spreadsheet's 'Unicode text' export); save it as "
            "'CSV UTF-8' and try again",
        ),
        (
            "missing_business_id.csv",
            "missing_business_id.csv: line 1: no 'business_id' column in "
            "the header (write a blank one with 'eakit template')",
        ),
    ],
)
def test_unreadable_files_store_nothing(database, name, message):
    """A file that cannot be read at all is refused with exit 2 and one clear line."""
    result = import_file(name, database)
    assert result.returncode == 2
    assert result.stderr.startswith("eakit import: ")
    assert message in result.stderr
    assert stored(database) == {}


def test_values_are_kept_as_written(database):
    """Text ids stay text, aliases become answer ids, and names (even hostile) are kept."""
    import_file("text_ids.csv", database)
    import_file("bom_header_spaces.csv", database)
    import_file("hostile_names.csv", database)
    rows = stored(database)
    assert rows["00123"][0] == "Leading Zeros"
    assert rows["None"][0] == "Nobody Inc"
    assert rows["smb-101"] == (
        "Café Olé",
        {
            "transparency_chatbot_disclosure": "a",
            "transparency_automation_notice": "b",
            "fairness_bias_equal_treatment": "dont_know",
        },
    )
    assert rows["smb-102"][1]["transparency_chatbot_disclosure"] == "not_applicable"
    assert rows["smb-117"][0] == "<script>alert(1)</script>"
    assert rows["smb-118"][0] == '=HYPERLINK("http://x")'


def test_importing_twice_adds_nothing(database):
    """The same file imported again stores no new row and says so."""
    first = import_file("duplicate_ids.csv", database)
    second = import_file("duplicate_ids.csv", database)
    assert "2 new submission(s)" in first.stdout
    assert "0 new submission(s) stored in workshop 'corpus', 2 already stored" in second.stdout
    with Store.open(database) as store:
        assert store.submission_count() == 2


def test_changed_answers_are_a_new_assessment(database, tmp_path):
    """A business whose answers changed since the last import gains a second submission."""
    import_file("plain_utf8.csv", database)
    changed = tmp_path / "changed.csv"
    changed.write_text((CORPUS / "plain_utf8.csv").read_text().replace(",b,b,b", ",c,c,c"))
    result = run_cli("import", str(changed), "--workshop", "corpus", "--database", database)
    assert "1 new submission(s)" in result.stdout
    with Store.open(database) as store:
        assert [r.answers["transparency_chatbot_disclosure"] for r in store.history("smb-103")] == [
            "b",
            "c",
        ]


def test_import_refuses_unsafe_workshop(database):
    """Is a workshop code that could escape a folder refused before reading anything?"""
    result = run_cli(
        "import", str(CORPUS / "plain_utf8.csv"), "--workshop", "../x", "--database", database
    )
    assert result.returncode == 2
    assert "workshop '../x' must be" in result.stderr


def test_database_from_environment(tmp_path):
    """Without --database, EAKIT_DATABASE_URL picks the store."""
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    result = run_cli(
        "import",
        str(CORPUS / "plain_utf8.csv"),
        "--workshop",
        "corpus",
        env={"EAKIT_DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr
    assert list(stored(url)) == ["smb-103"]


# --- export and delete --------------------------------------------------------------------------


def test_export_writes_everything_held(database, tmp_path):
    """`eakit export` writes the business's data as JSON, to the screen or a file."""
    import_file("text_ids.csv", database)
    result = run_cli("export", "00123", "--database", database)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["business_id"], data["display_name"]) == ("00123", "Leading Zeros")
    assert [s["source"] for s in data["submissions"]] == ["import"]
    out = tmp_path / "export" / "00123.json"
    result = run_cli("export", "00123", "--database", database, "--out", str(out))
    assert f"Wrote {out}: 1 submission(s), 0 draft(s), 0 consent(s)." in result.stdout
    assert json.loads(out.read_text())["business_id"] == "00123"


def test_export_unknown_business(database):
    """Asking for a business the store does not hold says so (exit 2)."""
    result = run_cli("export", "smb-404", "--database", database)
    assert result.returncode == 2
    assert "eakit export: no data is held on business 'smb-404'" in result.stderr


@pytest.mark.parametrize("answer", ["", "n", "no"])
def test_delete_asks_first(database, answer):
    """Without --yes nothing is erased unless the trainer answers yes."""
    import_file("plain_utf8.csv", database)
    result = run_cli("delete", "smb-103", "--database", database, input=answer + "\n")
    assert result.returncode == 1
    assert "Erase business 'smb-103' (1 submission(s), 0 draft(s), 0 consent(s))" in result.stdout
    assert "Nothing deleted." in result.stdout
    assert "smb-103" in stored(database)


def test_delete_erases_and_lists_report_files(database, tmp_path):
    """After a yes the business is gone; its report files are listed, not touched."""
    import_file("duplicate_ids.csv", database)
    reports = tmp_path / "reports"
    (reports / "corpus" / "businesses").mkdir(parents=True)
    (reports / "corpus" / "notebooks").mkdir(parents=True)
    mine = [
        reports / "corpus" / "businesses" / "smb-109.html",
        reports / "corpus" / "notebooks" / "smb-109.ipynb",
    ]
    other = reports / "corpus" / "businesses" / "smb-1090.html"
    for path in [*mine, other]:
        path.write_text("report")
    result = run_cli(
        "delete", "smb-109", "--database", database, "--reports", str(reports), input="y\n"
    )
    assert result.returncode == 0, result.stderr
    assert (
        "Erased business 'smb-109' from the store (submissions: 1, enrolments: 1, businesses: 1)."
    ) in result.stdout
    assert "Also remove these report files (or rerun with --remove-files):" in result.stdout
    assert all(f"  {path}" in result.stdout for path in mine)
    assert str(other) not in result.stdout
    assert all(path.exists() for path in mine)
    assert sorted(stored(database)) == ["smb-110"]


def test_delete_yes_remove_files(database, tmp_path):
    """With --yes --remove-files a script erases the rows and the business's report."""
    import_file("plain_utf8.csv", database)
    folder = tmp_path / "reports" / "businesses"
    folder.mkdir(parents=True)
    (folder / "smb-103.html").write_text("report")
    result = run_cli(
        "delete",
        "smb-103",
        "--yes",
        "--remove-files",
        "--database",
        database,
        "--reports",
        str(tmp_path / "reports"),
    )
    assert result.returncode == 0, result.stderr
    assert f"Removed 1 report file(s) under {tmp_path / 'reports'}:" in result.stdout
    assert not (folder / "smb-103.html").exists()
    assert stored(database) == {}
    again = run_cli("delete", "smb-103", "--yes", "--database", database)
    assert "Nothing is held on business 'smb-103'; nothing to delete." in again.stdout
