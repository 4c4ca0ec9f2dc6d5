"""The two papermill engines a batch worker runs a report notebook with (papermill's engine
registry), both giving every business an interpreter no other business has touched.

- ``forked-cells`` (where processes can fork): the cells run in a process forked from the
  batch's kernel template, in that process's own IPython shell (``kit.kernels.shell``). No
  kernel start-up, no sockets, no message per output: a report's cells cost about as much as
  they would in the batch's own process.
- ``fresh-kernel`` (everywhere): papermill's nbclient engine on a Jupyter kernel started
  beforehand by the caller, forked from the template where fork exists, else started cold.

Both hand the notebook being executed to the caller (``keep``), so that a notebook that timed
out or lost its interpreter can still be saved as far as it ran.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, NBClientEngine, papermill_engines

from kit.kernels import ForkedKernel, KernelTemplate
from kit.kernels.clients import KILL_WAIT

FORKED_CELLS = "eakit-forked-cells"
FRESH_KERNEL = "eakit-fresh-kernel"


class FreshKernelEngine(NBClientEngine):
    """papermill's nbclient engine, run on a kernel started beforehand and killed after (by
    the caller: nbclient's own shutdown interrupts the kernel and polls for its end)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        km: AsyncKernelManager,
        kc: Any,
        keep: list[nbformat.NotebookNode],
        execution_timeout: float | None = None,
        start_timeout: float = 60,
        **_unused: Any,
    ) -> Any:
        keep.append(nb_man.nb)
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            kernel_name=kernel_name,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
        )
        client.kc = kc  # already connected and answering: no second handshake
        kc.allow_stdin = False
        return client.execute(cleanup_kc=False)


class ForkedCellsEngine(Engine):
    """Run the notebook's code cells in a child forked from ``template`` and copy what each
    cell showed into the notebook, with papermill's record of each cell (start, end, status).

    ``execution_timeout`` is the whole notebook's deadline: past it the child is killed and
    ``CellTimeoutError`` raised; a child that ends before its last cell without an error
    raises ``DeadKernelError``. Either way the cells that finished keep their outputs.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        template: KernelTemplate,
        env: Mapping[str, str],
        keep: list[nbformat.NotebookNode],
        execution_timeout: float | None = None,
        **_unused: Any,
    ) -> Any:
        keep.append(nb_man.nb)
        cells = nb_man.nb.cells
        code = [
            i for i, cell in enumerate(cells) if cell.cell_type == "code" and cell.source.strip()
        ]
        with tempfile.TemporaryDirectory(prefix="eakit-cells-") as folder:
            sources, results = Path(folder, "sources.json"), Path(folder, "results.json")
            sources.write_text(json.dumps([cells[i].source for i in code]), encoding="utf-8")
            child = template.fork([str(sources), str(results)], env, folder, True, "cells")
            exit_code = _wait(child, execution_timeout)
            ran = json.loads(results.read_text(encoding="utf-8")) if results.exists() else {}
        finished = _record(nb_man, code, ran.get("cells", []))
        if exit_code is None:
            raise CellTimeoutError(f"the notebook did not finish in {execution_timeout:g} s")
        if not finished and exit_code != 0:
            raise DeadKernelError(f"the notebook's process ended with exit code {exit_code}")
        nb_man.nb.metadata["language_info"] = ran["language_info"]
        return nb_man.nb


def _wait(child: ForkedKernel, timeout: float | None) -> int | None:
    """The child's exit code, or None once it ran past ``timeout`` (it is then killed)."""
    try:
        return child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(KILL_WAIT)  # as long as a killed kernel is waited for
        return None


def _record(nb_man: Any, code: list[int], ran: list[dict[str, Any]]) -> bool:
    """Put the child's results into the notebook, cell by cell as papermill would have
    recorded them; True when the notebook ran to its end or to a failing cell. A cell that
    was running when the child ended is marked failed, with what it had finished showing
    lost (results are written after each cell)."""
    results = dict(zip(code, ran, strict=False))
    for index, cell in enumerate(nb_man.nb.cells):
        result = results.get(index)
        interrupted = index in code and result is None
        nb_man.cell_start(cell, index)
        failed = interrupted
        if result is not None:
            cell.execution_count = result["execution_count"]
            cell.outputs = [nbformat.from_dict(output) for output in result["outputs"]]
            failed = any(output["output_type"] == "error" for output in result["outputs"])
        if failed:
            nb_man.cell_exception(cell, cell_index=index)
        nb_man.cell_complete(cell, cell_index=index)
        if result is not None:
            _times(cell.metadata.papermill, result["start_time"], result["end_time"])
        if failed:
            return not interrupted
    return True


def _times(record: dict[str, Any], start: str, end: str) -> None:
    """The cell's own start and end, as the child measured them (not when they were copied)."""
    began, ended = datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end)
    record.update(start_time=start, end_time=end, duration=(ended - began).total_seconds())


def execute_in_forked_cells(
    notebook: nbformat.NotebookNode,
    template: KernelTemplate,
    env: Mapping[str, str],
    timeout: float,
    keep: list[nbformat.NotebookNode] | None = None,
) -> Any:
    """``notebook`` run through papermill on ``ForkedCellsEngine``, kept in memory (for
    measurements and checks of the engine itself; a batch worker adds its parameters)."""
    import papermill

    return papermill.execute_notebook(
        notebook,
        None,
        engine_name=FORKED_CELLS,
        kernel_name="python3",
        progress_bar=False,
        template=template,
        env=env,
        keep=[] if keep is None else keep,
        execution_timeout=timeout,
    )


papermill_engines.register(FRESH_KERNEL, FreshKernelEngine)
papermill_engines.register(FORKED_CELLS, ForkedCellsEngine)
