"""The Voila apps in a real browser: a participant completes the assessment on a phone-sized and
a laptop-sized window, a reload resumes the draft, the dashboard counts the submission, and
neither code nor files can be reached through the server.

Both apps are started with `eakit serve` on free ports with a temporary SQLite database, and
driven by Playwright through Debian's headless Chromium. Screenshots of every stage are saved
under test-artifacts/apps/ for a person to look at.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from kit.core.definitions import bundled_definitions
from kit.store.database import Store
from tests.apps_support import (
    ROOT,
    agree,
    answer,
    enter,
    kernel_exists,
    kernel_gone_within,
    open_area,
    open_form,
    screenshot,
    start_app,
    submit,
)

pytestmark = pytest.mark.slow

WORKSHOP = "browser-test"
ARTIFACTS = ROOT / "test-artifacts" / "apps"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
# Only the culling tests get a server that culls quickly: with a short cull time a participant
# whose browser is slow to connect (a loaded machine) would lose the kernel mid-test. The cull
# time still has to cover a page load there, from hand-out to the browser's first message.
CULL_SECONDS = 30
CULL_INTERVAL = 2
# Every answer at option b (level 2) places every area at 2, and so the whole (mean 2.00, no
# area below it). Every answer at c places everything at 3.
LEVEL_OF_OPTION = {1: (2, "Proactive"), 2: (3, "Strategic")}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """The folder `eakit serve` runs in, with a file no request may ever fetch."""
    path = tmp_path_factory.mktemp("apps")
    (path / "private-notes.txt").write_text("CANARY-private-notes\n")
    return path


@pytest.fixture(scope="module")
def database(workdir) -> str:
    return f"sqlite:///{workdir / 'apps.sqlite'}"


@pytest.fixture(scope="module")
def assessment(workdir, database):
    # this server never culls, so every page the module opens keeps its kernel: room for them
    # all (a cap of 22), four prepared ahead
    server = start_app(
        "assessment", WORKSHOP, database, workdir, "--expect", "20", "--preheat", "4"
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def culling_assessment(workdir, database):
    """The assessment with a short cull time and two preheated kernels, started at once."""
    server = start_app(
        "assessment",
        WORKSHOP,
        database,
        workdir,
        "--expect",
        "4",
        "--cull-idle-after",
        str(CULL_SECONDS),
        "--cull-interval",
        str(CULL_INTERVAL),
        "--preheat",
        "2",
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dashboard(workdir, database):
    server = start_app("dashboard", WORKSHOP, database, workdir)
    yield server
    server.stop()


@pytest.fixture
def page(browser, request):
    viewport = VIEWPORTS[getattr(request, "param", "laptop")]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    yield page
    context.close()


def _store(database: str) -> Store:
    return Store.open(database)


@pytest.mark.parametrize(
    ("page", "option_index"),
    [("phone", 1), ("laptop", 2)],
    indirect=["page"],
    ids=["phone", "laptop"],
)
def test_participant_completes_the_assessment(assessment, database, page, option_index, request):
    """Can a participant enter, consent, answer every question by clicking and submit, and do
    they see the level their answers give while the database holds exactly that submission?"""
    size = request.node.callspec.id
    business = f"{size}-1"
    shots = ARTIFACTS / size
    open_form(page, assessment.url)
    screenshot(page, shots / "1-entry.png")
    enter(page, "Browser-Test", business)  # phones capitalise the first letter; still accepted
    page.wait_for_selector(".eakit-consent")
    screenshot(page, shots / "2-consent.png")
    agree(page)
    assert answer(page, option_index) == 36
    page.wait_for_selector("text=36 of 36 questions answered")
    screenshot(page, shots / "3-questions.png")
    submit(page)
    level, label = LEVEL_OF_OPTION[option_index]
    summary = page.inner_text(".eakit-result-summary")
    assert f"Overall: {label} (level {level} of 4)" in summary
    assert page.locator(".eakit-explanation").inner_text().strip()
    screenshot(page, shots / "4-result.png")

    with _store(database) as store:
        history = store.history(business)
        option_id = "abcd"[option_index]
        assert len(history) == 1
        assert history[0].workshop == WORKSHOP
        assert history[0].answers == dict.fromkeys(bundled_definitions().questions, option_id)
        assert store.load_draft(WORKSHOP, business) is None


def test_wrong_workshop_code_is_refused(assessment, database, page):
    """Is a participant who types another workshop's code kept out (nothing stored)?"""
    open_form(page, assessment.url)
    enter(page, "another-workshop", "stray-1")
    page.wait_for_selector("text=is not the code of this workshop")
    with _store(database) as store:
        assert "another-workshop" not in store.workshops()
        assert store.display_name("stray-1") is None


def test_reload_resumes_the_draft(assessment, database, page):
    """After a reload mid-way, does the same business code bring back the answers, losing at
    most the one clicked just before the reload?"""
    open_form(page, assessment.url)
    enter(page, WORKSHOP, "resume-1")
    agree(page)
    assert answer(page, 0, limit=5) == 5
    page.wait_for_selector("text=Saved (5 answers so far)")
    open_area(page, 1).locator(".eakit-question").nth(1).locator("input[type=radio]").nth(0).check()
    page.reload()  # at once: the sixth answer may or may not have reached the server

    page.wait_for_selector(".eakit-start")
    enter(page, WORKSHOP, "resume-1")
    page.wait_for_selector(".eakit-questions")  # consent was given already: straight in
    restored = int(
        re.search(
            r"Your (\d+) earlier answers are filled in again", page.inner_text(".eakit-notice")
        ).group(1)
    )
    assert restored in (5, 6)
    page.wait_for_selector(f"text={restored} of 36 questions answered")
    with _store(database) as store:
        assert len(store.load_draft(WORKSHOP, "resume-1")) == restored
    screenshot(page, ARTIFACTS / "laptop" / "5-resumed.png")


def _submitted(page) -> int:
    return int(re.search(r"(\d+)\s*submitted", page.inner_text(".eakit-dash")).group(1))


@pytest.mark.parametrize("page", ["laptop", "phone"], indirect=True)
def test_dashboard_counts_a_new_submission(assessment, dashboard, database, browser, page, request):
    """Does the open dashboard pick up a submission by itself (no click), showing only totals?"""
    size = request.node.callspec.id
    with _store(database) as store:  # enough earlier businesses for the distributions to show
        for number in range(6):
            answers = dict.fromkeys(store.definitions.questions, "b")
            store.submit(WORKSHOP, f"seed-{size}-{number}", answers, f"seed-{size}-{number}")
        before = store.progress(WORKSHOP).submitted
    page.set_default_timeout(90_000)
    page.goto(dashboard.url)
    page.wait_for_selector(".eakit-dash >> text=Areas by level")
    assert _submitted(page) == before

    participant = browser.new_context(viewport=VIEWPORTS["phone"]).new_page()
    open_form(participant, assessment.url)
    enter(participant, WORKSHOP, f"dash-{size}")
    agree(participant)
    answer(participant, 1)
    submit(participant)
    participant.context.close()

    page.wait_for_function(
        f"() => /\\b{before + 1}\\s*submitted/.test(document.querySelector('.eakit-dash')"
        ".innerText)",
        timeout=60_000,
    )
    text = page.inner_text(".eakit-dash")
    assert "Overall levels" in text and "fewer than 5" in text
    assert (
        f"eakit batch --workshop {WORKSHOP} --database {database} --out reports/{WORKSHOP}"
    ) in text
    assert f"dash-{size}" not in text and "seed-" not in text
    screenshot(page, ARTIFACTS / size / "6-dashboard.png")


@pytest.mark.parametrize("suffix", ["", "?token=wrong"])
def test_dashboard_needs_its_token(dashboard, suffix):
    """Without the right token, is the dashboard withheld (a login page, no figures)?"""
    with urllib.request.urlopen(dashboard.base + suffix, timeout=60) as response:
        body = response.read().decode()
        assert urlsplit(response.url).path.startswith("/login")
    assert f"<title>Workshop {WORKSHOP}: dashboard</title>" in body  # our page, not Jupyter's
    assert "jupyter server list" not in body and "submitted" not in body


# Every path Voila does not route itself redirects into /voila/files/, which serves nothing.
FORBIDDEN = 403
FILE_URLS = [
    ("/voila/files/apps.sqlite", FORBIDDEN),
    ("/voila/files/../apps.sqlite", FORBIDDEN),
    ("/voila/files/%2e%2e/%2e%2e/apps.sqlite", FORBIDDEN),
    ("/voila/files/assessment.ipynb", FORBIDDEN),
    ("/voila/files/private-notes.txt", FORBIDDEN),
    ("/voila/static/../../../apps.sqlite", FORBIDDEN),
    ("/voila/static/%2e%2e/%2e%2e/%2e%2e/private-notes.txt", FORBIDDEN),
    ("/voila/labextensions/../../../../apps.sqlite", 404),
    # Voila's template handler fails on a path it cannot split: a bare error page, no data.
    ("/voila/templates/lab/static/../../../../../../private-notes.txt", 500),
    ("/static/apps.sqlite", FORBIDDEN),
    ("/files/apps.sqlite", FORBIDDEN),
    ("/apps.sqlite", FORBIDDEN),
    ("/private-notes.txt", FORBIDDEN),
    ("/assessment.ipynb", FORBIDDEN),
    ("/voila/render/assessment.ipynb", FORBIDDEN),
    ("/voila/tree", FORBIDDEN),
    ("/tree", FORBIDDEN),
    ("/api/contents", FORBIDDEN),
    ("/voila/api/contents/", FORBIDDEN),
    ("/api/kernels", FORBIDDEN),
    ("/api/sessions", FORBIDDEN),
]


def _fetch(base: str, path: str) -> tuple[int, bytes, str]:
    """GET one raw path (no client-side normalising of '..'), following one redirect."""
    parts = urlsplit(base)
    for _ in range(2):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        location = response.getheader("Location")
        if response.status not in (301, 302, 307, 308) or not location:
            return response.status, body, path
        path = urlsplit(location).path or "/"
    return response.status, body, path


@pytest.mark.parametrize(("path", "expected"), FILE_URLS)
def test_files_cannot_be_fetched(assessment, database, workdir, path, expected):
    """Is every way of asking for the database, the notebook or a nearby file refused?"""
    status, body, final = _fetch(assessment.base, path)
    assert status == expected, f"{path} -> {final}: {status}"
    assert b"Traceback" not in body
    database_bytes = (workdir / "apps.sqlite").read_bytes()[:100]
    assert b"SQLite format 3" not in body and database_bytes not in body
    assert b"CANARY-private-notes" not in body and b"assessment_app" not in body


def test_page_carries_no_source_code(assessment):
    """Does the page a participant loads show the app but none of the notebook's code?"""
    with urllib.request.urlopen(assessment.base, timeout=90) as response:
        body = response.read().decode()
    assert "Ethical automation self-assessment" in body
    assert "from kit.apps.launch import" not in body and "assessment_app()" not in body


SEND_MESSAGE_JS = """async ([kernelId, code]) => {
  const url = `ws://${location.host}/api/kernels/${kernelId}/channels`;
  const socket = new WebSocket(url);
  const replies = [];
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') replies.push(JSON.parse(event.data).header.msg_type);
  };
  const message = (type, content) => JSON.stringify({
    header: {msg_id: crypto.randomUUID(), msg_type: type, username: 'x', session: 'probe',
             date: new Date().toISOString(), version: '5.3'},
    parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
  socket.send(message('execute_request', {code, silent: false, store_history: false,
                                          user_expressions: {}, allow_stdin: false}));
  socket.send(message('kernel_info_request', {}));
  const deadline = Date.now() + 20000;
  while (!replies.includes('kernel_info_reply') && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 100));
  }
  await new Promise(r => setTimeout(r, 3000));
  socket.close();
  return replies;
}"""


def test_kernel_websocket_refuses_code(assessment, page, tmp_path):
    """Can a visitor run code in their kernel over its websocket? The kernel must answer a
    harmless request, yet ignore the execute request sent just before it."""
    target = tmp_path / "pwned.txt"
    open_form(page, assessment.url)
    config = json.loads(page.inner_text("#jupyter-config-data"))
    code = f"import pathlib; pathlib.Path({str(target)!r}).write_text('ran')"
    replies = page.evaluate(SEND_MESSAGE_JS, [config["kernelId"], code])
    assert "kernel_info_reply" in replies  # the channel works ...
    assert "execute_reply" not in replies and "execute_input" not in replies  # ... code does not
    assert not target.exists()


def test_closed_tab_kernel_is_culled(culling_assessment, browser):
    """Is the kernel of a tab that was closed stopped once it has been idle for the cull time?"""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    tab = context.new_page()
    open_form(tab, culling_assessment.url)
    kernel_id = json.loads(tab.inner_text("#jupyter-config-data"))["kernelId"]
    assert kernel_exists(culling_assessment, kernel_id)
    context.close()
    assert kernel_gone_within(culling_assessment, kernel_id, CULL_SECONDS * 4)


def test_late_arrival_gets_a_live_kernel(culling_assessment, page):
    """Does someone who arrives after the waiting (preheated) kernels have sat idle for longer
    than the cull time still get a working form, rather than one culled as they connect?"""
    time.sleep(CULL_SECONDS + 10)  # the kernels preheated at start-up are now long idle
    open_form(page, culling_assessment.url)
    page.wait_for_timeout(3 * CULL_INTERVAL * 1000)  # a culling round or more has passed
    enter(page, WORKSHOP, "late-1")
    page.wait_for_selector(".eakit-consent")


def test_kernels_stop_with_the_server(workdir, database):
    """When the facilitator stops `eakit serve`, do its kernels stop too (no orphans)?"""
    server = start_app("assessment", WORKSHOP, database, workdir, "--expect", "2")
    try:
        with urllib.request.urlopen(server.base, timeout=90) as response:
            response.read()
        # the kernels, and the template they are forked from where kernels are forked
        kernels = psutil.Process(server.process.pid).children(recursive=True)
        assert kernels
    finally:
        server.stop()
    _, alive = psutil.wait_procs(kernels, timeout=30)
    assert not alive
