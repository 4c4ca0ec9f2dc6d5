"""``eakit``: a thin command line over the kit's layers.

One module per group of verbs (``definitions``, ``scoring``, ``store``, ``serve``, ``batch``),
each listing its ``VERBS``; ``kit.cli.parser`` imports them by name and builds the parser.
"""

from __future__ import annotations

from kit.cli.parser import build_parser, console, main

__all__ = ["build_parser", "console", "main"]
