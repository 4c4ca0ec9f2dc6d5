"""Where report jobs run: a pool of local worker processes, or a Dask cluster.

Each executor takes the jobs and yields one ``JobResult`` per job as they finish, in any
order; ``run_batch`` does not care which one it got. Both keep their workers for the whole
batch (so each worker's spare kernel is used) and release the workers' spare kernels at the end.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from kit.batch.jobs import JobResult, ReportJob
from kit.errors import BatchError


@dataclass(frozen=True)
class ExecutorSettings:
    workers: int
    dask_scheduler: str | None = None  # address of a running scheduler
    dask_local: bool = False  # start a LocalCluster for this batch


Executor = Callable[[Sequence[ReportJob], ExecutorSettings], Iterator[JobResult]]


def _worker_died(job: ReportJob, detail: str) -> JobResult:
    return JobResult(job.business_id, False, 0.0, f"the worker process died ({detail})")


def local_processes(jobs: Sequence[ReportJob], settings: ExecutorSettings) -> Iterator[JobResult]:
    """Run jobs on ``workers`` fresh Python processes (spawned, so they share nothing with
    this one). If a worker process itself dies, the pool is rebuilt and the jobs it took
    down are tried once more; a job that takes a pool down twice is failed."""
    from kit.batch.worker import init_worker, run_job

    context = multiprocessing.get_context("spawn")
    crashes: Counter[str] = Counter()
    pending = list(jobs)
    while pending:
        retry = []
        pool = ProcessPoolExecutor(
            max_workers=min(settings.workers, len(pending)),
            mp_context=context,
            initializer=init_worker,
        )
        try:
            futures = {pool.submit(run_job, job): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool:
                    crashes[job.business_id] += 1
                    if crashes[job.business_id] > 1:
                        yield _worker_died(job, "twice, with this business among its jobs")
                    else:
                        retry.append(job)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        pending = retry


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


EXECUTORS: dict[str, Executor] = {
    "local": local_processes,
    "dask": dask_cluster,
}
