"""Voila's kernel manager, made to suit a room: idle clocks that start at hand-out, and a cap.

**Culling.** A preheated kernel runs the app and then waits in Voila's pool, doing nothing,
perhaps for an hour. Jupyter's culler measures idleness from a kernel's last message, so once such
a kernel is handed to a late participant it already looks long idle and can be stopped in the
second before their browser connects. This manager notes when a kernel leaves the pool and counts
its idle time from then. It looks again before it judges each kernel: a round pauses while it
stops a culled kernel, and a hand-out can fall in that pause. Voila keeps its pools in
``_pools`` (a list of tasks per notebook whose results name the kernel); without preheating
there are none and nothing changes.

**The cap.** ``room_cap`` kernels at most run at once (``eakit serve --expect`` sets it from the
machine's memory). A kernel asked for beyond it waits until another one stops; Voila's pool
refills therefore wait too, and the page handler (``kit.apps.room``) asks ``room_is_full``
before it takes a kernel, so a participant beyond the cap gets a page that says so instead of
a blank one.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer

from kit.errors import ServeError

WAIT_FOR_ROOM_SECONDS = 1.0


class PoolAwareKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, with a preheated kernel's idle clock started at hand-out and
    at most ``room_cap`` kernels at once."""

    room_cap = Integer(0, config=True, help="Most kernels at once; 0 for no limit.")
    room_pool = Integer(0, config=True, help="Kernels to keep prepared while the cap allows.")
    # Voila's trait, declared on the class it builds from this one when preheating
    kernel_pools_config: dict[str, dict[str, Any]]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._pooled_before: set[str] = set()
        self._reserved: set[str] = set()  # kernel ids let through the cap, not yet registered
        self._cleared: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()  # past the cap
        self._closing = False

    # culling

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

    # the cap

    def live_kernels(self) -> int:
        """Kernels running, starting, or let through the cap and about to start."""
        return len(set(self._kernels) | set(self._pending_kernels) | self._reserved)

    def room_is_full(self, notebook: str | None) -> bool:
        """Would a participant arriving now wait for someone else to leave?"""
        if not self.room_cap:
            return False
        pool = getattr(self, "_pools", {}).get(notebook) or []
        if pool and (pool[0].done() or pool[0] in self._cleared):
            return False  # a kernel is ready, or starting, for the next participant
        return self.live_kernels() >= self.room_cap

    def plan_refill(self, notebook: str | None) -> None:
        """Before a kernel is handed out: let Voila refill its pool only as far as the cap
        leaves room. Voila tops the pool up after every hand-out and prepares each new kernel's
        page before starting it; for a refill that would only wait at the cap, that preparing
        is a fifth of a second of this server's time taken from the people arriving."""
        pools = getattr(self, "_pools", None)
        if not (self.room_cap and self.room_pool and pools is not None):
            return
        pooled = {
            task.result()["kernel_id"]
            for task in pools.get(notebook) or []
            if task.done() and not task.cancelled() and task.exception() is None
        }
        in_use = len((set(self._kernels) | set(self._pending_kernels)) - pooled) + 1
        config = dict(self.kernel_pools_config.get("default", {}))
        config["pool_size"] = max(0, min(self.room_pool, self.room_cap - in_use))
        self.kernel_pools_config = {**self.kernel_pools_config, "default": config}

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel once the room has space for it (at once when there is no cap)."""
        if not self.room_cap:
            return await super().start_kernel(*args, **kwargs)
        while self.live_kernels() >= self.room_cap:
            if self._closing:
                raise ServeError("the server is stopping")
            await asyncio.sleep(WAIT_FOR_ROOM_SECONDS)
        kernel_id = kwargs.get("kernel_id") or str(uuid.uuid4())
        kwargs["kernel_id"] = kernel_id
        self._reserved.add(kernel_id)
        task = asyncio.current_task()
        if task is not None:
            self._cleared.add(task)
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._reserved.discard(kernel_id)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._closing = True  # pool refills still waiting for room give up
        await super().shutdown_all(*args, **kwargs)
