"""How the assessment app holds up when a room arrives at once: N participants through real Voila.

Starts `eakit serve assessment` on a free port with a fresh SQLite database and its default
settings (no tuning flags unless given), waits until the kernels it prepares ahead are ready, then
runs N sessions arriving within ``--spread`` seconds. Each session does what a participant's
browser does on the wire: loads the page, opens the kernel websocket, asks for the widget states
(the moment a browser could draw the form), types the workshop and business codes, agrees to the
notice, opens each area in turn (its questions arrive as it opens) and clicks an answer for every
question (each click autosaves a draft), and submits, waiting for the result to come back.

    .venv/bin/python benchmarks/voila_load.py [--sessions 20] [--think 2] [--expect N]

Reports p50/p95/max of the time to an interactive form and to an acknowledged submission, the
memory of each kernel (USS with psutil, else RSS from /proc) at the form and after submitting,
the processor time each kernel used from its start to the form, the rows stored (every
participant once, nobody twice), and the load average before and after (the machine may be
shared). The browser's own drawing time is not included; the browser tests show it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.apps.serve import serve_options  # noqa: E402
from kit.store.database import Store  # noqa: E402
from tests.apps_support import start_app  # noqa: E402

WORKSHOP = "load-test"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
TIMEOUT = 600


class Gate:
    """Holds every session at the form until all have one, then notes the kernels' memory and
    processor time: the moment a room has just opened the link."""

    def __init__(self, count: int, measure) -> None:
        self.waiting = count
        self.measure = measure
        self.memory: list[tuple[float, float | None]] = []
        self.cpu: list[float] = []
        self.open = asyncio.Event()

    async def arrive(self, wait: bool = True) -> None:
        self.waiting -= 1
        if self.waiting == 0:  # measured aside: the websockets must keep answering pings
            self.memory, self.cpu = await asyncio.to_thread(self.measure)
            self.open.set()
        if wait:
            await self.open.wait()


@dataclass
class Session:
    number: int
    form_seconds: float | None = None
    ack_seconds: float | None = None
    error: str = ""
    arrived: bool = False
    kernel_id: str = ""


class KernelChannel:
    """A kernel websocket speaking the JSON message format the widgets manager uses."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.session = uuid.uuid4().hex
        self.inbox: list[dict] = []

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.connection.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "username": "load",
                        "session": self.session,
                        "date": "",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": metadata or {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        return msg_id

    async def receive(self) -> dict:
        while True:
            raw = await asyncio.wait_for(self.connection.read_message(), TIMEOUT)
            if raw is None:
                raise ConnectionError("kernel websocket closed")
            if isinstance(raw, str):
                return json.loads(raw)

    async def until(self, done) -> dict:
        """Read messages until ``done(message)`` is true; return that message."""
        while True:
            message = await self.receive()
            self.inbox.append(message)
            if done(message):
                return message

    async def comm(self, comm_id: str, data: dict) -> list[dict]:
        """Send one widget message and wait until the kernel is idle after handling it."""
        msg_id = self.send("comm_msg", {"comm_id": comm_id, "data": data})
        start = len(self.inbox)
        await self.until(
            lambda m: (
                m["header"]["msg_type"] == "status"
                and m["parent_header"].get("msg_id") == msg_id
                and m["content"]["execution_state"] == "idle"
            )
        )
        return self.inbox[start:]


def _by_class(states: dict[str, dict]) -> dict[str, str]:
    """Model id of each widget, by its ``eakit-*`` CSS classes."""
    found = {}
    for model_id, entry in states.items():
        for css in entry["state"].get("_dom_classes", []):
            found.setdefault(css, model_id)
    return found


def _opened_states(messages: list[dict]) -> dict[str, dict]:
    """The widgets the kernel created while handling a message (a stage being built), with the
    updates that followed their creation (CSS classes are added just after)."""
    states: dict[str, dict] = {}
    for message in messages:
        kind, content = message["header"]["msg_type"], message["content"]
        if kind == "comm_open" and "state" in content.get("data", {}):
            states[content["comm_id"]] = {"state": dict(content["data"]["state"])}
        elif kind == "comm_msg" and content["comm_id"] in states:
            states[content["comm_id"]]["state"].update(content["data"].get("state", {}))
    return states


def _areas(messages: list[dict]) -> list[tuple[str, list[str]]]:
    """Each area widget the kernel opened (model id, question ids), in questionnaire order:
    the questions arrive with the consent's Continue, built only then."""
    return [
        (m["content"]["comm_id"], [q["id"] for q in m["content"]["data"]["state"]["questions"]])
        for m in messages
        if m["header"]["msg_type"] == "comm_open"
        and "questions" in m["content"]["data"].get("state", {})
    ]


def _shows_result(messages: list[dict]) -> bool:
    return any(
        m["header"]["msg_type"] == "comm_msg"
        and "Your result" in str(m["content"]["data"].get("state", {}).get("value", ""))
        for m in messages
    )


async def participant(session: Session, base: str, think: float, gate: Gate, delay: float) -> None:
    """One participant from opening the link to seeing the result."""
    await asyncio.sleep(delay)
    start = time.perf_counter()
    page = await AsyncHTTPClient().fetch(base, request_timeout=TIMEOUT)
    kernel_id = session.kernel_id = KERNEL_ID.search(page.body.decode()).group(1)
    ws_url = base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
    channel = KernelChannel(await websocket_connect(ws_url, max_message_size=64 * 2**20))
    control = uuid.uuid4().hex
    channel.send(
        "comm_open",
        {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    channel.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    reply = await channel.until(
        lambda m: (
            m["header"]["msg_type"] == "comm_msg"
            and m["content"]["data"].get("method") == "update_states"
        )
    )
    states = reply["content"]["data"]["states"]
    session.form_seconds = time.perf_counter() - start
    session.arrived = True
    await gate.arrive()

    ids = _by_class(states)
    started = await channel.comm(
        ids["eakit-entry-fields"],
        {
            "method": "custom",
            "content": {
                "event": "start",
                "values": {"workshop": WORKSHOP, "business_id": f"load-{session.number:03d}"},
            },
        },
    )
    ids |= _by_class(_opened_states(started))  # the notice is built when it is first shown
    await channel.comm(
        ids["eakit-consent-agree"],
        {"method": "update", "state": {"value": True}, "buffer_paths": []},
    )
    opened = await channel.comm(
        ids["eakit-consent-continue"], {"method": "custom", "content": {"event": "click"}}
    )
    pace = random.Random(session.number).uniform(0.5, 1.5) * think  # people read at own speed
    for model_id, question_ids in _areas(opened):
        chosen: dict[str, str] = {}
        for question_id in question_ids:  # the browser reports the area's answers so far
            await asyncio.sleep(pace)
            chosen[question_id] = "b"
            await channel.comm(
                model_id,
                {"method": "custom", "content": {"event": "answers", "values": dict(chosen)}},
            )
    clicked = time.perf_counter()
    shown = await channel.comm(
        ids["eakit-submit"], {"method": "custom", "content": {"event": "click"}}
    )
    if not _shows_result(shown):
        raise RuntimeError("the submission was not acknowledged with a result")
    session.ack_seconds = time.perf_counter() - clicked
    channel.connection.close()


async def run_sessions(
    base: str, sessions: list[Session], think: float, gate: Gate, spread: float
) -> None:
    arrivals = random.Random(len(sessions))

    async def guarded(session: Session) -> None:
        try:
            await participant(session, base, think, gate, arrivals.uniform(0, spread))
        except Exception as exc:  # report every failure, keep the others running
            session.error = f"{type(exc).__name__}: {exc}"
            if not session.arrived:
                await gate.arrive(wait=False)

    AsyncHTTPClient.configure(None, max_clients=len(sessions))
    await asyncio.gather(*(guarded(s) for s in sessions))


def kernel_memory(server_pid: int, kernels: set[str]) -> list[tuple[float, float | None]]:
    """(RSS, USS) in MB of the participants' kernels; USS needs psutil."""
    return kernel_figures(server_pid, kernels)[0]


def kernel_figures(
    server_pid: int, kernels: set[str]
) -> tuple[list[tuple[float, float | None]], list[float]]:
    """Memory (RSS, USS in MB) and processor seconds so far of the participants' kernels, told
    apart from those still waiting by the id in their connection file (without psutil: the RSS
    of every kernel, and no processor time)."""
    try:
        import psutil
    except ImportError:
        return _proc_kernel_memory(server_pid), []
    sizes, cpu = [], []
    sockets: dict[int, str] = {}  # a forked kernel is named only by its sockets' paths
    for connection in psutil.net_connections(kind="unix"):
        if connection.pid:
            sockets[connection.pid] = sockets.get(connection.pid, "") + f" {connection.laddr}"
    for child in psutil.Process(server_pid).children(recursive=True):
        try:
            marks = " ".join(child.cmdline()) + sockets.get(child.pid, "")
            if not any(kernel in marks for kernel in kernels):
                continue
            info = child.memory_full_info()
            times = child.cpu_times()
            sizes.append((info.rss / 2**20, info.uss / 2**20))
            cpu.append(times.user + times.system)
        except psutil.NoSuchProcess:
            continue
    return sizes, cpu


def _proc_kernel_memory(server_pid: int) -> list[tuple[float, float | None]]:
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parent = int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))
        if parent == server_pid and "ipykernel" in cmdline:
            rss_kb = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
            sizes.append((rss_kb / 1024, None))
    return sizes


def wait_for_pool(server_pid: int, log: Path, size: int) -> None:
    """Wait until the preheated pool is full and its kernels have run the notebook (Voila logs
    "filled" once the kernels have started, before they are ready): the room arrives later."""
    deadline = time.monotonic() + TIMEOUT
    while "is filled with" not in log.read_text():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel pool did not fill within {TIMEOUT} s")
        time.sleep(1)
    try:
        import psutil
    except ImportError:
        time.sleep(5 * size)  # about what one kernel needs on one core, with room to spare
        return
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        tree = [psutil.Process(server_pid), *psutil.Process(server_pid).children(recursive=True)]
        busy = sum(p.cpu_times().user + p.cpu_times().system for p in tree)
        time.sleep(1)
        busy = sum(p.cpu_times().user + p.cpu_times().system for p in tree) - busy
        quiet = quiet + 1 if busy < 0.1 else 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary_line(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<32} no data"
    return (
        f"{name:<32} p50 {percentile(values, 0.5):6.2f} s   p95 {percentile(values, 0.95):6.2f} s"
        f"   max {max(values):6.2f} s"
    )


def memory_line(name: str, sizes: list[tuple[float, float | None]]) -> str:
    if not sizes:
        return f"{name:<32} no kernels found"
    rss = statistics.median(r for r, _ in sizes)
    uss = [u for _, u in sizes if u is not None]
    unique = f", unique {statistics.median(uss):.0f} MB" if uss else ""
    return f"{name:<32} {len(sizes)} kernels, median RSS {rss:.0f} MB{unique}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds between two answers (each participant's pace is "
        "drawn from 0.5x to 1.5x of it)",
    )
    parser.add_argument(
        "--spread",
        type=float,
        default=1.0,
        help="participants arrive at random within this many seconds",
    )
    parser.add_argument(
        "--expect",
        type=int,
        default=None,
        help="passed to eakit serve --expect (default: not given)",
    )
    parser.add_argument(
        "--preheat",
        type=int,
        default=None,
        help="passed to eakit serve --preheat (default: not given)",
    )
    args = parser.parse_args()
    flags = [
        item
        for name in ("expect", "preheat")
        if getattr(args, name) is not None
        for item in (f"--{name}", str(getattr(args, name)))
    ]
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="eakit-load-") as folder:
        workdir = Path(folder)
        url = f"sqlite:///{workdir / 'load.sqlite'}"
        server = start_app("assessment", WORKSHOP, url, workdir, *flags)
        try:
            pool = serve_options(
                "assessment", WORKSHOP, database=url, expect=args.expect, preheat=args.preheat
            ).preheat  # what eakit serve planned
            if pool:
                wait_for_pool(server.process.pid, server.log, pool)
            sessions = [Session(number) for number in range(args.sessions)]
            gate = Gate(
                args.sessions,
                lambda: kernel_figures(
                    server.process.pid, {s.kernel_id for s in sessions if s.kernel_id}
                ),
            )
            began = time.perf_counter()
            asyncio.run(run_sessions(server.base, sessions, args.think, gate, args.spread))
            wall = time.perf_counter() - began
            memory = kernel_memory(server.process.pid, {s.kernel_id for s in sessions})
        finally:
            server.stop()
        with Store.open(url) as store:
            latest = store.latest_submissions(WORKSHOP)
            total = store.submission_count()

    failed = [s for s in sessions if s.error]
    print(
        f"{args.sessions} participants arriving within {args.spread} s, eakit serve "
        f"{' '.join(flags) or '(defaults)'}, think {args.think} s, {os.cpu_count()} CPU(s); "
        f"all done in {wall:.1f} s"
    )
    print(
        f"{'load average before / after':<32} "
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        summary_line(
            "time to interactive form",
            [s.form_seconds for s in sessions if s.form_seconds is not None],
        )
    )
    print(
        summary_line(
            "time to acknowledged submission",
            [s.ack_seconds for s in sessions if s.ack_seconds is not None],
        )
    )
    print(memory_line("kernel memory at the form", gate.memory))
    print(memory_line("kernel memory after submitting", memory))
    if gate.cpu:
        print(
            f"{'kernel CPU, start to form':<32} median {statistics.median(gate.cpu):.2f} s, "
            f"max {max(gate.cpu):.2f} s ({len(gate.cpu)} kernels)"
        )
    businesses = {record.business_id for record in latest}
    print(
        f"{'rows stored':<32} {total} submission(s) from {len(businesses)} business(es); "
        f"expected {args.sessions} from {args.sessions}"
    )
    for session in failed:
        print(f"  session {session.number} failed: {session.error}")
    ok = not failed and total == len(businesses) == args.sessions
    print("OK" if ok else "PROBLEMS (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
