"""How many participants this machine can hold, and the pool and cap that plan for a room.

``eakit serve assessment --expect N`` measures the memory available and the cores at start and
turns them into three numbers: the kernels started ahead (the pool: everyone expected gets one
that is already past its imports), the most kernels at once (the cap: the room plus a few for
reloads), and the most the machine could hold. The figures per kernel come from
``benchmarks/voila_load.py`` (see the README, "Performance of the apps"); a plan beyond the
machine is refused before anyone connects rather than discovered when the room slows down.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from kit.errors import ServeError
from kit.kernels.forking import forks_kernels

DEFAULT_ROOM = 50  # planned for when --expect is not given (capped by the machine)
SERVER_MB = 400  # Voila itself, the kernel template and a full room's websockets
MEMORY_SHARE = 0.8  # of the memory available at start; the rest stays for the system
MEMINFO = Path("/proc/meminfo")


@dataclass(frozen=True)
class KernelCost:
    """What one participant's kernel costs, as measured with benchmarks/voila_load.py."""

    megabytes: int  # its own memory after submitting, about doubled as a margin
    cpu_seconds: float  # processor time from its start to the entry screen drawn


# Forked from a template that has imported the apps (kit.kernels): 30 MB own memory after
# submitting, 0.15 s; a kernel started as a new interpreter: 56 MB (plus the libraries it does
# not share), about 1 s. A long-lived fork slowly stops sharing pages, hence the margin.
KERNEL_COSTS = {
    True: KernelCost(megabytes=60, cpu_seconds=0.2),
    False: KernelCost(megabytes=120, cpu_seconds=1.0),
}


@dataclass(frozen=True)
class Machine:
    """What the server has to work with, measured when it starts."""

    cores: int
    available_mb: int
    forks: bool = True  # kernels forked from a template (POSIX) rather than started anew

    @property
    def kernel(self) -> KernelCost:
        return KERNEL_COSTS[self.forks]

    @property
    def holds(self) -> int:
        """Participants whose kernels fit in memory at once (after they have all submitted)."""
        budget = self.available_mb * MEMORY_SHARE - SERVER_MB
        return max(0, int(budget // self.kernel.megabytes))


@dataclass(frozen=True)
class RoomPlan:
    expect: int
    pool: int
    cap: int
    machine: Machine

    @property
    def fill_seconds(self) -> int:
        """About how long the pool takes to fill after start (kernels start side by side)."""
        return math.ceil(self.pool * self.machine.kernel.cpu_seconds / self.machine.cores)

    def describe(self) -> str:
        """What the facilitator reads at start."""
        machine = self.machine
        return (
            f"This machine ({machine.cores} core(s), {machine.available_mb / 1024:.1f} GB "
            f"of memory free) holds about {machine.holds} participants at once. Planned "
            f"for {self.expect}: {self.pool} kernels prepared ahead (ready in about "
            f"{self.fill_seconds} s), at most {self.cap} at once; anyone beyond that sees "
            "a page saying the room is full, which retries by itself."
        )


def _available_mb() -> int:
    """Memory available to new processes: Linux's MemAvailable, else free physical pages."""
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def measure_machine() -> Machine:
    return Machine(cores=_cores(), available_mb=_available_mb(), forks=forks_kernels())


def spare_kernels(expect: int) -> int:
    """Kernels beyond the room for reloads and second devices: a tenth, at least two."""
    return max(2, math.ceil(expect / 10))


def plan_room(expect: int | None, machine: Machine) -> RoomPlan:
    """The pool and cap for ``expect`` participants; refused if the machine cannot hold them."""
    if expect is not None and expect < 1:
        raise ServeError(f"--expect {expect}: give the number of participants, 1 or more")
    if machine.holds < 1:
        raise ServeError(
            f"this machine has only {machine.available_mb} MB of memory free, "
            "not enough for even one participant; close other programs first"
        )
    if expect is None:
        expect = min(DEFAULT_ROOM, machine.holds)
    if expect > machine.holds:
        raise ServeError(
            f"--expect {expect}: this machine can hold about {machine.holds} participants at "
            f"once ({machine.cores} core(s), {machine.available_mb / 1024:.1f} GB of memory "
            f"free, about {machine.kernel.megabytes} MB each). Run several 'eakit serve' "
            'processes on more machines behind a proxy (README, "Larger rooms"), or free '
            "memory and try again."
        )
    cap = min(expect + spare_kernels(expect), machine.holds)
    return RoomPlan(expect=expect, pool=expect, cap=cap, machine=machine)
