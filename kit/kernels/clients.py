"""Talk to a freshly started kernel and let it go, without jupyter_client's fixed waits.

jupyter_client's ``wait_for_ready`` ends by waiting 0.2 s for IOPub to fall silent, and a
manager's ``shutdown_kernel`` interrupts the kernel, then polls every 0.1 s for its end: for a
kernel that lives for one short notebook, about half a second of idle machine per kernel,
several times what the notebook itself costs. Here readiness is the kernel's own answer on both
channels, and the end is a kill followed by the provisioner's exit notice.

Managers made by ``kit.kernels.kernel_manager`` share one ZeroMQ context per process (one I/O
thread, not one per kernel) whose sockets retry a connection every few milliseconds, since a
forked kernel binds its ports a few hundredths of a second after the client has connected.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from queue import Empty
from typing import Any

import zmq
import zmq.asyncio
from jupyter_core.utils import run_sync

from kit.errors import KernelStartError

RECONNECT_MS = 5  # ZeroMQ's default is 100 ms: a tenth of a second lost per kernel
REPLY_WAIT = 1.0  # seconds for one kernel_info answer before asking again
IOPUB_WAIT = 0.5  # seconds for the status message that proves IOPub is connected
KILL_WAIT = 10.0  # seconds for a killed kernel to be gone

_context: zmq.asyncio.Context | None = None
_context_lock = threading.Lock()


def shared_context() -> zmq.asyncio.Context:
    """This process's ZeroMQ context for kernel clients (made on first use)."""
    global _context
    with _context_lock:
        if _context is None:
            _context = zmq.asyncio.Context()
            _context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
            _context.setsockopt(zmq.LINGER, 0)  # a killed kernel's unsent messages are moot
        return _context


async def _until_ready(km: Any, client: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = client.kernel_info()
        try:
            reply = await client.shell_channel.get_msg(timeout=REPLY_WAIT)
        except Empty:
            reply = None
        if reply is not None and reply["parent_header"].get("msg_id") == request:
            # The kernel announces busy, then idle, for every request; any of it arriving
            # shows IOPub is connected. A kernel reached before IOPub was gets asked again.
            try:
                await client.iopub_channel.get_msg(timeout=IOPUB_WAIT)
                return
            except Empty:
                pass
        if not await km.is_alive():
            raise KernelStartError("the kernel did not start (it exited before answering)")
    raise KernelStartError(f"the kernel did not start (no answer in {timeout:g} s)")


def ready_client(km: Any, timeout: float) -> Any:
    """A client of the started kernel ``km``, returned once the kernel answers on its shell
    channel and its IOPub messages arrive. No heartbeat (``km`` sees a dead kernel itself) and
    no stdin (nothing is typed)."""
    client = km.client(context=km.context)  # else each client makes (and ends) a context
    client.start_channels(stdin=False, hb=False)
    try:
        run_sync(_until_ready)(km, client, timeout)
    except BaseException:
        client.stop_channels()
        raise
    return client


def kill_kernel(km: Any) -> None:
    """Kill the kernel process from any thread and wait (a while) for it to be gone."""
    process = getattr(km.provisioner, "process", None)
    if process is not None and process.poll() is None:
        process.kill()
        # a killed process that is not gone by then is held by a debugger or tracer: it is
        # left to its parent (the template, or the init process), not waited for forever
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(KILL_WAIT)


def release_kernel(km: Any) -> None:
    """Kill the kernel and free what its manager holds (connection file, control socket)."""
    kill_kernel(km)
    run_sync(km.cleanup_resources)()
