"""Notebooks passed to papermill and taken back as text, in memory: a papermill I/O handler
for ``eakit-memory://`` paths (papermill's registry of I/O handlers by scheme).

A worker already holds the report notebook as text (a Dask job carries it), and needs the
executed notebook as text for the audit trail. Handed a notebook object, papermill turns it
into text and parses it again; given no output path, it still turns the executed notebook into
text and drops it, which the worker then does a second time. Through this handler the text
goes in once and comes out once: a few thousandths of a second of a report's time.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator

from papermill.iorw import papermill_io

SCHEME = "eakit-memory://"


class MemoryHandler:
    """Texts by path, read by papermill as notebooks and written back by it."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()

    def read(self, path: str) -> str:
        with self._lock:
            return self._texts[path]

    def write(self, buf: str, path: str) -> None:
        with self._lock:
            self._texts[path] = buf

    def listdir(self, path: str) -> list[str]:
        with self._lock:
            return [name for name in self._texts if name.startswith(path)]

    def pretty_path(self, path: str) -> str:
        return path

    def forget(self, *paths: str) -> None:
        with self._lock:
            for path in paths:
                self._texts.pop(path, None)


HANDLER = MemoryHandler()
papermill_io.register(SCHEME, HANDLER)


class NotebookPair:
    """Where papermill reads one run's notebook from and writes its result to."""

    def __init__(self, text: str) -> None:
        folder = f"{SCHEME}{uuid.uuid4().hex}"
        self.input, self.output = f"{folder}/input.ipynb", f"{folder}/output.ipynb"
        HANDLER.write(text, self.input)

    @property
    def written(self) -> str:
        """The executed notebook as papermill saved it."""
        return HANDLER.read(self.output)


@contextlib.contextmanager
def in_memory(text: str) -> Iterator[NotebookPair]:
    """Paths for one papermill run of the notebook ``text``, forgotten afterwards."""
    pair = NotebookPair(text)
    try:
        yield pair
    finally:
        HANDLER.forget(pair.input, pair.output)
