"""The batch's parts that need no kernel: input checks, the output folder, the manifest's
memory of what is up to date, the renderer registry and how a notebook's failure is named."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook, new_output

from kit.batch.inputs import load_input, report_url, workshop_from_file
from kit.batch.manifest import OK, Entry, fingerprint, is_up_to_date
from kit.batch.output import OutputFolder
from kit.batch.run import REPORT_NOTEBOOK
from kit.batch.worker import _failure_reason, report_output
from kit.core.definitions import bundled_definitions
from kit.errors import BatchError, NotebookFailure, ReportError
from kit.paths import SAMPLE_COHORT
from kit.reports import renderers
from kit.reports.business import ReportView
from kit.store.database import Store
from kit.tables.cohort_file import read_cohort
from tests.conftest import run_cli


@pytest.fixture
def sample_store(tmp_path: Path) -> tuple[str, Path]:
    """The first four sample businesses stored in workshop 'w'; returns (URL, file path)."""
    path = tmp_path / "store.sqlite"
    rows = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows[:4]
    with Store.open(str(path)) as store:
        for row in rows:
            store.ensure_business("w", row.business_id, row.business_name)
            store.submit("w", row.business_id, row.answers, f"k-{row.business_id}")
    return f"sqlite:///{path}", path


def test_corrupted_stored_answers_are_set_aside(sample_store, tmp_path):
    """A submission whose answers were changed in the database behind the kit's back: is it
    set aside with the reason, and are the other three still reported on?"""
    url, path = sample_store
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE submissions SET answers = ? WHERE submission_key = 'k-smb-002'",
            ('{"transparency_chatbot_disclosure": "zzz"}',),
        )
    batch = load_input(tmp_path / "unused.sqlite", None, "w", url)
    assert [r.business_id for r in batch.records] == ["smb-001", "smb-003", "smb-004"]
    [rejected] = batch.rejected
    assert rejected.business_id == "smb-002"
    assert "stored answers do not fit the questionnaire" in rejected.reason
    assert "unknown answer 'zzz'" in rejected.reason


def test_ids_differing_only_in_case_are_set_aside(sample_store, tmp_path):
    """'SMB-001' next to 'smb-001' would overwrite its report on Windows and macOS: is the
    second one set aside?"""
    url, _ = sample_store
    with Store.open(url) as store:
        answers = store.latest_submissions("w")[0].answers
        store.ensure_business("w", "SMB-001", "Shouting Shop")
        store.submit("w", "SMB-001", answers, "k-upper")
    batch = load_input(tmp_path / "unused.sqlite", None, "w", url)
    assert [(r.business_id, r.reason) for r in batch.rejected] == [
        ("smb-001", "business_id 'smb-001' differs from 'SMB-001' only in letter case")
    ]


def test_unknown_workshop_names_the_ones_there(sample_store, tmp_path):
    """Does asking for a workshop the store lacks say which workshops it has?"""
    url, _ = sample_store
    with pytest.raises(
        BatchError,
        match=r"workshop 'nope' has no submissions .*workshops "
        r"there: w\)",
    ):
        load_input(tmp_path / "unused.sqlite", None, "nope", url)


def test_report_url_is_absolute_and_password_free(tmp_path, monkeypatch):
    """Kernels run in another folder and their parameters are saved: is a relative SQLite path
    made absolute, and a URL with a password refused?"""
    monkeypatch.chdir(tmp_path)
    assert report_url("sqlite:///rel.sqlite") == f"sqlite:///{tmp_path / 'rel.sqlite'}"
    assert report_url("postgresql+psycopg://kit@db/eakit") == "postgresql+psycopg://kit@db/eakit"
    with pytest.raises(BatchError, match="PGPASSWORD"):
        report_url("postgresql+psycopg://kit:secret@db/eakit")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lyon cohort 2024.csv", "Lyon-cohort-2024"),
        ("sample_cohort.xlsx", "sample_cohort"),
        ("!!!.csv", "cohort"),
    ],
)
def test_workshop_code_from_file_name(name, code):
    assert workshop_from_file(Path(name)) == code


def test_output_writes_replace_in_one_step(tmp_path):
    """Is a file replaced whole, and are temporary files of an interrupted run cleared?"""
    folder = OutputFolder(tmp_path / "out")
    folder.prepare()
    target = folder.report("smb-001", "html")
    folder.write(target, b"first")
    folder.write(target, b"second")
    leftover = folder.businesses / ".smb-002.999.partial.html"
    leftover.write_bytes(b"half")
    folder.prepare()
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in folder.businesses.iterdir()) == ["smb-001.html"]


def test_failed_writer_leaves_the_old_file(tmp_path):
    """If writing breaks half-way, is the previous report still there, untouched?"""
    folder = OutputFolder(tmp_path)
    folder.prepare()
    target = folder.report("smb-001", "html")
    folder.write(target, b"good")

    def broken(path: Path) -> None:
        path.write_bytes(b"hal")
        raise OSError("disk full")

    with pytest.raises(OSError):
        folder.write_with(target, broken)
    assert target.read_bytes() == b"good"
    assert sorted(p.name for p in folder.businesses.iterdir()) == ["smb-001.html"]


def test_up_to_date_needs_same_inputs_and_files(sample_store, tmp_path):
    """Is a report up to date only with the same fingerprint, an OK status and its files?"""
    url, _ = sample_store
    with Store.open(url) as store:
        record = store.latest_submissions("w")[0]
    folder = OutputFolder(tmp_path / "out")
    folder.prepare()
    key = fingerprint(record, "shared")
    entry = Entry(record.business_id, "", OK, {"html": "businesses/smb-001.html"}, fingerprint=key)
    assert not is_up_to_date(entry, key, folder, ["html"])  # file missing
    folder.write(folder.report("smb-001", "html"), b"x")
    assert is_up_to_date(entry, key, folder, ["html"])
    assert not is_up_to_date(entry, key, folder, ["html", "pdf"])
    assert not is_up_to_date(entry, fingerprint(record, "cohort changed"), folder, ["html"])
    assert fingerprint(record, "shared") == key


def test_formats_are_checked_before_any_work(monkeypatch, tmp_path):
    """Are unknown formats named, and PDF refused up front when Chromium is missing?"""
    assert renderers.check_formats(["html", "html"]) == ("html",)
    with pytest.raises(ReportError, match=r"unknown report format.*docx.*html, pdf"):
        renderers.check_formats(["html", "docx"])
    monkeypatch.setattr(renderers, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(ReportError, match="PDF needs Chromium"):
        renderers.check_formats(["pdf"])


def _executed(outputs: list, tags: list[str]) -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.cells = [new_code_cell("x", metadata={"tags": tags}, outputs=outputs)]
    return notebook


def test_report_output_is_taken_from_the_tagged_cell():
    """Is the HTML of the cell tagged 'report' taken, with the title and the charts still to
    draw from its metadata?"""
    charts = {"profile": {"answers": {}, "medians": {}, "cohort_size": 1}}
    output = new_output(
        "display_data",
        data={"text/html": "<article>x</article>"},
        metadata={"eakit_report": {"title": "Shop: report", "charts": charts}},
    )
    assert report_output(_executed([output], ["report"])) == ReportView(
        "Shop: report", "<article>x</article>", charts
    )
    with pytest.raises(NotebookFailure, match="no HTML output in a cell tagged 'report'"):
        report_output(_executed([output], []))


def test_failure_reasons_are_plain():
    """Do a timeout and a dead kernel read as what happened?"""
    assert _failure_reason(CellTimeoutError("x"), 30) == "timed out after 30 s"
    assert _failure_reason(DeadKernelError("x"), 30).startswith("the kernel died")


def test_batch_without_input_says_what_to_give(tmp_path):
    """Does `eakit batch` with neither a file nor a workshop say what it needs (exit 2)?"""
    result = run_cli("batch", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert "name a cohort file (CSV/XLSX) or a --workshop" in result.stderr


def test_report_notebook_takes_only_the_three_ids_the_cohort_and_the_language():
    """Is the committed report notebook stripped, with a parameters cell that sets exactly the
    database URL, the workshop, the business id, the cohort a batch works out once and the
    workshop's language, and one cell tagged 'report'?"""
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    [parameters] = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assigned = re.findall(r"^(\w+) =", parameters.source, re.MULTILINE)
    assert assigned == ["database_url", "workshop", "business_id", "cohort", "language"]
    assert len([c for c in code if "report" in c.metadata.get("tags", [])]) == 1


def _planned_keys(url: str, tmp_path) -> tuple[list[str], dict[str, str]]:
    """The businesses a batch of workshop "w" plans, and each one's fingerprint."""
    batch = load_input(tmp_path / "unused.sqlite", None, "w", url)
    return [r.business_id for r in batch.records], {
        r.business_id: fingerprint(r, "shared", batch.report_inputs[r.business_id])
        for r in batch.records
    }


def test_a_new_respondent_review_or_target_redoes_only_that_report(sample_store, tmp_path):
    """After a second respondent answers for smb-001, smb-002's submission is reviewed and
    smb-003 sets a target, does the batch still plan one report per business, and are those
    three fingerprints new while smb-004's is unchanged?"""
    url, _ = sample_store

    ids, before = _planned_keys(url, tmp_path)
    with Store.open(url) as store:
        first = store.latest_submissions("w")[0]
        store.submit("w", "smb-001", first.answers, "k-second", respondent="r-2", role="staff")
        store.review(store.latest_submissions("w")[1].id, "Dana", "")
        store.set_targets("smb-003", {next(iter(store.definitions.dimensions)): 4})
    ids_after, after = _planned_keys(url, tmp_path)
    assert ids == ids_after == ["smb-001", "smb-002", "smb-003", "smb-004"]
    assert [b for b in ids if before[b] != after[b]] == ["smb-001", "smb-002", "smb-003"]


def test_a_business_switching_to_french_redoes_only_its_report(sample_store, tmp_path):
    """A report comes out in the language its business chose, so when smb-002 switches to
    French, is its fingerprint new while the other three stay as they were?"""
    url, _ = sample_store
    ids, before = _planned_keys(url, tmp_path)
    with Store.open(url) as store:
        store.set_language("smb-002", "fr")
    _, after = _planned_keys(url, tmp_path)
    assert [b for b in ids if before[b] != after[b]] == ["smb-002"]
