"""Seconds per business report: `eakit batch` against the loop a trainer would write by hand.

    .venv/bin/python benchmarks/batch.py [--businesses 50] [--hand 4] [--pdf 10] [--large 1000]

Builds a workshop of N businesses (the sample cohort's answers, repeated) in a fresh SQLite
store, then measures, in one run:

- the floor: the same reports built and rendered in this process, with no kernel at all (the
  workshop's medians worked out once, as a batch does);
- `eakit batch` with 1 and with 2 workers, and on a Dask LocalCluster of 2 workers (the whole
  command, start-up included, with its default settings);
- the same two batches on --steady times as many businesses: the difference between the two
  sizes is what a report costs once the batch is running, and what is left is the batch's
  start-up (imports, the kernel template, the chart engine), paid once per command;
- the hand loop: per business, one `papermill` CLI call, then one `jupyter nbconvert --to html
  --no-input` CLI call, one business after another (timed on the first --hand businesses,
  since it is slow);
- the demo (`make demo`: the 16 sample businesses from the CSV file, import included);
- PDF: `--format html,pdf` on the first --pdf businesses, and what each printed page adds;
- with --large N, a batch of N businesses on 2 workers with its peak memory (proportional set
  size of the batch and every process under it, sampled twice a second);

and prints them side by side with the ratios the targets are stated in, then where a batch
report's time goes (what an interpreter of its own costs to get, what the report cell costs).
The floor and the 1- and 2-worker batches are each run --repeat times and the fastest run kept:
other work on the machine only ever makes a run slower (the load average is printed with every
figure, and on Linux the share of CPU time a virtual machine's host gave to other machines while
it ran: at a few percent or more, the figure is the neighbours', not the code's), and the ratios
compare runs a few seconds apart.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.slow_imports import skip_unused_slow_imports  # noqa: E402

skip_unused_slow_imports()

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.paths import SAMPLE_COHORT  # noqa: E402
from kit.reports.business import business_report, cohort_parameter  # noqa: E402
from kit.reports.context import CohortView  # noqa: E402
from kit.reports.html import page  # noqa: E402
from kit.store.database import Store  # noqa: E402
from kit.store.importer import import_cohort  # noqa: E402
from kit.tables.cohort_file import read_cohort  # noqa: E402

BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "reports" / "business_report.ipynb"
WORKSHOP = "bench"


def make_store(folder: Path, businesses: int) -> tuple[str, list[str]]:
    """A store holding ``businesses`` businesses with the sample cohort's answers in turn."""
    rows = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows
    questions = list(bundled_definitions().questions)
    path = folder / "bench.csv"
    ids = [f"bench-{n:04d}" for n in range(1, businesses + 1)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["business_id", "business_name", *questions])
        for n, business_id in enumerate(ids):
            sample = rows[n % len(rows)]
            writer.writerow(
                [
                    business_id,
                    f"{sample.business_name} {n + 1}",
                    *(sample.answers.get(q, "") for q in questions),
                ]
            )
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    with Store.open(url) as store:
        import_cohort(store, path, WORKSHOP)
    return url, ids


class Timed:
    """Wall-clock and CPU seconds (this process and finished child processes) of a block."""

    def __enter__(self) -> Timed:
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        return sum(
            resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )


def floor(url: str, ids: list[str]) -> Timed:
    """No kernel: load, compute, draw the chart and lay out the page, in this process."""
    with Store.open(url) as store:
        cohort = cohort_parameter(
            CohortView.of(store.definitions, store.latest_submissions(WORKSHOP))
        )
    business_report(url, WORKSHOP, ids[0], cohort)  # imports and the first chart not counted
    page_html = ""
    with Timed() as timed:
        for business_id in ids:
            view = business_report(url, WORKSHOP, business_id, cohort)
            page_html = page(view.title, view.html)
    assert "<svg" in page_html
    return timed


def _tree_memory(pid: int) -> int:
    """Proportional set size (bytes) of a process and all below it: pages shared by forks
    are counted once between them."""
    import psutil

    total = 0
    try:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_full_info().pss
    except psutil.Error:
        pass
    return total


def eakit_batch(args: list[str], expect: int, large: bool = False) -> tuple[Timed, int]:
    """The whole `eakit batch` command, as a trainer runs it (start-up included); returns its
    timing and, when ``large`` (which also shows its progress bar), its peak memory."""
    peak = 0
    with Timed() as timed:
        process = subprocess.Popen(
            [str(BIN / "eakit"), "batch", *args],
            text=True,
            stdout=subprocess.PIPE,
            stderr=None if large else subprocess.PIPE,
        )
        while large:
            try:
                process.wait(0.5)
                break
            except subprocess.TimeoutExpired:
                peak = max(peak, _tree_memory(process.pid))
        stdout, stderr = process.communicate()
    if process.returncode != 0 or f"{expect} report(s) written" not in stdout:
        sys.exit(f"eakit batch failed:\n{stdout}\n{stderr}")
    return timed, peak


def batch(url: str, ids: list[str], out: Path, *options: str) -> Timed:
    return eakit_batch(
        ["--workshop", WORKSHOP, "--database", url, "--out", str(out), "--force", *options],
        len(ids),
    )[0]


def pdf_pages(folder: Path) -> int:
    return sum(
        len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes())) for path in folder.rglob("*.pdf")
    )


def hand_loop(url: str, ids: list[str], out: Path) -> Timed:
    """papermill's CLI then nbconvert's CLI, one business at a time."""
    out.mkdir(parents=True, exist_ok=True)
    with Timed() as timed:
        for business_id in ids:
            executed = out / f"{business_id}.ipynb"
            subprocess.run(
                [
                    str(BIN / "papermill"),
                    str(NOTEBOOK),
                    str(executed),
                    "-p",
                    "database_url",
                    url,
                    "-p",
                    "workshop",
                    WORKSHOP,
                    "-p",
                    "business_id",
                    business_id,
                    "--no-progress-bar",
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                check=True,
                capture_output=True,
            )
    return timed


def kernel_costs(url: str, business_id: str) -> dict[str, float]:
    """CPU seconds of one business's interpreter: a kernel started cold (bare, then with the
    warm-up imports), a kernel forked from the template (where fork is, the fallback), and a
    process forked from it that runs the cells in its own shell (what a batch uses), with the
    report cell on each forked one."""
    import nbformat.v4
    import psutil
    from jupyter_client import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from kit.batch.engines import execute_in_forked_cells
    from kit.batch.worker import WARMUP, WARMUP_MODULE
    from kit.kernels import close_templates, kernel_manager, template_for
    from kit.reports.business import LEAVE_TO_RENDERER
    from kit.settings import CHARTS_VARIABLE

    with Store.open(url) as store:
        cohort = cohort_parameter(
            CohortView.of(store.definitions, store.latest_submissions(WORKSHOP))
        )
    report = (
        "from kit.reports.business import business_report\n"
        f"view = business_report({url!r}, {WORKSHOP!r}, {business_id!r}, {cohort!r})"
    )
    costs = {}
    env = {**os.environ, CHARTS_VARIABLE: LEAVE_TO_RENDERER}
    template = template_for((WARMUP_MODULE,))  # the template's own start is a fixed cost
    template.wait_ready()
    for label, make, extra in (
        ("cold kernel, bare", lambda: AsyncKernelManager(kernel_name="python3"), []),
        ("cold kernel + warm-up", lambda: AsyncKernelManager(kernel_name="python3"), [WARMUP]),
        ("forked kernel", lambda: kernel_manager(preload=(WARMUP_MODULE,)), []),
    ):
        km = make()
        run_sync(km.start_kernel)(
            extra_arguments=extra, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = km.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=120)
        process = psutil.Process(km.provisioner.process.pid)
        booted = sum(process.cpu_times()[:2])
        costs[label] = booted
        if label.startswith("forked"):
            run_sync(client.execute_interactive)(report, timeout=120)
            costs["  its report cell"] = sum(process.cpu_times()[:2]) - booted
        client.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
    clock = "import time\nprint(time.process_time())"  # CPU seconds of the process so far
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in (clock, report, clock)],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "-"}},
    )
    ran = execute_in_forked_cells(notebook, template, env, 120)
    before, after = (float(ran.cells[i].outputs[0].text) for i in (0, 2))
    costs["forked cells (what a batch uses)"] = before
    costs["  its report cell "] = after - before
    close_templates()
    return costs


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far in ticks, by kind (Linux's /proc/stat; else empty)."""
    try:
        return [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return []


def conditions(since: list[int]) -> str:
    """The load average, and the share of CPU time since ``since`` that the hypervisor gave
    to other virtual machines (steal): a figure taken while it was high is slower than the
    code, however idle the machine itself looked."""
    now = cpu_ticks()
    text = load()
    if len(now) == len(since) == 8 and sum(now) > sum(since):
        text += f", {100 * (now[7] - since[7]) / (sum(now) - sum(since)):.0f} % stolen"
    return text


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type for a whole number of at least ``minimum``: every figure divides by
    its count, so a run with none of something would end in a crash, not a table."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {number})")
        return number

    return parse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--businesses", type=at_least(1), default=50)
    parser.add_argument(
        "--hand",
        type=at_least(1),
        default=4,
        help="businesses to time the hand loop on (it is slow)",
    )
    parser.add_argument("--pdf", type=at_least(1), default=10, help="businesses to print as PDF")
    parser.add_argument(
        "--large",
        type=at_least(0),
        default=0,
        help="also run a batch of this many businesses (e.g. 1000)",
    )
    parser.add_argument(
        "--steady",
        type=at_least(2),
        default=5,
        help="also run the 1- and 2-worker batches on this many times --businesses",
    )
    parser.add_argument(
        "--repeat",
        type=at_least(1),
        default=3,
        help="run each 1- and 2-worker batch this many times and keep the fastest",
    )
    parser.add_argument("--large-only", action="store_true", help="run only the --large batch")
    args = parser.parse_args()
    since = cpu_ticks()
    time.sleep(1)  # a second's sample says whether the machine is shared right now
    print(f"{os.cpu_count()} CPUs; {conditions(since)} at the start")
    if args.large_only:
        with tempfile.TemporaryDirectory(prefix="eakit-bench-") as tmp:
            url, ids = make_store(Path(tmp), args.large)
            print(f"{args.large} businesses on 2 workers (the progress bar is the batch's):")
            since = cpu_ticks()
            timed, peak = eakit_batch(
                [
                    "--workshop",
                    WORKSHOP,
                    "--database",
                    url,
                    "--out",
                    str(Path(tmp) / "out"),
                    "--workers",
                    "2",
                ],
                len(ids),
                large=True,
            )
        print(
            f"{args.large} businesses, 2 workers: {timed.wall:.1f} s "
            f"({timed.wall / len(ids):.3f} s and {timed.cpu / len(ids):.3f} CPU s per "
            f"report; target < 300 s); peak memory {peak / 2**20:.0f} MiB (PSS, whole "
            f"process tree); {conditions(since)} at the end"
        )
        return
    loads = {}
    with tempfile.TemporaryDirectory(prefix="eakit-bench-") as tmp:
        folder = Path(tmp)
        url, ids = make_store(folder, args.businesses)
        rows = {}

        def measure(name: str, count: int, run, repeat: int = 1) -> None:
            since = cpu_ticks()
            rows[name] = (count, min((run() for _ in range(repeat)), key=lambda t: t.wall))
            loads[name] = conditions(since)
            print(f"  done: {name} ({loads[name]})", flush=True)

        measure("no kernel (the floor)", len(ids), lambda: floor(url, ids), args.repeat)
        for workers in (1, 2):
            measure(
                f"eakit batch, {workers} worker(s)",
                len(ids),
                lambda w=workers: batch(url, ids, folder / f"out{w}", "--workers", str(w)),
                args.repeat,
            )
        (folder / "steady").mkdir()
        steady_url, steady_ids = make_store(folder / "steady", args.businesses * args.steady)
        for workers in (1, 2):
            measure(
                f"eakit batch, {workers} worker(s), x{args.steady}",
                len(steady_ids),
                lambda w=workers: batch(
                    steady_url, steady_ids, folder / "steady" / f"out{w}", "--workers", str(w)
                ),
                args.repeat,
            )
        measure(
            "eakit batch --dask-local, 2 workers",
            len(ids),
            lambda: batch(url, ids, folder / "dask", "--dask-local", "--workers", "2"),
        )
        measure(
            "hand loop: papermill + nbconvert CLIs",
            args.hand,
            lambda: hand_loop(url, ids[: args.hand], folder / "hand"),
        )
        measure(
            "make demo: 16 sample businesses from CSV",
            16,
            lambda: eakit_batch(
                [str(SAMPLE_COHORT), "--workshop", "demo", "--out", str(folder / "demo")], 16
            )[0],
        )
        (folder / "pdf").mkdir()
        pdf_url, pdf_ids = make_store(folder / "pdf", args.pdf)
        measure(
            f"HTML only, 2 workers ({args.pdf} businesses)",
            args.pdf,
            lambda: batch(pdf_url, pdf_ids, folder / "pdf" / "html"),
        )
        measure(
            f"--format html,pdf, 2 workers ({args.pdf})",
            args.pdf,
            lambda: batch(pdf_url, pdf_ids, folder / "pdf" / "out", "--format", "html,pdf"),
        )
        pages = pdf_pages(folder / "pdf" / "out" / "businesses")
        html_only = rows[f"HTML only, 2 workers ({args.pdf} businesses)"][1].wall
        costs = kernel_costs(url, ids[0])
        large = None
        if args.large:
            (folder / "large").mkdir()
            large_url, large_ids = make_store(folder / "large", args.large)
            print(f"\n{args.large} businesses on 2 workers (the progress bar is the batch's):")
            since = cpu_ticks()
            large = eakit_batch(
                [
                    "--workshop",
                    WORKSHOP,
                    "--database",
                    large_url,
                    "--out",
                    str(folder / "large" / "out"),
                    "--workers",
                    "2",
                ],
                len(large_ids),
                large=True,
            )
            loads["large"] = conditions(since)
    base = rows["no kernel (the floor)"][1].wall / rows["no kernel (the floor)"][0]
    hand = (
        rows["hand loop: papermill + nbconvert CLIs"][1].wall
        / rows["hand loop: papermill + nbconvert CLIs"][0]
    )
    print(
        f"\n{'method':44} {'reports':>7} {'s/report':>9} {'CPU s/rep':>10} "
        f"{'x floor':>8} {'hand/this':>10}  after: load, CPU stolen during"
    )
    for name, (count, timed) in rows.items():
        wall = timed.wall / count
        print(
            f"{name:44} {count:>7} {wall:>9.3f} {timed.cpu / count:>10.3f} "
            f"{wall / base:>8.1f} {hand / wall:>10.1f}  {loads[name]}"
        )
    per = {name: timed.wall / count for name, (count, timed) in rows.items()}
    one, two = per["eakit batch, 1 worker(s)"], per["eakit batch, 2 worker(s)"]
    cpu = {name: timed.cpu / count for name, (count, timed) in rows.items()}
    cpu_two, cpu_floor = cpu["eakit batch, 2 worker(s)"], cpu["no kernel (the floor)"]
    print("\nTargets (issue 16), wall-clock seconds per report in this run, whole command:")
    print(f"  hand loop / batch with 2 workers   {hand / two:6.1f}x  (target >= 40)")
    print(f"  batch with 2 workers / floor       {two / base:6.2f}x  (target <= 2)")
    print(f"  1 worker / 2 workers               {one / two:6.2f}x  (target >= 1.7)")
    print(
        f"  the same from CPU seconds, as on an idle {os.cpu_count()}-core machine: batch with "
        f"2 workers / floor {cpu_two / min(2, os.cpu_count() or 1) / cpu_floor:.2f}x "
        f"({cpu_two:.3f} CPU s a report over 2 cores against {cpu_floor:.3f})"
    )
    dask = per["eakit batch --dask-local, 2 workers"]
    print(f"  Dask LocalCluster / local, 2 each  {dask / two:6.2f}x")
    demo = rows["make demo: 16 sample businesses from CSV"][1].wall
    print(f"  make demo, 16 businesses           {demo:6.1f} s  (target < 15)")
    pdf_timed = rows[f"--format html,pdf, 2 workers ({args.pdf})"][1]
    print(
        f"  PDF: {pages} pages; each page adds {(pdf_timed.wall - html_only) / pages:.3f} s "
        f"on 2 workers ({(pdf_timed.wall - html_only) * 2 / pages:.3f} worker-seconds)"
    )
    if large is not None:
        timed, peak = large
        print(
            f"  {args.large} businesses, 2 workers       {timed.wall:6.1f} s  (target < 300); "
            f"peak memory {peak / 2**20:.0f} MiB (PSS, whole process tree); {loads['large']}"
        )
    steady = {}
    for workers in (1, 2):
        small, big = (
            rows[f"eakit batch, {workers} worker(s)"],
            rows[f"eakit batch, {workers} worker(s), x{args.steady}"],
        )
        steady[workers] = (big[1].wall - small[1].wall) / (big[0] - small[0])
        steady[f"start-up {workers}"] = small[1].wall - small[0] * steady[workers]
    print(
        f"\nOnce running (a batch of {len(ids)} against one of {len(ids) * args.steady}: "
        "start-up taken out):"
    )
    print(
        f"  batch with 2 workers / floor       {steady[2] / base:6.2f}x  (target <= 2; "
        f"{steady[2]:.3f} s a report)"
    )
    print(
        f"  1 worker / 2 workers               {steady[1] / steady[2]:6.2f}x  (target >= 1.7; "
        f"{steady[1]:.3f} s a report on 1)"
    )
    print(
        f"  start-up, once per batch           {steady['start-up 2']:6.2f} s with 2 workers, "
        f"{steady['start-up 1']:.2f} s with 1"
    )
    print("\nWhere a batch report's time goes (CPU seconds of the process running its cells):")
    for name, seconds in costs.items():
        print(f"  {name:36} {seconds:6.2f}")
    print(f"\n{load()} at the end")


if __name__ == "__main__":
    main()
