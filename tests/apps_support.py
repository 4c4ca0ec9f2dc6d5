"""Start the real Voila apps through `eakit serve` and drive the assessment as a participant.

Shared by the browser tests and ``benchmarks/voila_load.py``. A server runs in its own process
group on a free port of 127.0.0.1 with its log in a file, and is stopped by process id.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EAKIT = Path(sys.executable).parent / "eakit"
CHROMIUM = "/usr/bin/chromium"
URL_LINE = re.compile(r"^\s+(http://\S+)$")
STARTUP_SECONDS = 120
PAGE_TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    """A running `eakit serve`: its link (with the token, if any) and its process."""

    app: str
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return self.url.split("?", 1)[0]

    def stop(self) -> None:
        """SIGTERM to the server's own group (Voila and its kernels), then SIGKILL if needed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def _lines(stream, sink: queue.Queue) -> None:
    for line in stream:
        sink.put(line)
    sink.put(None)


def start_app(app: str, workshop: str, database_url: str, cwd: Path, *extra: str) -> AppServer:
    """Run `eakit serve APP` and return once it prints the link it listens on."""
    port = free_port()
    log = cwd / f"{app}-{port}.log"
    process = subprocess.Popen(
        [
            str(EAKIT),
            "serve",
            app,
            "--workshop",
            workshop,
            "--database",
            database_url,
            "--port",
            str(port),
            *extra,
        ],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + STARTUP_SECONDS
    printed = []
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        printed.append(line)
        if match := URL_LINE.match(line.rstrip("\n")):
            return AppServer(app, match.group(1), process, log)
    AppServer(app, "", process, log).stop()
    raise RuntimeError(
        f"eakit serve {app} printed no link:\n{''.join(printed)}\n{log.read_text()[-3000:]}"
    )


# --- a participant in the browser ------------------------------------------------------------


def open_form(page, url: str) -> None:
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(".eakit-start")


def enter(page, workshop: str, business_id: str) -> None:
    page.fill(".eakit-workshop input", workshop)
    page.fill(".eakit-business-id input", business_id)
    page.click(".eakit-start")


def agree(page) -> None:
    page.wait_for_selector(".eakit-consent")
    page.check(".eakit-consent-agree input")
    page.click(".eakit-consent-continue")
    page.wait_for_selector(".eakit-questions")


def area(page, index: int):
    """One area of the questionnaire (its button and its panel)."""
    return page.locator(".eakit-areas .eakit-area").nth(index)


def open_area(page, index: int):
    """Open an area if it is closed; returns its panel once its questions are drawn."""
    toggle = area(page, index).locator(".eakit-area-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    panel = area(page, index).locator(".eakit-area-panel")
    panel.locator(".eakit-question").first.wait_for(state="visible")
    return panel


def answer(page, option_index: int, limit: int | None = None) -> int:
    """Open each area in turn and click the option at ``option_index`` in every question
    (stopping after ``limit`` answers); returns how many were clicked."""
    page.locator(".eakit-areas .eakit-area-toggle").first.wait_for()
    clicked = 0
    for index in range(page.locator(".eakit-areas .eakit-area").count()):
        questions = open_area(page, index).locator(".eakit-question")
        for number in range(questions.count()):
            if limit is not None and clicked >= limit:
                return clicked
            questions.nth(number).locator("input[type=radio]").nth(option_index).check()
            clicked += 1
    return clicked


def submit(page) -> None:
    page.click(".eakit-submit")
    page.wait_for_selector(".eakit-result-summary h2")


AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact,
                               nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    return [
        f"{v['impact']} {v['id']}: {', '.join(v['nodes'])}" for v in found if v["impact"] in SEVERE
    ]


def screenshot(page, path: Path) -> None:
    """The whole page, however long: stretch the window to the content, shoot, restore."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('*')].map(e => {
            const s = getComputedStyle(e).overflowY;
            return (s === 'auto' || s === 'scroll') ? e.scrollHeight + e.getBoundingClientRect().top
                                                    : 0; }))""")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def kernel_exists(server: AppServer, kernel_id: str) -> bool:
    """Does the app's server still list this kernel (its REST API: 404 once it is gone)?"""
    try:
        with urllib.request.urlopen(f"{server.base}api/kernels/{kernel_id}", timeout=30):
            return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def kernel_gone_within(server: AppServer, kernel_id: str, seconds: float) -> bool:
    """Is the kernel gone from the server within ``seconds`` (looked at twice a second)?"""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not kernel_exists(server, kernel_id):
            return True
        time.sleep(0.5)
    return False
