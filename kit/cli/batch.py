"""``eakit batch``: a report per business and a cohort summary, from a workshop or a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.cli.terminal import say, warn
from kit.cli.verbs import Verb
from kit.settings import URL_VARIABLE

DEFAULT_OUT = Path("reports")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _configure(parser: argparse.ArgumentParser) -> None:
    from kit.batch.jobs import DEFAULT_TIMEOUT, default_workers
    from kit.reports.renderers import PAPER_SIZES, RENDERERS

    parser.add_argument(
        "cohort",
        nargs="?",
        type=Path,
        help="a cohort .csv/.xlsx to import and report on (else --workshop)",
    )
    parser.add_argument("--workshop", help="the workshop code (default for a file: its name)")
    parser.add_argument(
        "--language",
        help="the reports' language (en, fr) for businesses that did not choose one",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"the store (default: for a file, OUT/cohort.sqlite; otherwise "
        f"${URL_VARIABLE}, else eakit.sqlite here)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=default_workers(),
        help="businesses run side by side (default: the number of CPUs)",
    )
    parser.add_argument(
        "--format",
        default="html",
        help=f"comma-separated formats: {', '.join(RENDERERS)} (default: html)",
    )
    parser.add_argument(
        "--paper",
        choices=sorted(PAPER_SIZES),
        default="a4",
        help="paper size for PDF (default: a4)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds allowed per business (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--force", action="store_true", help="redo reports that are already up to date"
    )
    parser.add_argument(
        "--notebook", type=Path, help="a report notebook of your own (default: the bundled one)"
    )
    dask = parser.add_mutually_exclusive_group()
    dask.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786",
    )
    dask.add_argument(
        "--dask-local",
        action="store_true",
        help="run on a Dask cluster started on this machine for the batch",
    )


def batch(args: argparse.Namespace) -> int:
    from kit.batch.executors import EXECUTORS
    from kit.slow_imports import skip_unused_slow_imports, skip_widget_imports

    executor = "dask" if args.dask_scheduler or args.dask_local else "local"
    EXECUTORS[executor].prepare()  # first of all: it gets ready while the rest imports
    skip_unused_slow_imports()
    skip_widget_imports()  # this process draws charts as SVG and shows no widget
    from kit.batch.manifest import FAILED, INVALID
    from kit.batch.run import REPORT_NOTEBOOK, BatchOptions, run_batch

    options = BatchOptions(
        out=args.out,
        cohort_file=args.cohort,
        workshop=args.workshop,
        database=args.database,
        formats=tuple(part.strip() for part in args.format.split(",") if part.strip()),
        paper=args.paper,
        workers=args.workers,
        timeout=args.timeout,
        force=args.force,
        notebook=args.notebook or REPORT_NOTEBOOK,
        executor=executor,
        dask_scheduler=args.dask_scheduler,
        dask_local=args.dask_local,
        language=args.language,
    )
    result = run_batch(options)
    if result.imported:
        say(result.imported)
    for entry in result.entries:
        if entry.status in (FAILED, INVALID):
            warn(f"{entry.business_id or 'input'}: {entry.status}: {entry.error}")
    folder = result.folder
    if folder.summary("html").exists():
        say(f"Cohort summary: {folder.summary('html')}")
    say(f"Business reports: {folder.businesses}/<business_id>.html")
    say(result.summary_line())
    return 0 if result.ok else 1


VERBS = (
    Verb(
        "batch",
        "Write one report per business and a cohort summary (papermill).",
        _configure,
        batch,
    ),
)
