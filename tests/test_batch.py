"""`eakit batch` for real: papermill, fresh kernels, worker processes, Dask and Chromium.

The main batch runs a small cohort through the command line with a test copy of the report
notebook. The copy adds one cell before the report that prints the kernel's process id, fails
if anything from an earlier business is left in the kernel, and misbehaves for the businesses
named after a fault ("boom" raises, "slow" sleeps past the timeout, "crash" kills its kernel).
Expected levels come from ``kit.core.scoring`` (itself checked by hand in test_scoring.py).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbformat.v4 import new_code_cell

from kit.batch import worker
from kit.batch.engines import FRESH_KERNEL
from kit.batch.jobs import ReportJob
from kit.batch.manifest import FAILED, INVALID, OK, UP_TO_DATE
from kit.batch.run import REPORT_NOTEBOOK, BatchOptions, run_batch
from kit.core.definitions import bundled_definitions
from kit.core.explain import dimension_status
from kit.core.scoring import score_answers
from kit.paths import SAMPLE_COHORT
from kit.reports import charts
from kit.store.database import Store
from kit.tables.cohort_file import read_cohort
from tests.conftest import require_system_tool, run_cli
from tests.html_checks import page_problems, texts

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FAULT_CELL = """\
import builtins, os, time
if getattr(builtins, "eakit_business", None) is not None:
    raise RuntimeError(f"kernel already used for {builtins.eakit_business}")
builtins.eakit_business = business_id
print("kernel pid", os.getpid())
if business_id == "boom":
    raise RuntimeError("deliberate failure for the test")
if business_id == "slow":
    time.sleep(600)
if business_id == "crash":
    os._exit(1)
"""
SAMPLES = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows
QUESTIONS = list(bundled_definitions().questions)
# (business_id, business_name, sample row whose answers it takes)
GOOD = [
    ("smb-001", SAMPLES[0].business_name, 0),
    ("smb-002", SAMPLES[1].business_name, 1),
    ("smb-003", SAMPLES[2].business_name, 2),
    ("evil-1", "<script>alert(1)</script>", 3),
    ("00123", "=SUM(1)", 4),
    ("boom", "Boom & Sons", 5),
]


def fault_notebook(folder: Path) -> Path:
    """The bundled report notebook with the test's fault cell before the report cell."""
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.cells.insert(len(notebook.cells) - 1, new_code_cell(FAULT_CELL))
    path = folder / "fault_report.ipynb"
    nbformat.write(notebook, path)
    return path


def write_cohort(path: Path, rows: list[tuple[str, str, int]], extra: list[list[str]] = ()) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["business_id", "business_name", *QUESTIONS])
        for business_id, name, sample in rows:
            answers = SAMPLES[sample].answers
            writer.writerow([business_id, name, *(answers.get(q, "") for q in QUESTIONS)])
        writer.writerows(extra)
    return path


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["business_id"] or entry["error"]: entry for entry in data["businesses"]}


@pytest.fixture(scope="module")
def main_batch(tmp_path_factory: pytest.TempPathFactory):
    """One run over six businesses (one failing) plus two malformed rows, as a trainer runs it."""
    folder = tmp_path_factory.mktemp("batch")
    bad_answer = ["bad-answer", "Typo Shop", "zzz"] + [""] * (len(QUESTIONS) - 1)
    bad_id = ["bad id!", "Spaces Shop", "a"] + [""] * (len(QUESTIONS) - 1)
    cohort = write_cohort(folder / "cohort.csv", GOOD, [bad_answer, bad_id])
    out = folder / "out"
    result = run_cli(
        "batch",
        str(cohort),
        "--workshop",
        "test",
        "--out",
        str(out),
        "--workers",
        "2",
        "--notebook",
        str(fault_notebook(folder)),
        "--timeout",
        "90",
    )
    return result, out, folder


def test_batch_finishes_the_rest_and_names_what_failed(main_batch):
    """With two bad rows and one failing notebook, are the other five reports written, is
    each problem named with its reason, and does the exit status say something failed?"""
    result, out, _ = main_batch
    assert result.returncode == 1, result.stderr
    assert re.search(
        r"5 report\(s\) written, 0 up to date, 1 failed, 2 input problem\(s\) in "
        r"[\d.]+ s \(failed: boom: notebook cell \d+: RuntimeError: deliberate "
        r"failure for the test\)\.",
        result.stdout,
    ), result.stdout
    assert "row 8, column 'transparency_chatbot_disclosure': unknown answer 'zzz'" in result.stderr
    assert "row 9: business_id 'bad id!' must be 1-64 letters" in result.stderr
    entries = manifest(out)
    assert {b: entries[b]["status"] for b, _, _ in GOOD} == {
        "smb-001": OK,
        "smb-002": OK,
        "smb-003": OK,
        "evil-1": OK,
        "00123": OK,
        "boom": FAILED,
    }
    assert sorted(e["status"] for e in entries.values()).count(INVALID) == 2
    assert not (out / "businesses" / "boom.html").exists()
    assert sorted(p.name for p in (out / "businesses").iterdir()) == [
        "00123.html",
        "evil-1.html",
        "smb-001.html",
        "smb-002.html",
        "smb-003.html",
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_sample_report_shows_levels_and_plan(main_batch, index):
    """Does a sample business's report show its overall and area levels, its first action,
    no code, nothing external, and stay small?"""
    _, out, _ = main_batch
    business_id, name, sample = GOOD[index]
    html = (out / "businesses" / f"{business_id}.html").read_text(encoding="utf-8")
    placement = score_answers(bundled_definitions(), SAMPLES[sample].answers)
    assert texts(html, "business-name") == [name]
    assert texts(html, "overall-level") == [placement.overall_label]
    assert texts(html, "area-level") == [
        dimension_status(placement, d) for d in placement.dimensions
    ]
    first = placement.dimension(placement.focus[0])
    assert f"{first.name}: from" in html and first.recommendations[0].title in html
    assert "business_report(" not in html and "import " not in html
    assert page_problems(html) == []
    assert len(html.encode("utf-8")) < 300_000


def test_each_business_ran_in_its_own_kernel(main_batch):
    """Did every business get a kernel of its own (distinct process ids, nothing left over
    from an earlier business), and does each report name only its own business?"""
    _, out, _ = main_batch
    pids = []
    for business_id, _, _ in GOOD:
        notebook = nbformat.read(out / "notebooks" / f"{business_id}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
        pids += re.findall(r"kernel pid (\d+)", printed)
    assert len(pids) == len(GOOD) == len(set(pids))
    names = {b: n for b, n, _ in GOOD if b != "boom"}
    for business_id in names:
        html = (out / "businesses" / f"{business_id}.html").read_text(encoding="utf-8")
        others = [n for b, n in names.items() if b != business_id]
        assert texts(html, "business-name") == [names[business_id]]
        assert not [n for n in others if n in html and n not in names[business_id]]


def test_failing_notebook_is_kept_for_audit(main_batch):
    """Is the failing business's executed notebook kept, with its parameters and the error?"""
    _, out, _ = main_batch
    notebook = nbformat.read(out / "notebooks" / "boom.ipynb", as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'business_id = "boom"' in injected[0].source
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors[0].evalue == "deliberate failure for the test"


def test_hostile_names_through_the_whole_batch(main_batch):
    """Does a script-like name show as text in its report and a formula-like one stay inert in
    manifest.csv?"""
    _, out, _ = main_batch
    html = (out / "businesses" / "evil-1.html").read_text(encoding="utf-8")
    assert texts(html, "business-name") == ["<script>alert(1)</script>"]
    assert page_problems(html) == []
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["business_id"]: row["business_name"] for row in csv.DictReader(handle)}
    assert names["00123"] == "'=SUM(1)"
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert page_problems(summary) == [] and "alert(1)" not in summary


def test_rerun_skips_up_to_date_reports_and_force_redoes_them(main_batch):
    """Run again on a copy: are the five good reports left alone (same bytes, same time) and
    only the failure retried; and with --force, is everything redone?"""
    _, out, folder = main_batch
    again = folder / "again"
    shutil.copytree(out, again)
    report = again / "businesses" / "smb-001.html"
    written = report.stat().st_mtime_ns
    args = [
        "batch",
        str(folder / "cohort.csv"),
        "--workshop",
        "test",
        "--out",
        str(again),
        "--workers",
        "2",
        "--notebook",
        str(folder / "fault_report.ipynb"),
    ]
    second = run_cli(*args)
    assert "0 report(s) written, 5 up to date, 1 failed, 2 input problem(s)" in second.stdout
    assert report.stat().st_mtime_ns == written
    assert manifest(again)["smb-001"]["status"] == UP_TO_DATE
    forced = run_cli(*args, "--force")
    assert "5 report(s) written, 0 up to date, 1 failed" in forced.stdout
    assert report.stat().st_mtime_ns != written


def test_timeout_and_dead_kernel_fail_only_their_business(tmp_path):
    """A business that hangs and one whose kernel dies: are both failed with a plain reason,
    while the third is reported on?"""
    cohort = write_cohort(
        tmp_path / "faults.csv",
        [("slow", "Slow Shop", 0), ("crash", "Crash Shop", 1), ("fine", "Fine Shop", 2)],
    )
    result = run_batch(
        BatchOptions(
            out=tmp_path / "out",
            cohort_file=cohort,
            workers=2,
            timeout=8,
            notebook=fault_notebook(tmp_path),
            progress=False,
        )
    )
    outcome = {e.business_id: (e.status, e.error) for e in result.entries}
    assert outcome["fine"] == (OK, "")
    assert outcome["slow"] == (FAILED, "timed out after 8 s")
    assert outcome["crash"][0] == FAILED
    assert outcome["crash"][1].startswith("the kernel died while running the notebook")
    assert not result.ok


def _kernel_children() -> list[psutil.Process]:
    """Kernels started cold, kernel templates and the kernels forked from them (which carry
    their template's command line)."""
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if {"ipykernel", "kit.kernels.template"} & set(" ".join(p.cmdline()).split())
        or "ipykernel_launcher" in " ".join(p.cmdline())
    ]


def test_dask_cluster_runs_the_same_batch(tmp_path):
    """On a Dask LocalCluster of worker processes (what --dask-local starts), are the reports
    written and every spare kernel stopped afterwards?"""
    from distributed import LocalCluster

    cohort = write_cohort(tmp_path / "dask.csv", [(b, n, s) for b, n, s in GOOD[:3]])
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_batch(
            BatchOptions(
                out=tmp_path / "out",
                cohort_file=cohort,
                executor="dask",
                dask_scheduler=cluster.scheduler_address,
                workers=2,
                progress=False,
            )
        )
    assert [(e.business_id, e.status) for e in result.entries] == [
        ("smb-001", OK),
        ("smb-002", OK),
        ("smb-003", OK),
    ], [e.error for e in result.entries]
    html = (tmp_path / "out" / "businesses" / "smb-002.html").read_text(encoding="utf-8")
    assert texts(html, "business-name") == [GOOD[1][1]]
    assert _kernel_children() == []


def test_pdf_reports_print_on_the_chosen_paper(tmp_path):
    """With --format html,pdf --paper letter, are there PDFs on US Letter pages (612 x 792
    points) for the business and the summary, next to the HTML?"""
    require_system_tool("/usr/bin/chromium", "PDF reports are printed by headless Chromium")
    cohort = write_cohort(tmp_path / "pdf.csv", [GOOD[0]])
    out = tmp_path / "out"
    result = run_cli(
        "batch",
        str(cohort),
        "--out",
        str(out),
        "--workers",
        "1",
        "--format",
        "html,pdf",
        "--paper",
        "letter",
    )
    assert result.returncode == 0, result.stderr
    for pdf in (out / "businesses" / "smb-001.pdf", out / "summary.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
        assert boxes and all(round(float(w)) == 612 and round(float(h)) == 792 for w, h in boxes)
    assert (out / "businesses" / "smb-001.html").exists()
    assert os.path.getsize(out / "businesses" / "smb-001.pdf") < 1_000_000


def _store_with_one_business(folder: Path) -> str:
    url = f"sqlite:///{folder / 'one.sqlite'}"
    with Store.open(url) as store:
        store.ensure_business("retry", "smb-001", SAMPLES[0].business_name)
        store.submit("retry", "smb-001", SAMPLES[0].answers, "key-1")
    return url


def _dying_kernel() -> AsyncKernelManager:
    """A kernel that exits while starting up, before it can answer."""
    km = AsyncKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(
        extra_arguments=["--IPKernelApp.exec_lines=import os; os._exit(3)"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return km


@pytest.mark.parametrize(("dying", "ok", "attempts"), [(1, True, 2), (2, False, 2)])
def test_kernel_start_up_failure_is_retried_once(tmp_path, monkeypatch, dying, ok, attempts):
    """When the first kernel dies while starting, is the business run on a second one; and
    when that one dies too, is it failed with the reason?"""
    url = _store_with_one_business(tmp_path)
    launches = iter([_dying_kernel] * dying + [worker._launch] * 3)
    monkeypatch.setattr(worker, "RUNNER", FRESH_KERNEL)  # as where fork is missing
    monkeypatch.setattr(worker, "_launch", lambda: next(launches)())
    job = ReportJob(
        "smb-001", "retry", url, REPORT_NOTEBOOK.read_text(encoding="utf-8"), ("html",), "a4", 60
    )
    try:
        result = worker.run_job(job)
    finally:
        worker.release_worker_resources()
    assert (result.ok, result.attempts) == (ok, attempts)
    assert ok or result.error.startswith("the kernel did not start (it exited before answering)")


class EngineCrash(BaseException):
    """What a Rust panic inside vl-convert raises (pyo3's PanicException is no Exception)."""


def test_a_chart_engine_crash_fails_that_business_alone(tmp_path, monkeypatch):
    """When the chart engine crashes while drawing one business's chart, is that business
    failed with the reason (its executed notebook kept), and is the next one still drawn?"""
    url = _store_with_one_business(tmp_path)
    job = ReportJob(
        "smb-001", "retry", url, REPORT_NOTEBOOK.read_text(encoding="utf-8"), ("html",), "a4", 60
    )
    real = charts.vl_convert.vega_to_svg
    calls = iter([EngineCrash("chart engine panicked"), None])

    def crash_once(*args, **kwargs):
        fault = next(calls)
        if fault is not None:
            raise fault
        return real(*args, **kwargs)

    monkeypatch.setattr(charts.vl_convert, "vega_to_svg", crash_once)
    try:
        crashed, drawn = worker.run_job(job), worker.run_job(job)
    finally:
        worker.release_worker_resources()
    assert (crashed.ok, crashed.error) == (False, "chart engine panicked")
    assert crashed.notebook is not None and "smb-001" in crashed.notebook  # the audit copy
    assert drawn.ok and b"<svg" in drawn.files["html"]


def test_team_spreadsheet_through_the_batch(tmp_path):
    """A sheet where one business is answered by two respondents (three levels apart on the
    first question, each with a note) and sets a target: does the batch write ONE report for
    it, through papermill, showing the disagreement, both notes, the target and the count of
    respondents, and no respondent's code?"""
    first, area = QUESTIONS[0], next(iter(bundled_definitions().dimensions))
    header = [
        "business_id",
        "business_name",
        *QUESTIONS,
        "respondent",
        "role",
        f"target:{area}",
        f"note:{first}",
    ]
    rows = []
    for number, option in enumerate(("a", "d"), start=1):
        answers = {**SAMPLES[0].answers, first: option}
        rows.append(
            [
                "team",
                "Team Shop",
                *(answers.get(q, "") for q in QUESTIONS),
                f"team-r{number}",
                "staff",
                "4",
                f"note from respondent {number}",
            ]
        )
    for business_id, name, sample in GOOD[:3]:
        answers = SAMPLES[sample].answers
        rows.append([business_id, name, *(answers.get(q, "") for q in QUESTIONS), "", "", "", ""])
    cohort = tmp_path / "team.csv"
    with cohort.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    out = tmp_path / "out"
    result = run_cli(
        "batch", str(cohort), "--workshop", "team", "--out", str(out), "--workers", "1"
    )
    assert "4 report(s) written, 0 up to date, 0 failed, 0 input problem(s)" in result.stdout
    assert sorted(manifest(out)) == ["smb-001", "smb-002", "smb-003", "team"]
    html = (out / "businesses" / "team.html").read_text(encoding="utf-8")
    question = bundled_definitions().questions[first]
    assert [" ".join(t.split()) for t in texts(html, "disagreement")] == [
        f"{question.text} ({bundled_definitions().dimensions[question.dimension].name}; counted: "
        f"{question.option('a').text})"
    ]
    assert texts(html, "answer-note") == ["note from respondent 1", "note from respondent 2"]
    assert texts(html, "area-target")[0] == "Transformative"
    assert "combines the answers of 2 respondents" in texts(html, "respondents")[0]
    assert "team-r1" not in html and "team-r2" not in html
    assert page_problems(html) == []


def test_a_french_batch_writes_french_reports_and_summary(tmp_path):
    """`eakit batch --language fr`: the cohort summary and every report in French, through
    the real report notebook in its own kernel (charts drawn by the worker in French too)."""
    cohort = write_cohort(tmp_path / "cohort.csv", GOOD[:2])
    out = tmp_path / "out"
    result = run_cli(
        "batch", str(cohort), "--workshop", "fr-test", "--out", str(out), "--language", "fr"
    )
    assert result.returncode == 0, result.stderr
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in summary and "Atelier" in summary
    report = (out / "businesses" / "smb-001.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in report and "Où vous en êtes" in report
    assert "Votre profil de maturité" in report
    refused = run_cli("batch", str(cohort), "--out", str(tmp_path / "x"), "--language", "de")
    assert refused.returncode != 0 and "--language: language 'de'" in refused.stderr
