"""What one ``eakit`` verb is: a name, a line of help, its options and what it runs.

Verb modules import their heavy dependencies inside ``run``, so building the parser (and so
``eakit --help``) loads nothing but the standard library.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verb:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
