"""Run a notebook's code cells in this process's own IPython shell, recording what each cell
shows as nbformat outputs: what a Jupyter kernel does, without the kernel's sockets.

A kernel template forks a process for a notebook (``KernelTemplate.fork(role="cells")``), and
that process calls ``run_cells``: it reads the cells' sources, runs them one by one in a new
``InteractiveShell`` (IPython's own cell handling: magics, the last expression's display,
tracebacks), and rewrites the results file after every cell, so a notebook that hangs or kills
its process still leaves the outputs of the cells that ran. It stops after the first cell that
fails, as papermill does. The forked process is fresh (no other notebook ran in it) and costs
a few hundredths of a CPU second; a kernel adds its own start-up, ZeroMQ sockets and a
message per output on top, about as much again as a short report's cells.

Outputs take the shapes a kernel's messages become in a notebook (``stream``,
``display_data``, ``execute_result``, ``error``), cleaned for JSON as ipykernel cleans them.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any, cast

from ipykernel.ipkernel import IPythonKernel
from ipykernel.jsonutil import encode_images, json_clean
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type
from traitlets.config import Config

Output = dict[str, Any]
Data = dict[str, Any]  # a MIME bundle, or its metadata
# The executed notebook is the record of what ran; IPython's history database (a file shared
# by every shell) is left off, as nbclient leaves it off in its kernels.
SHELL_CONFIG = {"HistoryManager": {"enabled": False}}


class _Outputs:
    """The outputs of the cell now running, in order (consecutive writes to one stream are
    joined into one output, as the notebook would show them)."""

    def __init__(self) -> None:
        self.items: list[Output] = []
        self._clear_before_next = False

    def clear(self, wait: bool) -> None:
        self._clear_before_next = wait
        if not wait:
            self.items.clear()

    def _before_output(self) -> None:
        if self._clear_before_next:
            self.items.clear()
            self._clear_before_next = False

    def stream(self, name: str, text: str) -> None:
        self._before_output()
        last = self.items[-1] if self.items else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.items.append({"output_type": "stream", "name": name, "text": text})

    def rich(self, output_type: str, data: Data, metadata: Data | None, **more: Any) -> None:
        self._before_output()
        self.items.append(
            {
                "output_type": output_type,
                "data": json_clean(encode_images(data)),
                "metadata": json_clean(metadata or {}),
                **more,
            }
        )


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` while cells run: text becomes a stream output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str, shell: CellShell) -> None:
        self.name = name
        self._shell = shell

    def write(self, text: str) -> int:
        if text:
            self._shell.cell_outputs.stream(self.name, text)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Nothing is buffered."""

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    """``display(...)`` becomes a ``display_data`` output of the running cell."""

    def publish(
        self,
        data: Data,
        metadata: Data | None = None,
        source: Any = None,
        *,
        transient: Data | None = None,
        update: bool = False,
        **_unused: Any,
    ) -> None:
        self.shell.cell_outputs.rich("display_data", data, metadata)

    def clear_output(self, wait: bool = False) -> None:
        """Now, or (``wait``) when the cell shows something next, as a notebook does."""
        self.shell.cell_outputs.clear(wait)


class _DisplayHook(DisplayHook):
    """A cell's last expression becomes its ``execute_result`` output."""

    def start_displayhook(self) -> None:
        self._format: tuple[Data, Data | None] | None = None

    def write_output_prompt(self) -> None:
        """No prompt: the count goes with the output."""

    def write_format_data(self, format_dict: Data, md_dict: Data | None = None) -> None:
        self._format = (format_dict, md_dict)

    def finish_displayhook(self) -> None:
        if self._format is not None and self._format[0]:
            data, metadata = self._format
            cast(CellShell, self.shell).cell_outputs.rich(
                "execute_result", data, metadata, execution_count=self.prompt_count
            )
        self._format = None


class CellShell(InteractiveShell):
    """An IPython shell whose output goes into ``cell_outputs`` instead of the terminal."""

    displayhook_class = Type(_DisplayHook)
    display_pub_class = Type(_Publisher)

    def __init__(self, **kwargs: Any) -> None:
        self.cell_outputs = _Outputs()
        super().__init__(**kwargs)

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        self.cell_outputs.items.append(
            {
                "output_type": "error",
                "ename": str(etype.__name__),
                "evalue": str(evalue),
                "traceback": stb,
            }
        )

    def enable_gui(self, gui: str | None = None) -> None:
        """No event loop to integrate with: there is no front end."""


def _shell() -> CellShell:
    return CellShell.instance(config=Config(SHELL_CONFIG))


def prepare() -> None:
    """Make this process's cell shell now: a template that calls this before it forks saves
    each child the shell's set-up (a hundredth of a second). Inside a Jupyter kernel, which
    has its own shell, it does nothing."""
    if not InteractiveShell.initialized():
        _shell()


def discard() -> None:
    """Undo ``prepare`` (what it did to ``sys.modules`` included), so that a Jupyter kernel
    can make its own shell in this process."""
    if isinstance(InteractiveShell._instance, CellShell):
        InteractiveShell._instance.restore_sys_module_state()
        CellShell.clear_instance()


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def _write(path: Path, results: dict[str, Any]) -> None:
    """Replace the results file whole, so a reader never sees half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(results), encoding="utf-8")
    os.replace(partial, path)


def run_cells(sources_file: str, results_file: str) -> None:
    """Run the code cells listed in ``sources_file`` (JSON: a list of sources), writing
    ``{"language_info": ..., "cells": [{"execution_count", "outputs", "start_time",
    "end_time"}, ...]}`` to ``results_file`` after each one; stop after a failing cell."""
    sources = json.loads(Path(sources_file).read_text(encoding="utf-8"))
    results_path = Path(results_file)
    shell = _shell()
    results: dict[str, Any] = {"language_info": IPythonKernel.language_info, "cells": []}
    sys.stdout = _Stream("stdout", shell)
    sys.stderr = _Stream("stderr", shell)
    for source in sources:
        shell.cell_outputs = _Outputs()
        start = _now()
        outcome = shell.run_cell(source, store_history=True)
        results["cells"].append(
            {
                "execution_count": shell.execution_count - 1,
                "outputs": shell.cell_outputs.items,
                "start_time": start,
                "end_time": _now(),
            }
        )
        _write(results_path, results)
        if not outcome.success:
            break
