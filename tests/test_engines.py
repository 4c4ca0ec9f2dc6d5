"""The batch's two papermill engines (``kit.batch.engines``): cells run in a forked process's
own shell must leave the notebook a real Jupyter kernel would, and fail the same way.

Each test runs a real papermill execution: on a process forked from a real kernel template,
and, for the comparison, on a real kernel.
"""

from __future__ import annotations

import os
import subprocess

import nbformat
import papermill
import pytest
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from kit.batch.engines import FRESH_KERNEL, execute_in_forked_cells
from kit.kernels import (
    close_templates,
    forks_kernels,
    kernel_manager,
    ready_client,
    release_kernel,
    template_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.skipif(not forks_kernels(), reason="no fork on this platform"),
]

PRELOAD = ("kit.kernels.shell",)
SHOWCASE = [
    "x = 6 * 7",
    "",  # an empty cell is skipped, as a kernel skips it
    "print('one'); print('two')\nimport sys; print('careful', file=sys.stderr)",
    "from IPython.display import HTML, display, clear_output\n"
    "display(HTML('<b>gone</b>'))\nclear_output()\n"
    "display(HTML('<b>bold</b>'), metadata={'about': {'n': 1}})\nx",
    "%time y = x + 1",
    "y",
    "x;",  # a semicolon hides the result
    "display(HTML('<i>old</i>')); clear_output(wait=True); print('new')",
    "print('stays'); clear_output(wait=True)",  # nothing came after: nothing is cleared
]


@pytest.fixture(scope="module", autouse=True)
def _templates():
    yield
    close_templates()


def _notebook(sources: list[str]) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[new_markdown_cell("# Read me"), *(new_code_cell(s) for s in sources)],
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
    )


def _on_forked_cells(notebook, timeout: float = 60, keep=None):
    template = template_for(PRELOAD)
    template.wait_ready()
    return execute_in_forked_cells(notebook, template, dict(os.environ), timeout, keep)


def _on_kernel(notebook):
    km = kernel_manager(preload=PRELOAD)
    run_sync(km.start_kernel)(
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    kc = ready_client(km, 120)
    try:
        return papermill.execute_notebook(
            notebook,
            None,
            engine_name=FRESH_KERNEL,
            kernel_name="python3",
            progress_bar=False,
            km=km,
            kc=kc,
            keep=[],
            execution_timeout=60,
        )
    finally:
        kc.stop_channels()
        release_kernel(km)


def _own_cells(notebook) -> list:
    """The notebook's cells without the warning papermill puts first in a failed one."""
    return [c for c in notebook.cells if "papermill" in c.metadata]


def _seen(notebook) -> list[tuple]:
    """What a reader of the notebook sees of each cell: its count and its outputs (with the
    clock figures %time prints taken out)."""
    seen = []
    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                text = output.text if "Wall time" not in output.text else "(timings)"
                outputs.append((output.name, text))
            elif output.output_type == "error":
                outputs.append(("error", output.ename, output.evalue))
            else:
                outputs.append((output.output_type, dict(output.data), dict(output.metadata)))
        seen.append((cell.cell_type, cell.get("execution_count"), outputs))
    return seen


def test_the_cells_leave_the_notebook_a_kernel_leaves():
    """Streams, displays (one cleared), a result with its count, a magic, a hidden result and
    an empty cell: is the executed notebook what a real kernel makes of it?"""
    forked, kernel = _on_forked_cells(_notebook(SHOWCASE)), _on_kernel(_notebook(SHOWCASE))
    assert _seen(forked) == _seen(kernel)
    cells = _seen(forked)
    assert cells[3] == ("code", 2, [("stdout", "one\ntwo\n"), ("stderr", "careful\n")])
    assert cells[4][2] == [
        (
            "display_data",
            {"text/html": "<b>bold</b>", "text/plain": "<IPython.core.display.HTML object>"},
            {"about": {"n": 1}},
        ),
        ("execute_result", {"text/plain": "42"}, {}),
    ]
    assert cells[6] == ("code", 5, [("execute_result", {"text/plain": "43"}, {})])
    assert [cells[8][2], cells[9][2]] == [[("stdout", "new\n")], [("stdout", "stays\n")]]
    assert forked.metadata.language_info.name == "python"
    assert [c.metadata.papermill.status for c in forked.cells] == ["completed"] * len(cells)


def test_a_failing_cell_stops_the_notebook_as_papermill_does():
    """A cell that raises: does papermill report its count, name and message, with the error
    in the kept notebook and the later cells not run?"""
    notebook = _notebook(["a = 1", "raise ValueError('no such business')", "b = 2"])
    keep: list = []
    with pytest.raises(PapermillExecutionError) as raised:
        _on_forked_cells(notebook, keep=keep)
    assert (raised.value.exec_count, raised.value.ename, raised.value.evalue) == (
        2,
        "ValueError",
        "no such business",
    )
    cells = _own_cells(keep[0])
    assert [c.metadata.papermill.status for c in cells] == [
        "completed",
        "completed",
        "failed",
        "pending",
    ]
    assert cells[2].outputs[0].traceback and cells[3].execution_count is None


def test_a_syntax_error_and_sys_exit_are_errors_of_their_cell():
    """Neither a cell that does not parse nor one that calls sys.exit may end the run
    silently: each is its cell's error."""
    for source, name in (
        ("def broken(:", "SyntaxError"),
        ("import sys; sys.exit(3)", "SystemExit"),
    ):
        with pytest.raises(PapermillExecutionError) as raised:
            _on_forked_cells(_notebook([source]))
        assert raised.value.ename == name


def test_a_hung_or_dying_process_keeps_the_cells_that_finished():
    """A cell that sleeps past the deadline, and one that kills its own process: is each
    stopped with its reason, the cell before it kept with its output, the cell itself marked
    failed?"""
    for source, error in (
        ("import time; time.sleep(600)", CellTimeoutError),
        ("import os; os._exit(9)", DeadKernelError),
    ):
        keep: list = []
        with pytest.raises(error):
            _on_forked_cells(_notebook(["print('before')", source, "print('after')"]), 3, keep)
        cells = _own_cells(keep[0])
        assert cells[1].outputs[0].text == "before\n"
        assert [c.metadata.papermill.status for c in cells[1:]] == [
            "completed",
            "failed",
            "pending",
        ]
        assert cells[3].outputs == []
