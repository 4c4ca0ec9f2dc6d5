"""``eakit``: a thin command line over the kit's modules.

Each verb lives in a module under ``kit.commands`` and registers itself with ``command``; this
file only builds the parser and turns a ``KitError`` into a clear message and a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kit.errors import KitError

COMMAND_MODULES = (
    "kit.commands.definitions",
    "kit.commands.scoring",
    "kit.commands.store",
    "kit.commands.serve",
    "kit.commands.batch",
)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register ``run(args) -> exit status`` as the verb ``name``."""

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name, help, configure, run)
        return run

    return register


def build_parser() -> argparse.ArgumentParser:
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    parser = argparse.ArgumentParser(
        prog="eakit", description="Ethical automation maturity kit for small businesses.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for cmd in COMMANDS.values():
        sub = verbs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(sub)
        sub.set_defaults(run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KitError as exc:
        print(f"eakit {args.verb}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
