"""Fresh Jupyter kernels without a cold start, and child processes that die with their parent.

A kernel normally starts a new Python and imports everything again: a second or more of CPU
before it runs a line. Here a *template* process imports ipykernel and the modules you name
once; each kernel is a fork of it, so it starts with those imports done and with a state no
other kernel has touched (a global set in one kernel is absent from the next).

    from kit.kernels import kernel_manager, close_templates

    km = kernel_manager(preload=("kit.batch.warmup",))  # jupyter_client's AsyncKernelManager
    await km.start_kernel(env=..., cwd=...)              # a fork of the template: no cold start
    ...                                                  # use it as any kernel (nbclient...)
    await km.shutdown_kernel(now=True)
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

Only the kit's base layer is imported here, so any layer above may use this package.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

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
    "template_for",
]


def kernel_manager(
    kernel_name: str = "python3", preload: Sequence[str] = (), **settings: Any
) -> Any:
    """An ``AsyncKernelManager`` for ``kernel_name`` that forks its kernel from the template
    for ``preload`` (or starts it as usual where fork is missing)."""
    from jupyter_client import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=kernel_name, **settings)
    if forks_kernels():
        from kit.kernels.provisioner import ForkingProvisioner

        km.kernel_id = str(uuid.uuid4())
        km.provisioner = ForkingProvisioner(
            kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km, preload=list(preload)
        )
    return km
