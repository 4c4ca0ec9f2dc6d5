"""The installed ``eakit`` executable itself, started as a trainer starts it.

Every other CLI test calls ``kit.cli.main`` in-process (tests/conftest.py ``run_cli``); these
few prove that the console script is installed, wired to that function, and hands its exit
status to the shell.
"""

from __future__ import annotations

import re

from kit import __version__
from kit.cli.parser import VERBS
from kit.store.database import Store
from tests.conftest import FIXTURES, run_eakit

CORPUS = FIXTURES / "import"


def test_help_lists_every_verb():
    """Does `eakit --help` exit 0 and name every verb?"""
    result = run_eakit("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: eakit")
    listed = re.findall(r"^    (\w+)\b", result.stdout, re.MULTILINE)
    assert listed == [verb.name for verb in VERBS]


def test_version():
    """Does `eakit --version` print the kit's version?"""
    result = run_eakit("--version")
    assert (result.returncode, result.stdout) == (0, f"eakit {__version__}\n")


def test_unreadable_file_exits_2_with_one_line(tmp_path):
    """Does a file the kit cannot read reach the shell as exit status 2 and one plain line?"""
    result = run_eakit(
        "import",
        str(CORPUS / "utf16.csv"),
        "--workshop",
        "corpus",
        "--database",
        f"sqlite:///{tmp_path / 'store.sqlite'}",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("eakit import: ")
    assert len(result.stderr.splitlines()) == 1


def test_import_stores_the_rows(tmp_path):
    """Does a real `eakit import` run store the file's business in the database it names?"""
    database = f"sqlite:///{tmp_path / 'store.sqlite'}"
    result = run_eakit(
        "import", str(CORPUS / "plain_utf8.csv"), "--workshop", "corpus", "--database", database
    )
    assert result.returncode == 0, result.stderr
    assert "1 new submission(s) stored in workshop 'corpus'" in result.stdout
    with Store.open(database) as store:
        [record] = store.latest_submissions("corpus")
    assert (record.business_id, record.display_name) == ("smb-103", "Plain Shop")
    assert record.answers == dict.fromkeys(
        [
            "transparency_chatbot_disclosure",
            "transparency_automation_notice",
            "fairness_bias_equal_treatment",
        ],
        "b",
    )
