"""The owner's side of a kernel template: start it, ask it for kernels, watch them end.

``KernelTemplate`` starts ``python -m kit.kernels.template`` once and forks kernels from it
(``fork``); each comes back as a ``ForkedKernel``, which answers like the ``subprocess.Popen``
object jupyter_client's local provisioner keeps (``poll``, ``wait``, ``kill``...). One template
per set of preloaded modules is shared by a whole process (``template_for``).
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence

from kit.errors import KernelStartError

START_TIMEOUT = 120.0  # seconds for the template's imports on a busy machine
# pydevd (imported for ipykernel's debugger) would warn on stderr about frozen modules
TEMPLATE_ENV = {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def forks_kernels() -> bool:
    """Can kernels be forked here (POSIX); where not, callers start ordinary kernels."""
    return hasattr(os, "fork") and sys.platform != "win32"


class ForkedKernel:
    """A kernel process forked by a template, handled like ``subprocess.Popen``."""

    stdin = stdout = stderr = None  # the provisioner closes these if set

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._ended = threading.Event()

    def _exited(self, code: int) -> None:
        self.returncode = code
        self._ended.set()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            try:
                os.killpg(self.pid, signum)  # the kernel and whatever it started
            except OSError:
                os.kill(self.pid, signum)  # not yet its own group leader

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelTemplate:
    """A process that has imported ``preload`` (and ipykernel) and forks kernels on request.

    Kernels it forks die with it, and it dies with this process (at the end of its stdin).
    """

    def __init__(self, preload: Sequence[str] = ()) -> None:
        self.preload = tuple(preload)
        self._lock = threading.Lock()
        self._started: list[int] = []
        self._arrived = threading.Condition(self._lock)
        self._kernels: dict[int, ForkedKernel] = {}
        self._exits: dict[int, int] = {}  # kernels that ended before they were handed out
        self._forking = threading.Lock()  # one request at a time: replies come in order
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kit.kernels.template", *self.preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=os.getcwd(),
            env={**os.environ, **TEMPLATE_ENV},
        )
        self._ready = threading.Event()
        self._failure = ""
        threading.Thread(target=self._listen, daemon=True, name="eakit-template").start()

    def _listen(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            word, *rest = line.decode().split()
            if word == "ready":
                self._ready.set()
            elif word == "failed":
                self._failure = " ".join(rest)
            elif word == "started":
                with self._lock:
                    self._started.append(int(rest[0]))
                    self._arrived.notify_all()
            elif word == "exited":
                with self._lock:
                    kernel = self._kernels.pop(int(rest[0]), None)
                    if kernel is None:
                        self._exits[int(rest[0])] = int(rest[1])
                if kernel is not None:
                    kernel._exited(int(rest[1]))
        with self._lock:  # the template is gone, and its kernels with it (parent-death signal)
            ended, self._kernels = list(self._kernels.values()), {}
            self._arrived.notify_all()
        self._ready.set()
        for kernel in ended:
            kernel._exited(-signal.SIGKILL)

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait_ready(self) -> None:
        """Return once the template has done its imports; ``KernelStartError`` if it failed
        or died (``template_for`` then starts a new one)."""
        if not self._ready.wait(START_TIMEOUT) or not self.alive:
            raise KernelStartError(
                f"the kernel template did not start: "
                f"{self._failure or f'exit code {self._process.poll()}'}"
            )

    def fork(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        cwd: str,
        quiet: bool = False,
        role: str = "kernel",
    ) -> ForkedKernel:
        """A new child in ``cwd`` with exactly ``env``; ``quiet`` discards its output. By
        ``role``: a kernel running ``ipykernel_launcher`` with ``argv`` (``-f`` and the
        connection file), or ``"cells"``: a notebook's cells run in the child's own shell,
        ``argv`` being the sources file and the results file (``kit.kernels.shell``)."""
        self.wait_ready()
        request = (
            json.dumps(
                {"role": role, "argv": list(argv), "env": dict(env), "cwd": cwd, "quiet": quiet}
            )
            + "\n"
        )
        with self._forking, self._lock:
            try:
                assert self._process.stdin is not None
                self._process.stdin.write(request.encode())
                self._process.stdin.flush()
            except OSError as exc:
                raise KernelStartError(f"the kernel template is gone ({exc})") from None
            while not self._started and self.alive:
                self._arrived.wait(1.0)
            if not self._started:
                raise KernelStartError("the kernel template died while forking a kernel")
            kernel = ForkedKernel(self._started.pop(0))
            if kernel.pid in self._exits:
                kernel._exited(self._exits.pop(kernel.pid))
            else:
                self._kernels[kernel.pid] = kernel
        return kernel

    def close(self) -> None:
        """Stop the template; the kernels it forked die with it. One still importing (started
        ahead for a batch that then had nothing to do) is killed rather than waited for."""
        if not self._ready.is_set():
            self._process.kill()
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


_templates: dict[tuple[str, ...], KernelTemplate] = {}
_templates_lock = threading.Lock()


def template_for(preload: Sequence[str] = ()) -> KernelTemplate:
    """This process's template for ``preload``, started on first use (or again if it died)."""
    key = tuple(preload)
    with _templates_lock:
        template = _templates.get(key)
        if template is None or not template.alive:
            template = _templates[key] = KernelTemplate(key)
        return template


def close_templates() -> None:
    """Stop every template this process started (and so every kernel forked from them)."""
    with _templates_lock:
        templates = list(_templates.values())
        _templates.clear()
    for template in templates:
        template.close()


atexit.register(close_templates)
