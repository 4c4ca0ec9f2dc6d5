"""Names of the settings the kit reads from its environment, and how the database is chosen.

Kept apart from the store so that the command line and the app server can name them without
loading SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_URL = "sqlite:///eakit.sqlite"
URL_VARIABLE = "EAKIT_DATABASE_URL"
WORKSHOP_VARIABLE = "EAKIT_WORKSHOP"
JOIN_URL_VARIABLE = "EAKIT_JOIN_URL"  # the link the dashboard tells participants to open
CHARTS_VARIABLE = "EAKIT_REPORT_CHARTS"
DEFINITIONS_VARIABLE = "EAKIT_DEFINITIONS_SNAPSHOT"  # set by `eakit serve` for its kernels
LANGUAGE_VARIABLE = "EAKIT_LANGUAGE"  # the workshop's language (`eakit serve --language`)


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else ``$EAKIT_DATABASE_URL``, else ``eakit.sqlite``.

    A plain file path (no ``://``) means a SQLite file there, so ``--database my.sqlite`` works.
    """
    chosen = explicit or os.environ.get(URL_VARIABLE) or DEFAULT_URL
    return chosen if "://" in chosen else f"sqlite:///{Path(chosen).expanduser().resolve()}"
