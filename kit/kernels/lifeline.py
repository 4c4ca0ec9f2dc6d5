"""Tie a process's life to its parent's, so that a ``kill -9`` of a batch leaves nothing behind.

On Linux the kernel delivers SIGKILL to a process the moment its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread notices that the parent has changed
and exits. Either way nothing depends on the parent cleaning up after itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 0.5  # seconds between looks at the parent where there is no prctl


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library on Linux, else None. Finding it runs ``ldconfig`` (a millisecond or
    two): a process that will fork children which need it (a kernel template) calls this
    first, so that they find it loaded."""
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _parent_death_signal() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where that is missing."""
    library = libc()
    return library is not None and library.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def die_with_parent(parent: int | None = None, watch: bool = True) -> None:
    """End this process when ``parent`` (this process's parent at the time of the call) dies.

    Linux's signal fires when the parent *thread* that started this process ends, so a process
    started from a short-lived thread should also ``watch``; single-threaded processes that
    will fork (a kernel template) pass ``watch=False`` to stay single-threaded.
    """
    parent = os.getppid() if parent is None else parent
    armed = _parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if watch or not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="eakit-lifeline").start()
