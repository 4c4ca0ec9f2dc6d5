"""The template process: imports what kernels need once, then forks one child per request.

Run as ``python -m kit.kernels.template MODULE...`` by ``KernelTemplate`` (never by hand). It
imports ipykernel and the named modules, then reads one JSON request per line on stdin and
answers on stdout (``started <pid>``, later ``exited <pid> <code>``). Each request becomes a
child that starts a new session, arms a parent-death signal (``kit.kernels.lifeline``), takes
the request's environment and folder, and becomes what the request's ``role`` names (``ROLES``)
on the request's arguments: a Jupyter kernel (``IPKernelApp``), or a notebook's cells run in the
child's own IPython shell (``kit.kernels.shell``). Either way it starts from a fresh
interpreter state copied from the template, which no other child has touched.

The template stays single-threaded (forking a process with threads is unsafe), opens nothing
it would hand on (no database connection, no JavaScript engine) and ends at the end of stdin:
when its owner dies, so does it, and with it every kernel it forked.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from kit.kernels.lifeline import die_with_parent, libc
from kit.slow_imports import skip_unused_slow_imports

REPLY_FD = 1  # stdout carries the replies; kernels get their own stdout
# What IPKernelApp imports as it starts (the debugger alone pulls in pydevd); imported here
# once, so that a forked kernel is ready in a few hundredths of a second instead of tenths.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "IPython.core.history",
    "IPython.core.completer",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "kit.kernels.shell",
    "tornado.platform.asyncio",
    "sqlite3",
    "pdb",
    "faulthandler",
    "psutil",
)


def _reply(text: str) -> None:
    os.write(REPLY_FD, f"{text}\n".encode())  # one small write: whole, even from a handler


def _reap(_signum: int, _frame: Any) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _reply(f"exited {pid} {os.waitstatus_to_exitcode(status)}")


def _detach(request: dict[str, Any], template: int) -> None:
    """In the child: cut loose from the template's pipes and signals, take the request's
    environment and folder."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # its own process group, as jupyter_client gives every kernel
    die_with_parent(template, watch=False)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null if request.get("quiet") else 2, 1)
    if request.get("quiet"):
        os.dup2(null, 2)
    os.close(null)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    if "numpy" in sys.modules:  # numpy's global generator was seeded once, in the template
        sys.modules["numpy"].random.seed()
    gc.unfreeze()


def _run_kernel(argv: list[str]) -> None:
    """A Jupyter kernel on ``argv`` (``-f`` and its connection file)."""
    from ipykernel.kernelapp import IPKernelApp

    from kit.kernels.shell import discard

    discard()  # a cell shell the template prepared (kit.kernels.shell.prepare)
    sys.argv = ["ipykernel_launcher", *argv]
    IPKernelApp.launch_instance(argv)


def _run_cells(argv: list[str]) -> None:
    """A notebook's cells, run in this process's own shell (``kit.kernels.shell``)."""
    from kit.kernels.shell import run_cells

    sources, results = argv
    run_cells(sources, results)


# What a forked child becomes, by the request's ``role``
ROLES: dict[str, Callable[[list[str]], None]] = {"kernel": _run_kernel, "cells": _run_cells}


def _import(preload: list[str]) -> None:
    for module in KERNEL_MODULES:
        with contextlib.suppress(ImportError):  # optional ones (psutil); ipykernel below
            importlib.import_module(module)
    for module in ("ipykernel.kernelapp", *preload):
        importlib.import_module(module)
    libc()  # found once here, not by every child as it arms its parent-death signal
    # Every cell goes through IPython's input transformer, whose tokenizer compiles its
    # regular expressions on first use (0.02 CPU seconds): compiled here, once, instead.
    from IPython.core.inputtransformer2 import TransformerManager

    TransformerManager().transform_cell("x = 1\n")


def serve(preload: list[str]) -> None:
    # Ctrl-C in the terminal reaches this process too; the batch decides what stops (kernels,
    # in sessions of their own, never see it), and this process ends with its stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    skip_unused_slow_imports()
    try:
        _import(preload)
    except Exception as exc:
        _reply(f"failed {type(exc).__name__}: {exc}".replace("\n", " "))
        raise SystemExit(1) from None
    gc.freeze()  # objects made so far stay untouched by the collector: pages stay shared
    template = os.getpid()
    signal.signal(signal.SIGCHLD, _reap)
    _reply("ready")
    for line in sys.stdin.buffer:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _detach(request, template)
                ROLES[request.get("role", "kernel")](request["argv"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                code = 1
            os._exit(code)
        _reply(f"started {pid}")


if __name__ == "__main__":
    serve(sys.argv[1:])
