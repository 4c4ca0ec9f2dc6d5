"""``run_batch``: one report per business and a cohort summary, from top to bottom.

1. check the options and the output folder, and let the executor start getting ready;
2. import the cohort file (if any) and check every business, setting bad ones aside;
3. skip businesses whose report is up to date (unless ``force``);
4. run the rest on an executor, writing each report and notebook as it arrives, while the
   cohort summary is drawn beside them (which also readies the chart engine for the reports);
5. write the cohort summary and the manifest.

A business that fails is an entry in the manifest, never an exception; only a batch that cannot
start at all raises ``BatchError`` (or another ``KitError``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from kit.batch.executors import EXECUTORS, ExecutorSettings
from kit.batch.inputs import BatchInput, load_input
from kit.batch.jobs import DEFAULT_TIMEOUT, JobResult, ReportJob, default_workers
from kit.batch.manifest import (
    FAILED,
    INVALID,
    OK,
    UP_TO_DATE,
    Entry,
    code_digest,
    cohort_digest,
    fingerprint,
    is_up_to_date,
    read_previous,
    write_manifest,
)
from kit.batch.output import OutputFolder
from kit.core.definitions import bundled_definitions
from kit.core.language import check_language, use_language
from kit.core.translations import localize
from kit.errors import BatchError, Interrupted, LanguageError
from kit.paths import NOTEBOOKS_DIR
from kit.reports.business import cohort_parameter
from kit.reports.charts import start_engine
from kit.reports.context import CohortView
from kit.reports.renderers import (
    PAPER_SIZES,
    RENDERERS,
    check_formats,
    close_renderers,
    render_page,
)
from kit.reports.summary import build_summary, summary_page
from kit.store.database import Store

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "reports" / "business_report.ipynb"


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    cohort_file: Path | None = None
    workshop: str | None = None
    database: str | None = None
    formats: tuple[str, ...] = ("html",)
    paper: str = "a4"
    workers: int = field(default_factory=default_workers)
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    notebook: Path = REPORT_NOTEBOOK
    executor: str = "local"
    dask_scheduler: str | None = None
    dask_local: bool = False
    progress: bool = True
    language: str | None = None  # the workshop's; a business that chose one keeps its own


@dataclass
class BatchResult:
    folder: OutputFolder
    entries: list[Entry]
    seconds: float
    imported: str = ""  # what importing the cohort file stored, when there was one

    def count(self, status: str) -> int:
        return sum(entry.status == status for entry in self.entries)

    @property
    def ok(self) -> bool:
        return not (self.count(FAILED) or self.count(INVALID))

    def summary_line(self) -> str:
        """One line saying what happened, naming what failed."""
        failed = [e for e in self.entries if e.status == FAILED]
        text = (
            f"{self.count(OK)} report(s) written, {self.count(UP_TO_DATE)} up to date, "
            f"{len(failed)} failed, {self.count(INVALID)} input problem(s) "
            f"in {self.seconds:.1f} s"
        )
        if failed:
            text += " (failed: " + "; ".join(f"{e.business_id}: {e.error}" for e in failed[:3])
            text += ", ..." if len(failed) > 3 else ""
            text += ")"
        return text + f". Manifest: {self.folder.manifest_csv}"


def _check_options(options: BatchOptions) -> tuple[tuple[str, ...], str]:
    if options.workers < 1:
        raise BatchError(f"--workers must be at least 1 (got {options.workers})")
    if options.timeout <= 0:
        raise BatchError(f"--timeout must be positive (got {options.timeout:g})")
    if options.paper not in PAPER_SIZES:
        raise BatchError(f"--paper must be one of {', '.join(PAPER_SIZES)}")
    if options.language is not None:
        try:
            check_language(options.language)
        except LanguageError as exc:
            raise BatchError(f"--language: {exc}") from None
    if options.executor not in EXECUTORS:
        raise BatchError(
            f"unknown executor {options.executor!r} (choose from {', '.join(EXECUTORS)})"
        )
    try:
        notebook = options.notebook.read_text(encoding="utf-8")
    except OSError as exc:
        raise BatchError(
            f"{options.notebook}: cannot read the report notebook ({exc.strerror})"
        ) from None
    return check_formats(list(options.formats)), notebook


@dataclass
class Plan:
    """Jobs for the businesses to (re)do, with each one's fingerprint, and entries for the
    businesses set aside or already up to date."""

    jobs: list[ReportJob]
    keys: dict[str, str]
    entries: list[Entry]


def _plan(
    batch: BatchInput,
    options: BatchOptions,
    formats: tuple[str, ...],
    notebook: str,
    folder: OutputFolder,
) -> Plan:
    previous = {} if options.force else read_previous(folder)
    shared = str(
        [
            code_digest(notebook),
            formats,
            options.paper,
            cohort_digest(batch.cohort, bundled_definitions().versions),
            options.language,
        ]
    )
    cohort = cohort_parameter(CohortView.of(bundled_definitions(), batch.cohort))
    plan = Plan(
        [],
        {},
        [Entry(r.business_id, r.business_name, INVALID, error=r.reason) for r in batch.rejected],
    )
    for record in batch.records:
        key = fingerprint(record, shared, batch.report_inputs.get(record.business_id, []))
        before = previous.get(record.business_id)
        if before is not None and is_up_to_date(before, key, folder, formats):
            plan.entries.append(
                Entry(
                    record.business_id,
                    record.display_name,
                    UP_TO_DATE,
                    before.reports,
                    before.notebook,
                    None,
                    0,
                    "",
                    key,
                )
            )
        else:
            plan.keys[record.business_id] = key
            plan.jobs.append(
                ReportJob(
                    record.business_id,
                    batch.workshop,
                    batch.database_url,
                    notebook,
                    formats,
                    options.paper,
                    options.timeout,
                    cohort,
                    options.language,
                )
            )
    return plan


def _write_files(folder: OutputFolder, files: list[tuple[Path, bytes]]) -> str:
    """Write each file in one step; the first that cannot be written, as an error (or "")."""
    for path, data in files:
        try:
            folder.write(path, data)
        except OSError as exc:
            return f"could not write {folder.relative(path)} ({exc.strerror})"
    return ""


def _withdraw(folder: OutputFolder, business_id: str) -> str:
    """Remove a failed business's earlier reports, so none is left looking current; what
    could not be removed, as a warning (or "")."""
    stale = []
    for path in (folder.report(business_id, fmt) for fmt in RENDERERS):
        try:
            if path.exists():
                path.unlink()
        except OSError:
            stale.append(folder.relative(path))
    return (
        f"; its earlier report {', '.join(stale)} could not be removed and is out of date"
        if stale
        else ""
    )


def _keep(result: JobResult, name: str, key: str, folder: OutputFolder) -> Entry:
    """Write what a job produced (each file replaced in one step) and describe it. A file that
    cannot be written fails this business alone, like a failing notebook."""
    notebook = folder.notebook(result.business_id)
    written = [(notebook, result.notebook.encode("utf-8"))] if result.notebook is not None else []
    error = _write_files(folder, written)
    reports = {fmt: folder.report(result.business_id, fmt) for fmt in result.files}
    if result.ok and not error:
        error = _write_files(folder, [(reports[fmt], data) for fmt, data in result.files.items()])
    ok = result.ok and not error
    error = result.error or error
    if not ok:
        error += _withdraw(folder, result.business_id)
    return Entry(
        result.business_id,
        name,
        OK if ok else FAILED,
        {fmt: folder.relative(path) for fmt, path in reports.items()} if ok else {},
        folder.relative(notebook) if written and notebook.is_file() else "",
        result.seconds,
        result.attempts,
        error,
        key if ok else "",
    )


def _summary_pages(
    batch: BatchInput, formats: tuple[str, ...], paper: str, language: str | None = None
) -> dict[str, bytes]:
    """The cohort summary in each format, or nothing for a workshop with no assessment."""
    if not batch.cohort:
        return {}
    with Store.open(batch.database_url) as store, use_language(language) as code:
        summary = build_summary(store, batch.workshop)
        levels = localize(store.definitions, code).model.levels
        labels = {level.number: level.label for level in levels}
        return render_page(summary_page(summary, labels), formats, paper)


def run_batch(options: BatchOptions) -> BatchResult:
    """Write every business's report and the cohort summary into ``options.out``."""
    started = time.perf_counter()
    formats, notebook = _check_options(options)
    EXECUTORS[options.executor].prepare()
    folder = OutputFolder(options.out.resolve())
    folder.prepare()
    batch = load_input(folder.database, options.cohort_file, options.workshop, options.database)
    plan = _plan(batch, options, formats, notebook, folder)
    names = {r.business_id: r.display_name for r in batch.records}
    entries = plan.entries
    settings = ExecutorSettings(options.workers, options.dask_scheduler, options.dask_local)
    results = EXECUTORS[options.executor].run(plan.jobs, settings) if plan.jobs else iter(())
    interrupted = False
    # The chart engine starts, and the summary is drawn, on a thread of their own from the
    # first moment, while the kernels run: the first reports would otherwise wait for both.
    drawing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eakit-summary")
    drawing.submit(start_engine)
    summary = drawing.submit(_summary_pages, batch, formats, options.paper, options.language)
    try:
        for result in tqdm(
            results,
            total=len(plan.jobs),
            desc="Reports",
            unit="business",
            disable=None if options.progress else True,
        ):
            entries.append(
                _keep(result, names[result.business_id], plan.keys[result.business_id], folder)
            )
        for fmt, data in summary.result().items():
            folder.write(folder.summary(fmt), data)
    except KeyboardInterrupt:
        interrupted = True
        print("Stopping: waiting for the reports already running...", file=sys.stderr)
        if isinstance(results, Generator):  # no jobs: nothing runs, nothing to stop
            results.close()  # stops the workers; a second Ctrl-C ends the wait
    finally:  # also when interrupted: the next run then skips what is already done
        drawing.shutdown(wait=True, cancel_futures=True)
        close_renderers()
        entries.sort(key=lambda e: (e.business_id == "", e.business_id))
        write_manifest(
            folder,
            entries,
            {
                "written_at": datetime.now(UTC).isoformat(),
                "workshop": batch.workshop,
                "input": str(options.cohort_file or ""),
                "formats": list(formats),
            },
        )
    if interrupted:
        done = sum(entry.status in (OK, UP_TO_DATE) for entry in entries)
        raise Interrupted(
            f"interrupted: {done} of {len(batch.records)} report(s) are finished and kept "
            f"(listed in {folder.manifest_csv}); run the same command again to carry on, "
            "finished reports are skipped"
        )
    return BatchResult(
        folder,
        entries,
        time.perf_counter() - started,
        batch.imported.text() if batch.imported else "",
    )
