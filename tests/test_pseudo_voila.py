"""No string left behind in the served app: the Voila page in the pseudo language.

``eakit serve assessment --language qps`` serves the real page; Chromium reads what a person
sees (``innerText``) and what a screen reader says (labels and placeholders) on the entry
step and on the privacy notice, and every word must have gone through translation.
"""

from __future__ import annotations

import pytest

from kit.core.language import PSEUDO
from tests.apps_support import agree, enter, open_form, start_app
from tests.test_pseudo_language import leftovers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
WORKSHOP = "w1"
# ipywidgets writes title="null" on a label without a tooltip: an empty value, not a word
READ = """() => [document.title, document.body.innerText,
  ...[...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap(
    (node) => ['aria-label', 'placeholder', 'title'].map((name) => node.getAttribute(name))
  ).filter((value) => value && value !== 'null')]"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("voila-pseudo")
    url = f"sqlite:///{folder / 'pseudo.sqlite'}"
    app = start_app(
        "assessment", WORKSHOP, url, folder, "--language", PSEUDO, "--expect", "2", "--preheat", "0"
    )
    yield app
    app.stop()


def test_the_served_page_in_the_pseudo_language(server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_form(page, server.url)
    seen = page.evaluate(READ)
    enter(page, WORKSHOP, "smb-001")
    page.wait_for_selector(".eakit-consent-agree")
    seen += page.evaluate(READ)
    agree(page)
    page.wait_for_selector(".eakit-areas")
    seen += page.evaluate(READ)
    assert leftovers(seen, [WORKSHOP, "smb-001"]) == []
