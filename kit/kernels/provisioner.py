"""A jupyter_client kernel provisioner that forks kernels from a template instead of starting
a new interpreter for each.

It is jupyter_client's ``LocalProvisioner`` (connection files, ports, signals, shutdown) with
one step changed: ``launch_kernel`` asks this process's ``KernelTemplate`` for a fork when the
command is this interpreter's ``-m ipykernel_launcher``, and launches as usual otherwise (or
where there is no fork). Registered as ``eakit-forking-provisioner`` in the
``jupyter_client.kernel_provisioners`` entry point group, so a kernel spec can name it::

    "metadata": {"kernel_provisioner": {"provisioner_name": "eakit-forking-provisioner",
                                        "config": {"preload": ["my.module"]}}}
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Unicode

from kit.kernels.forking import forks_kernels, template_for

LAUNCHER = ["-m", "ipykernel_launcher"]


class ForkingProvisioner(LocalProvisioner):
    """Start each kernel as a fork of a template that has imported ``preload`` already."""

    preload = List(Unicode(), help="modules the template imports before forking").tag(config=True)

    def _forkable(self, cmd: list[str]) -> bool:
        return forks_kernels() and cmd[:1] == [sys.executable] and cmd[1:3] == LAUNCHER

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if not self._forkable(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        quiet = kwargs.get("stdout") is subprocess.DEVNULL
        forked = template_for(self.preload).fork(
            cmd[3:], kwargs.get("env") or dict(os.environ), cwd, quiet
        )
        # jupyter_client types ``process`` as Popen; a forked kernel offers the same methods.
        self.process = forked  # type: ignore[assignment]
        self.pid = self.pgid = forked.pid
        self.cwd = pathlib.Path(cwd)
        return self.connection_info
