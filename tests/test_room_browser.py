"""A room arriving at the assessment app in a real browser: a wave of participants together,
kernels freed when tabs close or reload, the page shown when the room is full, and the page that
gives up waiting for a lost form and loads itself again.

Each participant is a separate browser context (its own cookies, as separate phones have), in
Debian's headless Chromium driven by Playwright, against `eakit serve assessment --expect N`.
"""

from __future__ import annotations

import contextlib
import json
import time

import pytest

from tests.apps_support import (
    PAGE_TIMEOUT_MS,
    enter,
    kernel_exists,
    kernel_gone_within,
    start_app,
)

pytestmark = pytest.mark.slow

WORKSHOP = "room-test"
PHONE = {"width": 390, "height": 844}
WAVE = 6
# Six browsers drawing Voila at once on two shared cores: a page may need a watchdog retry
# (20 s, then 40 s), so the wave is given three minutes.
WAVE_TIMEOUT_MS = 180_000
RELEASE_SECONDS = 15  # far below the cull time (the default, 20 minutes): only the page frees it


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A server planned for the wave (one kernel prepared per participant)."""
    workdir = tmp_path_factory.mktemp("room")
    server = start_app(
        "assessment",
        WORKSHOP,
        f"sqlite:///{workdir / 'room.sqlite'}",
        workdir,
        "--expect",
        str(WAVE),
    )
    yield server
    server.stop()


@pytest.fixture
def participants(browser):
    """Open browser contexts, one per participant; all closed at the end."""
    contexts, pages = [], []

    def new_page():
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        pages.append(page)
        return page

    yield new_page
    from playwright.sync_api import Error

    for page in pages:  # tabs closed as a browser closes them, so their kernels are freed
        with contextlib.suppress(Error):  # a test may have closed it already
            page.close(run_before_unload=True)
    time.sleep(1)  # the pages' last requests (stop my kernel) leave before the browser goes
    for context in contexts:
        context.close()


def _kernel_id(page) -> str:
    return json.loads(page.inner_text("#jupyter-config-data"))["kernelId"]


def _arrive_together(pages, url: str) -> None:
    """Start every page loading before waiting for any (Playwright's goto would wait)."""
    for page in pages:
        page.evaluate("url => { window.location.href = url; }", url)


def test_a_wave_of_participants_all_get_the_form(room, participants):
    """Six people opening the link in the same second: does each get a working form of their
    own (an entry screen that answers a click), none left blank?"""
    pages = [participants() for _ in range(WAVE)]
    _arrive_together(pages, room.url)
    for page in pages:
        page.wait_for_selector(".eakit-start", timeout=WAVE_TIMEOUT_MS)
    assert len({_kernel_id(page) for page in pages}) == WAVE
    for number, page in enumerate(pages):
        enter(page, WORKSHOP, f"wave-{number}")
    for page in pages:
        page.wait_for_selector(".eakit-consent")


def test_closed_tab_frees_its_kernel_at_once(room, participants):
    """When a participant closes the tab, is its kernel stopped within seconds (not at the
    20-minute cull)?"""
    page = participants()
    page.goto(room.url)
    page.wait_for_selector(".eakit-start")
    kernel_id = _kernel_id(page)
    assert kernel_exists(room, kernel_id)
    page.close(run_before_unload=True)  # what a browser does when its tab is closed
    assert kernel_gone_within(room, kernel_id, RELEASE_SECONDS)


def test_reloaded_tab_frees_its_old_kernel(room, participants):
    """A reload gives a new form with a new kernel; is the old one stopped at once?"""
    page = participants()
    page.goto(room.url)
    page.wait_for_selector(".eakit-start")
    before = _kernel_id(page)
    page.reload()
    page.wait_for_selector(".eakit-start")
    assert _kernel_id(page) != before
    assert kernel_gone_within(room, before, RELEASE_SECONDS)


def test_full_room_says_so_and_lets_them_in_when_someone_leaves(tmp_path, participants):
    """At the cap, does the next person see a plain page saying the room is full (never a blank
    one), which loads itself again and opens the form once a place is free?"""
    # --expect 1: one kernel prepared ahead, at most three at once (the room plus two spare)
    server = start_app(
        "assessment", WORKSHOP, f"sqlite:///{tmp_path / 'full.sqlite'}", tmp_path, "--expect", "1"
    )
    try:
        seated = []
        for _ in range(3):
            page = participants()
            page.goto(server.url)
            page.wait_for_selector(".eakit-start")
            seated.append(page)
        late = participants()
        response = late.goto(server.url)
        assert response.status == 503
        assert late.locator("h1").inner_text() == "The room is full right now"
        assert "tries again by itself" in late.inner_text(".eakit-room-full")
        seated[0].close(run_before_unload=True)  # someone leaves
        late.wait_for_selector(".eakit-start", timeout=60_000)  # reloaded by itself
        enter(late, WORKSHOP, "late-1")
        late.wait_for_selector(".eakit-consent")
    finally:
        server.stop()


def test_a_form_that_never_arrives_is_retried(room, participants):
    """If the form does not appear within 20 s (here its kernel connection is cut), does the
    page say so and load itself again?"""
    page = participants()
    page.route_web_socket("**/api/kernels/**", lambda socket: None)  # never connects
    page.goto(room.url)
    note = page.wait_for_selector(".eakit-waiting", timeout=40_000)
    assert note.get_attribute("role") == "alert"
    assert "tries again by itself" in note.inner_text()
    assert page.locator(".eakit-start").count() == 0
    with page.expect_event("load", timeout=30_000):
        pass  # the page loads itself again
