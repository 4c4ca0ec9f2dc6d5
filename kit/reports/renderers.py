"""Turn a finished report page into the bytes of a file: HTML as it is, PDF through Chromium.

Renderers sit in a registry, so ``--format html,pdf`` picks them by name. PDF goes through a
real browser engine (Debian's ``chromium`` driven by Playwright; the kit never downloads one)
with JavaScript switched off and no network. One browser per process is started on first use
and runs on its own thread, because Playwright objects belong to the thread that made them;
``close_renderers()`` shuts it down.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import ReportError

CHROMIUM = Path(os.environ.get("EAKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAPER_SIZES = {"a4": "A4", "letter": "Letter"}
# Every PDF page names what it is (the page's title: the business, or the workshop) and its
# number; Chromium fills in pageNumber and totalPages. The title is escaped again here.
PAGE_MARGINS = {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
FOOTER = (
    '<div style="width: 100%; margin: 0 14mm; font: 8pt DejaVu Sans, Arial, sans-serif; '
    'color: #444; display: flex; justify-content: space-between; gap: 2em">'
    '<span>{title}</span><span style="white-space: nowrap">page '
    '<span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)


def _running_title(page_html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page_html, re.DOTALL)
    return html.escape(html.unescape(found.group(1)) if found else "")


@dataclass(frozen=True)
class Renderer:
    suffix: str
    render: Callable[[str, str], bytes]  # (page HTML, paper size) -> file content


class _Printer:
    """A headless Chromium on a thread of its own, printing pages to PDF one at a time."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eakit-pdf")
        self._playwright: Any = None
        self._browser: Any = None

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )

    def _print(self, page_html: str, paper: str) -> bytes:
        if self._browser is None:
            self._start()
        context = self._browser.new_context(java_script_enabled=False, offline=True)
        try:
            tab = context.new_page()
            tab.set_content(page_html, wait_until="load")
            return tab.pdf(
                format=PAPER_SIZES[paper],
                print_background=True,
                margin=PAGE_MARGINS,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(title=_running_title(page_html)),
            )
        finally:
            context.close()

    def print(self, page_html: str, paper: str) -> bytes:
        return self._thread.submit(self._print, page_html, paper).result()

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
            self._browser = self._playwright = None

    def close(self) -> None:
        self._thread.submit(self._stop).result()
        self._thread.shutdown()


_printer: _Printer | None = None
_printer_lock = threading.Lock()


def _pdf(page_html: str, paper: str) -> bytes:
    global _printer
    with _printer_lock:
        if _printer is None:
            _printer = _Printer()
        printer = _printer
    return printer.print(page_html, paper)


def _html(page_html: str, paper: str) -> bytes:
    return page_html.encode("utf-8")


RENDERERS: dict[str, Renderer] = {
    "html": Renderer(".html", _html),
    "pdf": Renderer(".pdf", _pdf),
}


def check_formats(names: list[str]) -> tuple[str, ...]:
    """The requested formats in order; unknown ones, or PDF without Chromium, are refused
    before any work starts."""
    unknown = [name for name in names if name not in RENDERERS]
    if unknown or not names:
        raise ReportError(
            f"unknown report format(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(RENDERERS)}"
        )
    if "pdf" in names and importlib.util.find_spec("playwright") is None:
        raise ReportError("PDF needs Playwright: pip install 'ethical-automation-kit[pdf]'")
    if "pdf" in names and not CHROMIUM.exists():
        raise ReportError(
            f"PDF needs Chromium at {CHROMIUM} (Debian: apt install chromium; "
            "or set EAKIT_CHROMIUM to its path)"
        )
    return tuple(dict.fromkeys(names))


def render_page(page_html: str, formats: tuple[str, ...], paper: str) -> dict[str, bytes]:
    """The page in every requested format."""
    return {name: RENDERERS[name].render(page_html, paper) for name in formats}


def close_renderers() -> None:
    """Shut down this process's browser, if one was started."""
    global _printer
    with _printer_lock:
        printer, _printer = _printer, None
    if printer is not None:
        printer.close()
