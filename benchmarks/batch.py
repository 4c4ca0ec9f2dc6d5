"""Seconds per business report: `eakit batch` against the loop a trainer would write by hand.

    .venv/bin/python benchmarks/batch.py [--businesses 50] [--hand 5]

Builds a workshop of N businesses (the sample cohort's answers, repeated) in a fresh SQLite
store, then measures, in one run:

- the floor: the same report built and rendered in this process, with no kernel at all;
- `eakit batch` with 1 and with 2 workers (the whole command, start-up included);
- the hand loop: per business, one `papermill` CLI call, then one `jupyter nbconvert --to html
  --no-input` CLI call, one business after another (timed on the first --hand businesses,
  since it is slow);

and prints them side by side with ratios, followed by where a batch report's time goes: what a
kernel costs to start and warm up, and what the report cell costs once it is warm. The load
average is printed too: other work on the machine makes every figure slower.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.slow_imports import skip_unused_slow_imports  # noqa: E402

skip_unused_slow_imports()

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.paths import SAMPLE_COHORT  # noqa: E402
from kit.reports.business import business_report  # noqa: E402
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
            writer.writerow([business_id, f"{sample.business_name} {n + 1}",
                             *(sample.answers.get(q, "") for q in questions)])
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
        return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                   for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def floor(url: str, ids: list[str]) -> Timed:
    """No kernel: load, compute, draw the chart and lay out the page, in this process."""
    business_report(url, WORKSHOP, ids[0])  # imports and the first chart are not counted
    page_html = ""
    with Timed() as timed:
        for business_id in ids:
            view = business_report(url, WORKSHOP, business_id)
            page_html = page(view.title, view.html)
    assert "<svg" in page_html
    return timed


def batch(url: str, ids: list[str], workers: int, out: Path) -> Timed:
    """The whole `eakit batch` command, as a trainer runs it (start-up included)."""
    with Timed() as timed:
        result = subprocess.run([str(BIN / "eakit"), "batch", "--workshop", WORKSHOP,
                                 "--database", url, "--out", str(out), "--workers",
                                 str(workers), "--force"], capture_output=True, text=True)
    if result.returncode != 0 or f"{len(ids)} report(s) written" not in result.stdout:
        sys.exit(f"eakit batch failed:\n{result.stdout}\n{result.stderr}")
    return timed


def hand_loop(url: str, ids: list[str], out: Path) -> Timed:
    """papermill's CLI then nbconvert's CLI, one business at a time."""
    out.mkdir(parents=True, exist_ok=True)
    with Timed() as timed:
        for business_id in ids:
            executed = out / f"{business_id}.ipynb"
            subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p",
                            "database_url", url, "-p", "workshop", WORKSHOP, "-p",
                            "business_id", business_id, "--no-progress-bar"],
                           check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                            str(executed)], check=True, capture_output=True)
    return timed


def kernel_costs(url: str, business_id: str) -> dict[str, float]:
    """CPU seconds of one batch kernel: starting bare, warming up, and the report cell."""
    import psutil
    from jupyter_client import KernelManager

    from kit.reports.business import LEAVE_TO_RENDERER
    from kit.settings import CHARTS_VARIABLE

    costs = {}
    env = {**os.environ, CHARTS_VARIABLE: LEAVE_TO_RENDERER}
    for label, extra in (("bare kernel start", []),
                         ("kernel start + warm-up", ["--IPKernelApp.exec_lines=import "
                                                     "kit.batch.warmup"])):
        km = KernelManager(kernel_name="python3")
        km.start_kernel(extra_arguments=extra, env=env, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        process = psutil.Process(km.provisioner.process.pid)
        booted = sum(process.cpu_times()[:2])
        costs[label] = booted
        if extra:
            client.execute_interactive(
                "from kit.reports.business import business_report\n"
                f"view = business_report({url!r}, {WORKSHOP!r}, {business_id!r})", timeout=120)
            costs["report cell (warm kernel)"] = sum(process.cpu_times()[:2]) - booted
        client.stop_channels()
        km.shutdown_kernel(now=True)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--businesses", type=int, default=50)
    parser.add_argument("--hand", type=int, default=5,
                        help="businesses to time the hand loop on (it is slow)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="eakit-bench-") as tmp:
        folder = Path(tmp)
        url, ids = make_store(folder, args.businesses)
        rows = [("no kernel (the floor)", len(ids), floor(url, ids))]
        for workers in (1, 2):
            rows.append((f"eakit batch, {workers} worker(s)", len(ids),
                         batch(url, ids, workers, folder / f"out{workers}")))
        rows.append(("hand loop: papermill + nbconvert CLIs", args.hand,
                     hand_loop(url, ids[:args.hand], folder / "hand")))
        costs = kernel_costs(url, ids[0])
    base, hand = rows[0][2].wall / rows[0][1], rows[-1][2].wall / rows[-1][1]
    print(f"\n{'method':40} {'reports':>7} {'s/report':>9} {'CPU s/report':>13} "
          f"{'x floor':>8} {'hand loop / this':>17}")
    for name, count, timed in rows:
        wall = timed.wall / count
        print(f"{name:40} {count:>7} {wall:>9.3f} {timed.cpu / count:>13.3f} "
              f"{wall / base:>8.1f} {hand / wall:>17.1f}")
    print("\nWhere a batch report's time goes (CPU seconds in the kernel process):")
    for name, seconds in costs.items():
        print(f"  {name:32} {seconds:6.2f}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
