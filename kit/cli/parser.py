"""The ``eakit`` parser: every verb module named here, in the order ``--help`` lists them."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from kit import __version__
from kit.cli import batch, definitions, scoring, serve, store
from kit.cli.terminal import warn
from kit.cli.verbs import Verb
from kit.errors import Interrupted, KitError, file_fault

INTERRUPTED = 130  # what shells report for a command stopped by Ctrl-C
VERBS: tuple[Verb, ...] = (
    *definitions.VERBS,
    *scoring.VERBS,
    *store.VERBS,
    *serve.VERBS,
    *batch.VERBS,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eakit", description="Ethical automation maturity kit for small businesses."
    )
    parser.add_argument("--version", action="version", version=f"eakit {__version__}")
    subparsers = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for verb in VERBS:
        sub = subparsers.add_parser(verb.name, help=verb.help, description=verb.help)
        verb.configure(sub)
        sub.set_defaults(run=verb.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb; a ``KitError`` or a file that cannot be used becomes one line on stderr
    and exit status 2, Ctrl-C a line saying what was finished and status 130."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Interrupted as exc:
        warn(f"eakit {args.verb}: {exc}")
        return INTERRUPTED
    except KitError as exc:
        warn(f"eakit {args.verb}: {exc}")
        return 2
    except BrokenPipeError:
        return 1
    except OSError as exc:  # a file named on the command line that cannot be read or written
        warn(f"eakit {args.verb}: {file_fault(exc)}")
        return 2
    except KeyboardInterrupt:
        warn(f"eakit {args.verb}: interrupted before anything was finished; run it again")
        return INTERRUPTED


def console() -> NoReturn:
    """The ``eakit`` command: ``main``, then a quick exit.

    When a verb returns, what it wrote is written and closed; the exit handlers (kernel
    templates, logging) then run as usual. What ``os._exit`` leaves out is the interpreter
    freeing every module and object one by one, a quarter of a second after a batch (pandas,
    Altair and the chart engine loaded) spent handing back memory the system reclaims anyway.
    """
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe, or a closed stream
            stream.flush()
    os._exit(code)
