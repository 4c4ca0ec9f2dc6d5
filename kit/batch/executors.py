"""Where report jobs run: worker threads in this process, or a Dask cluster.

Each executor takes the jobs and yields one ``JobResult`` per job as they finish, in any
order; ``run_batch`` does not care which one it got. Both keep their workers for the whole
batch (so each worker's spare kernel is used) and release the workers' kernels at the end.
Each kind may also start ahead what takes long to get ready (``prepare``), which ``eakit
batch`` calls first of all, so that it gets ready while the rest of the batch imports and plans.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from kit.batch.jobs import WARMUP_MODULE, JobResult, ReportJob
from kit.errors import BatchError


@dataclass(frozen=True)
class ExecutorSettings:
    workers: int
    dask_scheduler: str | None = None  # address of a running scheduler
    dask_local: bool = False  # start a LocalCluster for this batch


Executor = Callable[[Sequence[ReportJob], ExecutorSettings], Iterator[JobResult]]


def _worker_died(job: ReportJob, detail: str) -> JobResult:
    return JobResult(job.business_id, False, 0.0, f"the worker process died ({detail})")


def start_kernel_template() -> None:
    """Start this process's kernel template now (where kernels are forked): its imports take
    about a second, done while this process imports and plans instead of after. The calling
    thread owns it and must last the whole batch (``kit.kernels.lifeline``)."""
    from kit.kernels import forks_kernels, template_for

    if forks_kernels():
        template_for((WARMUP_MODULE,))


def local_threads(jobs: Sequence[ReportJob], settings: ExecutorSettings) -> Iterator[JobResult]:
    """Run jobs on ``workers`` threads of this process.

    Each business's notebook still runs in a kernel process of its own, forked from one kernel
    template that all threads share; a thread only drives it (papermill's messages) and draws
    the chart and the page, about a third of a report's CPU time. So threads keep both cores
    busy, and a batch pays once, not once per worker, for the imports, the kernel template
    and vl-convert's JavaScript engine (about 4 CPU seconds per worker process).
    """
    from kit.batch.worker import release_worker_resources, run_job

    start_kernel_template()  # unless started already; owned by this thread
    pool = ThreadPoolExecutor(
        max_workers=min(settings.workers, len(jobs)), thread_name_prefix="eakit-report"
    )
    try:
        futures = [pool.submit(run_job, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()  # run_job never raises
    finally:
        try:  # on Ctrl-C: the reports already running finish, the rest are not started
            pool.shutdown(wait=True, cancel_futures=True)
        finally:  # a second Ctrl-C ends the wait: the kernels die, and the threads soon after
            release_worker_resources()


def dask_cluster(jobs: Sequence[ReportJob], settings: ExecutorSettings) -> Iterator[JobResult]:
    """Run jobs as Dask tasks on a running scheduler, or on a LocalCluster started here.

    Workers need the kit installed and must reach the database and the report notebook's
    imports; results travel back to this process, which alone writes the output folder.
    """
    from distributed import Client, LocalCluster, as_completed

    from kit.batch.worker import release_worker_resources, run_job

    cluster = None
    if settings.dask_local:
        cluster = LocalCluster(
            n_workers=settings.workers, threads_per_worker=1, dashboard_address=None
        )
    try:
        client = Client(cluster or settings.dask_scheduler, timeout="30s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise BatchError(
            f"cannot reach the Dask scheduler at {settings.dask_scheduler} ({exc})"
        ) from None
    batch = uuid.uuid4().hex[:12]
    try:
        futures = {
            client.submit(
                run_job, job, key=f"eakit-report-{batch}-{job.business_id}", pure=False
            ): job
            for job in jobs
        }
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # e.g. KilledWorker: the task took its worker down
                yield _worker_died(futures[future], f"Dask: {type(exc).__name__}: {exc}")
    finally:
        client.run(release_worker_resources)
        client.close()
        if cluster is not None:
            cluster.close()


def _nothing_to_prepare() -> None:
    """Dask workers are processes of their own, which get ready by themselves."""


@dataclass(frozen=True)
class ExecutorKind:
    run: Executor
    prepare: Callable[[], None]


EXECUTORS: dict[str, ExecutorKind] = {
    "local": ExecutorKind(local_threads, start_kernel_template),
    "dask": ExecutorKind(dask_cluster, _nothing_to_prepare),
}
