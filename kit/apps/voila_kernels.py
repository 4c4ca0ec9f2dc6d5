"""Idle culling that also suits Voila's preheated kernels.

A preheated kernel runs the app and then waits in Voila's pool, doing nothing, perhaps for an
hour. Jupyter's culler measures idleness from a kernel's last message, so once such a kernel is
handed to a late participant it already looks long idle and can be stopped in the second before
their browser connects. This manager notes when a kernel leaves the pool and counts its idle
time from then. It looks again before it judges each kernel: a round pauses while it stops a
culled kernel, and a hand-out can fall in that pause. Voila keeps its pools in ``_pools`` (a
list of tasks per notebook whose results name the kernel); without preheating there are none
and nothing changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class PoolAwareKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, with a preheated kernel's idle clock started at hand-out."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._pooled_before: set[str] = set()

    def _pooled_now(self) -> set[str]:
        ready = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ready.add(task.result()["kernel_id"])
        return ready

    def _note_hand_outs(self) -> None:
        """Start the idle clock of every kernel that left the pool since the last look."""
        pooled = self._pooled_now()
        for kernel_id in self._pooled_before - pooled:
            kernel = self._kernels.get(kernel_id)
            if kernel is not None:
                kernel.last_activity = datetime.now(UTC)
        self._pooled_before = pooled

    async def cull_kernels(self) -> None:
        self._note_hand_outs()
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        # A round waits while it stops each culled kernel, and a participant may be handed a
        # pooled kernel meanwhile: look again before judging each kernel, not only per round.
        self._note_hand_outs()
        await super().cull_kernel_if_idle(kernel_id)
