"""Fresh Jupyter kernels without a cold start, and child processes that die with their parent.

A kernel normally starts a new Python and imports everything again: a second or more of CPU
before it runs a line. Here a *template* process imports ipykernel and the modules you name
once; each kernel is a fork of it, so it starts with those imports done and with a state no
other kernel has touched (a global set in one kernel is absent from the next).

    from kit.kernels import kernel_manager, close_templates

    km = kernel_manager(preload=("kit.batch.warmup",))  # jupyter_client's AsyncKernelManager
    await km.start_kernel(env=..., cwd=...)              # a fork of the template: no cold start
    kc = ready_client(km, timeout=60)                    # answering on every channel
    ...                                                  # use it as any kernel (nbclient...)
    kc.stop_channels(); release_kernel(km)               # killed, no polling, no interrupt
    close_templates()                                    # at the end; also done at exit

- ``kernel_manager`` gives an ``AsyncKernelManager`` whose provisioner
  (``ForkingProvisioner``, also registered as ``eakit-forking-provisioner`` for kernel specs)
  forks from this process's template for ``preload``, started on first use. Where there is no
  fork (Windows) it is an ordinary manager: same kernels, started cold.
- Preloaded modules must be safe to fork: import code and read files, but open no database
  connection, start no thread and no JavaScript engine at import.
- Kernels die with their template and the template with its owner, even on ``kill -9``
  (``kit.kernels.lifeline``, and a template that ends when its owner's pipe closes). One
  template serves every thread of its process: a batch's worker threads share one.
- ``ready_client`` and ``release_kernel`` (``kit.kernels.clients``) replace jupyter_client's
  ``wait_for_ready`` and ``shutdown_kernel`` for short-lived kernels: both of those sit idle
  for tenths of a second by design, which is more than a short notebook costs.

Only the kit's base layer is imported here, so any layer above may use this package.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from kit.kernels.clients import kill_kernel, ready_client, release_kernel
from kit.kernels.forking import (
    ForkedKernel,
    KernelTemplate,
    close_templates,
    forks_kernels,
    template_for,
)

__all__ = [
    "ForkedKernel",
    "KernelTemplate",
    "close_templates",
    "forks_kernels",
    "kernel_manager",
    "kill_kernel",
    "ready_client",
    "release_kernel",
    "template_for",
]


def kernel_manager(
    kernel_name: str = "python3", preload: Sequence[str] = (), **settings: Any
) -> Any:
    """An ``AsyncKernelManager`` for ``kernel_name`` that forks its kernel from the template
    for ``preload`` (or starts it as usual where fork is missing)."""
    from jupyter_client import AsyncKernelManager

    from kit.kernels.clients import shared_context

    # one ZeroMQ context for every kernel of this process; ports picked afresh, not cached
    settings = {"context": shared_context(), "cache_ports": False, **settings}
    km = AsyncKernelManager(kernel_name=kernel_name, **settings)
    if forks_kernels():
        from kit.kernels.provisioner import ForkingProvisioner

        km.kernel_id = str(uuid.uuid4())
        km.provisioner = ForkingProvisioner(
            kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km, preload=list(preload)
        )
    return km
