"""Run one business's report notebook through papermill in a fresh kernel, from a worker.

A worker is a thread (of ``eakit batch``, or of a Dask worker) that lives for the whole batch.
Each business gets a kernel of its own, forked from its process's kernel template
(``kit.kernels``), which has imported the kit once, and killed when it is done: nothing one
business's notebook computed can reach the next, and no business waits for a cold interpreter.
Each worker thread keeps its next kernel starting in the background (forked, or an ordinary
kernel where there is no fork). ``run_job`` never raises; whatever goes wrong becomes a failed
``JobResult``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from typing import Any

from kit.errors import KernelStartError, NotebookFailure
from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()

import nbformat  # noqa: E402
import papermill  # noqa: E402
from jupyter_client import AsyncKernelManager  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from kit.batch.engines import FORKED_CELLS, FRESH_KERNEL  # noqa: E402
from kit.batch.jobs import WARMUP_MODULE, JobResult, ReportJob  # noqa: E402
from kit.batch.memory_io import NotebookPair, in_memory  # noqa: E402
from kit.core.language import SOURCE  # noqa: E402
from kit.kernels import (  # noqa: E402
    close_templates,
    forks_kernels,
    kernel_manager,
    kill_kernel,
    ready_client,
    release_kernel,
    template_for,
)
from kit.reports.business import (  # noqa: E402
    LEAVE_TO_RENDERER,
    REPORT_METADATA_KEY,
    ReportView,
)
from kit.reports.html import page  # noqa: E402
from kit.reports.renderers import close_renderers, render_page  # noqa: E402
from kit.settings import CHARTS_VARIABLE  # noqa: E402

KERNEL_NAME = "python3"
REPORT_TAG = "report"
WARMUP = f"--IPKernelApp.exec_lines=import {WARMUP_MODULE}"  # for kernels started cold
# The executed notebook is the record of what ran; IPython's own history database (a file
# shared by every kernel, 0.015 CPU seconds to open) is left off, as nbclient does.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
KERNEL_START_TIMEOUT = 60.0  # seconds for a kernel to answer; a busy machine can be slow


def _kernel_environment() -> dict[str, str]:
    """The report's process gets this process's environment, charts left to the worker."""
    return {**os.environ, CHARTS_VARIABLE: LEAVE_TO_RENDERER}


def _launch() -> AsyncKernelManager:
    """Start a kernel process and return at once; it boots (and warms up) on its own.

    nbclient needs the asynchronous manager: with a blocking client it would wait on output
    forever once a kernel died, instead of noticing the death.
    """
    km = kernel_manager(KERNEL_NAME, preload=(WARMUP_MODULE,))
    warmup = [] if forks_kernels() else [WARMUP]  # a forked kernel has it imported already
    run_sync(km.start_kernel)(
        extra_arguments=[*KERNEL_ARGUMENTS, *warmup],
        cwd=tempfile.gettempdir(),
        env=_kernel_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return km


class KernelSupply:
    """Kernels for one worker thread, each started ahead while the business before it runs
    (one spare per thread): a forked kernel still takes a few hundredths of a second to
    answer, which a single worker otherwise spends waiting (a fifth of its time per report),
    and a cold one over a second."""

    def __init__(self) -> None:
        self._spare: AsyncKernelManager | None = None

    def take(self) -> AsyncKernelManager:
        """A kernel no business has used."""
        kernel, self._spare = self._spare or _launch(), _launch()
        return kernel

    def close(self) -> None:
        if self._spare is not None:
            release_kernel(self._spare)
            self._spare = None


_local = threading.local()
_supplies: list[KernelSupply] = []
_supplies_lock = threading.Lock()


def _supply() -> KernelSupply:
    if not hasattr(_local, "supply"):
        _local.supply = KernelSupply()
        with _supplies_lock:
            _supplies.append(_local.supply)
    return _local.supply


def release_worker_resources() -> None:
    """Kill this process's spare kernels, stop its kernel template (and so every kernel forked
    from it) and close its browser (end of a batch)."""
    with _supplies_lock:
        supplies = list(_supplies)
    for supply in supplies:
        supply.close()
    close_templates()
    close_renderers()


def _failure_reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, CellTimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, PapermillExecutionError):
        return f"notebook cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    if isinstance(exc, DeadKernelError):
        return "the kernel died while running the notebook (a crash, or out of memory)"
    return f"{type(exc).__name__}: {exc}"


def _papermill(job: ReportJob, paths: NotebookPair, engine: str, **engine_arguments: Any) -> Any:
    return papermill.execute_notebook(
        paths.input,
        paths.output,
        parameters=job.parameters,
        engine_name=engine,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=job.timeout,
        **engine_arguments,
    )


def _in_forked_cells(job: ReportJob, paths: NotebookPair, keep: list[nbformat.NotebookNode]) -> Any:
    """The cells run in a fork of this process's kernel template, in its own shell."""
    template = template_for((WARMUP_MODULE,))
    template.wait_ready()
    environment = _kernel_environment()
    return _papermill(job, paths, FORKED_CELLS, template=template, env=environment, keep=keep)


def _on_fresh_kernel(job: ReportJob, paths: NotebookPair, keep: list[nbformat.NotebookNode]) -> Any:
    """The notebook runs on a kernel of its own, killed at the deadline if not done."""
    km = _supply().take()
    try:
        kc = ready_client(km, KERNEL_START_TIMEOUT)
    except KernelStartError:
        release_kernel(km)
        raise
    timed_out = threading.Event()

    def expire() -> None:
        timed_out.set()
        kill_kernel(km)  # from the timer's thread: the process only, released below

    deadline = threading.Timer(job.timeout, expire)
    deadline.daemon = True
    deadline.start()
    try:
        return _papermill(
            job, paths, FRESH_KERNEL, km=km, kc=kc, keep=keep, start_timeout=KERNEL_START_TIMEOUT
        )
    except Exception as exc:
        if timed_out.is_set():  # whatever the kill made nbclient raise
            raise CellTimeoutError(f"killed after {job.timeout:g} s") from exc
        raise
    finally:
        deadline.cancel()
        kc.stop_channels()
        release_kernel(km)


# How a business's notebook gets an interpreter of its own, named after its papermill engine;
# either raises KernelStartError, and only that, when the interpreter was not there to run it.
RUNNERS = {FORKED_CELLS: _in_forked_cells, FRESH_KERNEL: _on_fresh_kernel}
RUNNER = FORKED_CELLS if forks_kernels() else FRESH_KERNEL


def execute_report_notebook(job: ReportJob) -> tuple[Any, str]:
    """The executed notebook, and as saved; or ``NotebookFailure`` carrying it as far as it
    ran (or ``KernelStartError`` when nothing could run it)."""
    keep: list[nbformat.NotebookNode] = []
    with in_memory(job.notebook) as paths:
        try:
            notebook = RUNNERS[RUNNER](job, paths, keep)
        except KernelStartError:
            raise
        except Exception as exc:
            reason = _failure_reason(exc, job.timeout)
            raise NotebookFailure(reason, keep[0] if keep else None) from exc
        return notebook, paths.written


def report_output(notebook: Any) -> ReportView:
    """The report the notebook displayed in its cell tagged ``report`` (HTML body, with the
    title and the charts still to draw from the output's metadata)."""
    for cell in notebook.cells:
        if REPORT_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                about = output.get("metadata", {}).get(REPORT_METADATA_KEY, {})
                return ReportView(
                    about.get("title") or "Report",
                    "".join(html),
                    about.get("charts") or {},
                    about.get("language") or SOURCE,
                )
    raise NotebookFailure(
        f"the notebook showed no report (no HTML output in a cell tagged '{REPORT_TAG}')", notebook
    )


def run_job(job: ReportJob) -> JobResult:
    """Execute, extract and render one business's report; failures are results, not errors."""
    start = time.perf_counter()
    attempts = 0
    notebook = None
    try:
        while True:  # an interpreter that dies or hangs while starting gets one retry
            attempts += 1
            try:
                notebook, saved = execute_report_notebook(job)
                break
            except KernelStartError:
                if attempts == 2:
                    raise
            except NotebookFailure as failure:
                notebook = failure.notebook
                raise
        report = report_output(notebook).drawn()
        page_html = page(report.title, report.html, report.language)
        files = render_page(page_html, job.formats, job.paper)
        return JobResult(
            job.business_id,
            True,
            time.perf_counter() - start,
            attempts=attempts,
            notebook=saved,
            files=files,
        )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # one business's failure must never stop the batch, not even
        # a crash inside the chart engine (vl-convert's Rust panics are BaseExceptions)
        return JobResult(
            job.business_id,
            False,
            time.perf_counter() - start,
            str(exc),
            attempts,
            _notebook_text(notebook),
        )


def _notebook_text(notebook: Any) -> str | None:
    """The notebook as saved JSON, or None when there is none (or it cannot be written)."""
    try:
        return nbformat.writes(notebook) if notebook is not None else None
    except Exception:  # an audit copy is worth having, but never worth failing the batch
        return None
