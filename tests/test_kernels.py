"""Kernels forked from a template (``kit.kernels``): fresh each time, cheap, and gone with
their parent. Real kernels, real processes, real ``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_core.utils import run_sync

from kit.batch.engines import FORKED_CELLS, FRESH_KERNEL
from kit.kernels import (
    KernelTemplate,
    close_templates,
    forks_kernels,
    kernel_manager,
    ready_client,
    template_for,
)
from kit.kernels.provisioner import ForkingProvisioner
from tests.test_batch import GOOD, write_cohort

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.skipif(not forks_kernels(), reason="no fork on this platform"),
]


def _run(km, code: str) -> str:
    """Execute ``code`` on a started kernel and return what it printed."""
    client = ready_client(km, timeout=120)
    try:
        printed: list[str] = []
        run_sync(client.execute_interactive)(
            code, timeout=120, output_hook=lambda m: printed.append(m["content"].get("text", ""))
        )
        return "".join(printed)
    finally:
        client.stop_channels()


def _kernel(preload: tuple[str, ...] = ()):
    km = kernel_manager(preload=preload)
    run_sync(km.start_kernel)(
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return km


def test_a_global_from_one_kernel_is_absent_from_the_next():
    """Two kernels forked from one template: does a global (and a module attribute) set in
    the first one stay out of the second, which has its own process?"""
    first = _kernel(("json",))
    try:
        said = _run(
            first, "import json; json.eakit_mark = 1; secret = 42; import os; print(os.getpid())"
        )
    finally:
        run_sync(first.shutdown_kernel)(now=True)
    second = _kernel(("json",))
    try:
        other = _run(
            second,
            "import json, os; print(os.getpid(), 'secret' in globals(), "
            "hasattr(json, 'eakit_mark'))",
        )
    finally:
        run_sync(second.shutdown_kernel)(now=True)
    pid, found_global, found_mark = other.split()
    assert said.strip() != pid
    assert (found_global, found_mark) == ("False", "False")
    assert isinstance(first.provisioner, ForkingProvisioner)


def test_forked_kernel_has_the_preloaded_modules_and_its_own_environment():
    """Is the preloaded module already there without being imported again, and does the
    kernel run with the environment and folder it was started with? And, since the batch's
    warm-up rehearses a report before any fork, does it arrive without the chart engine,
    pandas or Altair (charts are the batch's work: a fork would copy them for nothing)?"""
    km = kernel_manager(preload=("kit.batch.warmup",))
    run_sync(km.start_kernel)(
        env={**os.environ, "EAKIT_TEST_MARK": "b-7"},
        cwd="/",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        said = _run(
            km,
            "import sys, os; print('kit.batch.warmup' in sys.modules, "
            "os.environ['EAKIT_TEST_MARK'], os.getcwd(), "
            "[m for m in ('vl_convert', 'pandas', 'altair') if m in sys.modules])",
        )
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert said.strip().split(maxsplit=3) == ["True", "b-7", "/", "[]"]


def test_provisioner_is_registered_for_kernel_specs():
    """Can a kernel spec name the provisioner (jupyter_client's entry point group)?"""
    assert (
        "eakit-forking-provisioner" in KernelProvisionerFactory.instance().get_provisioner_entries()
    )


def test_threads_share_one_template():
    """Kernels started from two threads at once (a batch's worker threads): forked by the one
    template of this process, each a process of its own?"""
    with ThreadPoolExecutor(2) as pool:
        kms = list(pool.map(lambda _: _kernel(), range(2)))
    try:
        pids = [km.provisioner.process.pid for km in kms]
        assert {psutil.Process(pid).ppid() for pid in pids} == {template_for(()).pid}
        assert len(set(pids)) == 2
    finally:
        for km in kms:
            run_sync(km.shutdown_kernel)(now=True)


def test_ctrl_c_leaves_the_template_and_its_kernels_running():
    """Ctrl-C in a terminal signals the batch's whole process group, its kernel template
    included: do the template and a kernel it forked carry on (the batch decides what stops)?"""
    km = _kernel()
    try:
        os.kill(template_for(()).pid, signal.SIGINT)
        time.sleep(1)
        assert template_for(()).alive
        assert _run(km, "print(6 * 7)").strip() == "42"
    finally:
        run_sync(km.shutdown_kernel)(now=True)


def test_kernels_die_with_their_template():
    """When the template is stopped, is the kernel forked from it gone too?"""
    km = _kernel()
    pid = km.provisioner.process.pid
    close_templates()
    assert psutil.wait_procs([psutil.Process(pid)], timeout=10)[1] == []
    run_sync(km.cleanup_resources)()


@pytest.mark.parametrize(
    ("runner", "forking"),
    [(FRESH_KERNEL, True), (FRESH_KERNEL, False)],
    ids=["forked kernel", "cold kernel"],
)
def test_every_way_of_running_the_notebook_gives_the_same_report(
    tmp_path: Path, monkeypatch, runner, forking
):
    """On a Jupyter kernel (forked, or started cold where fork is missing), does a worker
    write the very same report as with the cells run in a forked process's own shell?"""
    import kit.kernels
    from kit.batch import worker
    from kit.batch.jobs import ReportJob
    from kit.batch.run import REPORT_NOTEBOOK
    from tests.test_batch import _store_with_one_business

    url = _store_with_one_business(tmp_path)
    job = ReportJob(
        "smb-001", "retry", url, REPORT_NOTEBOOK.read_text(encoding="utf-8"), ("html",), "a4", 120
    )
    assert worker.RUNNER == FORKED_CELLS  # where processes fork, as here
    try:
        default = worker.run_job(job)
        monkeypatch.setattr(worker, "RUNNER", runner)
        for module in (worker, kit.kernels):  # the worker's warm-up and the manager's
            monkeypatch.setattr(module, "forks_kernels", lambda: forking)
        other = worker.run_job(job)
    finally:
        worker.release_worker_resources()
    assert default.ok and other.ok, [default.error, other.error]
    assert default.files == other.files


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_kill_9_of_a_batch_leaves_no_process_behind(tmp_path: Path):
    """``kill -9`` of a running ``eakit batch``: are its workers, their kernel templates and
    the kernels running a business all gone within seconds?"""
    slow = tmp_path / "slow_report.ipynb"
    import nbformat
    from nbformat.v4 import new_code_cell

    from kit.batch.run import REPORT_NOTEBOOK

    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    notebook.cells.insert(len(notebook.cells) - 1, new_code_cell("import time; time.sleep(600)"))
    nbformat.write(notebook, slow)
    cohort = write_cohort(tmp_path / "cohort.csv", GOOD[:3])
    batch = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "eakit"),
            "batch",
            str(cohort),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "2",
            "--notebook",
            str(slow),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    kernels: list[psutil.Process] = []
    while time.monotonic() < deadline and len(kernels) < 2:  # both workers busy in a kernel
        time.sleep(0.5)
        kernels = [
            p
            for p in _descendants(batch.pid)
            if "ipykernel" in " ".join(p.cmdline())
            or (p.parent() and "kit.kernels.template" in " ".join(p.parent().cmdline()))
        ]
    family = _descendants(batch.pid)
    assert len(kernels) >= 2, [p.cmdline() for p in family]
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    _gone, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], [(p.pid, p.cmdline()) for p in alive]


def test_a_template_still_importing_is_killed_not_waited_for():
    """A batch that turns out to have nothing to do closes the template it started ahead:
    is a template still importing killed at once rather than left to finish its imports?"""
    template = KernelTemplate(("kit.batch.warmup",))
    template.close()
    assert not template.alive
    assert template._process.returncode == -signal.SIGKILL
