"""Printing to the terminal text that came from participants' files or the store.

Names, ids in messages and cells quoted back to the trainer may hold escape sequences that a
terminal would obey (clear the screen, retitle the window); everything the CLI prints about
businesses goes through ``say``, which shows such characters as escapes instead.
"""

from __future__ import annotations

import sys
from typing import TextIO

from kit.core.ids import terminal_safe


def say(text: str = "", file: TextIO | None = None) -> None:
    """``print`` for untrusted text: control and invisible characters shown as escapes."""
    print(terminal_safe(text), file=file or sys.stdout)


def warn(text: str) -> None:
    """``say`` on stderr, for problems and notes."""
    say(text, sys.stderr)
