"""A slow kernel must not lose what was typed or chosen just before Start or Submit.

Each widget model in the browser sends at most one state update at a time: until the kernel
reports idle after it, later changes wait in a buffer, while a button's click goes out at once.
Here the kernel's idle reports are held back (the browser's websocket routed through
Playwright) while a participant types their business code and presses Enter, and while they
change their last answers, type a note and press Submit. What is stored must be exactly what
they typed and chose. Real `eakit serve`, Debian's Chromium.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from kit.core.records import AnswerNote
from kit.store.database import Store
from tests.apps_support import agree, answer, open_area, open_form, start_app

pytestmark = pytest.mark.slow

WORKSHOP = "race-test"
QUESTIONS = 36


def _is_idle(frame: str | bytes) -> bool:
    """Whether a frame from the server is a kernel status ``idle`` (the v1 websocket protocol:
    a count, then offsets of channel, header, parent header, metadata, content, buffers)."""
    if isinstance(frame, str):
        message = json.loads(frame)
        header, content = message["header"], message["content"]
    else:
        count = struct.unpack_from("<Q", frame)[0]
        offsets = struct.unpack_from(f"<{count}Q", frame, 8)
        header = json.loads(frame[offsets[1] : offsets[2]])
        content = json.loads(frame[offsets[4] : offsets[5]])
    return header.get("msg_type") == "status" and content.get("execution_state") == "idle"


class HeldIdle:
    """Routes the page's kernel websocket; while ``hold`` is on, the kernel's idle reports are
    kept back (everything else passes), as if the kernel were still busy."""

    def __init__(self, page) -> None:
        self.hold = False
        self.held: list = []
        page.route_web_socket("**/api/kernels/*/channels**", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(server.send)

        def down(frame: str | bytes) -> None:
            if self.hold and _is_idle(frame):
                self.held.append((ws, frame))
            else:
                ws.send(frame)

        server.on_message(down)

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for ws, frame in held:
            ws.send(frame)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("race")


@pytest.fixture(scope="module")
def database(workdir) -> str:
    return f"sqlite:///{workdir / 'race.sqlite'}"


@pytest.fixture(scope="module")
def assessment(workdir, database):
    server = start_app("assessment", WORKSHOP, database, workdir, "--preheat", "1")
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_enter_right_after_typing_starts_with_the_whole_code(assessment, database, page):
    """The business code typed just before Enter, with the kernel slow to say idle: is the
    form started for that code, not for the letters that had reached the kernel?"""
    wire = HeldIdle(page)
    open_form(page, assessment.url)
    page.fill(".eakit-workshop input", WORKSHOP)
    page.wait_for_timeout(500)  # that one goes through at normal speed
    wire.hold = True
    page.click(".eakit-business-id input")
    page.keyboard.type("race-enter-1")
    page.keyboard.press("Enter")
    page.wait_for_selector(".eakit-consent")
    wire.release()
    agree(page)
    assert answer(page, 1) == QUESTIONS
    page.click(".eakit-submit")
    page.wait_for_selector(".eakit-result-summary h2")
    assert "business code race-enter-1" in page.inner_text(".eakit-result-summary")
    with Store.open(database) as store:
        assert len(store.history("race-enter-1")) == 1
        assert store.history("r") == []


def test_submit_right_after_the_last_answers_stores_them(assessment, database, page):
    """Two answers changed and a note typed just before Submit, with the kernel slow to say
    idle: does the submission hold all three?"""
    wire = HeldIdle(page)
    open_form(page, assessment.url)
    page.fill(".eakit-workshop input", WORKSHOP)
    page.fill(".eakit-business-id input", "race-submit-1")
    page.click(".eakit-start")
    agree(page)
    assert answer(page, 1) == QUESTIONS
    page.wait_for_selector(f"text=Saved ({QUESTIONS} answers so far)")
    last = open_area(page, page.locator(".eakit-areas .eakit-area").count() - 1)
    questions = last.locator(".eakit-question")
    changed = [questions.nth(n).get_attribute("data-question") for n in (0, 1)]
    questions.nth(1).locator(".eakit-evidence summary").click()
    wire.hold = True
    questions.nth(0).locator("input[type=radio]").nth(2).check()
    questions.nth(1).locator("input[type=radio]").nth(2).check()
    questions.nth(1).locator(".eakit-note").fill("Typed last, then straight to Submit")
    page.click(".eakit-submit")  # leaving the note for the button sends it first
    page.wait_for_selector(".eakit-result-summary h2")
    wire.release()
    with Store.open(database) as store:
        (record,) = store.history("race-submit-1")
        expected = dict.fromkeys(store.definitions.questions, "b") | dict.fromkeys(changed, "c")
    assert record.answers == expected
    assert record.notes == {changed[1]: AnswerNote("Typed last, then straight to Submit")}
