"""Execute a notebook as the tests do: a fresh python3 kernel, started in the notebook's folder.

nbclient can stand in for a browser's ipywidgets ``Output`` widget: every output the kernel
routes into one is sent back to the kernel as a comm message on the shell channel, while
nbclient is waiting on that same channel for the cell's reply. The send goes through a blocking
shadow of nbclient's asyncio socket, and can use up the socket's wake-up for a reply that
arrives at that moment: the reply then sits unread in the socket (pyzmq reports it readable)
while nbclient waits for it until the cell timeout, and the kernel sits idle. On a loaded
machine this hung a lesson test about once a hundred notebooks. The tests only need the cells
to run, not the widgets' recorded contents, so that stand-in is switched off.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_notebook(path: Path, timeout: int) -> nbformat.NotebookNode:
    """Run every cell (raising CellExecutionError, naming the cell) and return the notebook."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.widget_registry = {}  # no Output-widget stand-in: no sends while a reply is due
    client.execute()
    return notebook
