"""No string left behind: the app, a report and the cohort summary in the pseudo language.

In the pseudo language every translated text comes out wrapped in ``⟦ ⟧`` (messages through
their gettext catalog, definition texts through ``localize``). Each test walks what a person
would read (widget labels and HTML, page text, SVG text, labels for screen readers) and fails
on any word outside the marks that is not data: a business's name or code, a workshop code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest

from kit.apps.assessment import WorkshopAssessment
from kit.core.definitions import DONT_KNOW, bundled_definitions
from kit.core.language import LANGUAGES, PSEUDO, SOURCE, set_language, use_language
from kit.core.translations import localize
from kit.forms.areas import AreaQuestions
from kit.forms.entry import EntryFields
from kit.forms.page import PageHelper
from kit.paths import SAMPLE_COHORT
from kit.reports.business import business_report
from kit.reports.html import page
from kit.reports.summary import build_summary, summary_page
from kit.store.database import Store
from kit.tables.cohort_file import read_cohort

INNERMOST = re.compile(r"⟦[^⟦⟧]*⟧")
LETTER = re.compile(r"[^\W\d_]")
# Each language's name is written in that language whatever the page's language.
AUTONYMS = [lang.name for lang in LANGUAGES.values()]
READ_ALOUD = {"aria-label", "title", "alt", "placeholder"}


def untranslated(text: str, data: list[str]) -> str:
    """The lines of ``text`` with a word left once every marked text and every data value is
    taken out (a marked text may run over several lines: one sentence around a bold code)."""
    previous = None
    while previous != text:
        previous, text = text, INNERMOST.sub(" ", text)
    for value in sorted(data + AUTONYMS, key=len, reverse=True):
        text = text.replace(value, " ")
    return "\n".join(line for line in text.splitlines() if LETTER.search(line))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        self.found += [value for name, value in attrs if name in READ_ALOUD and value]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data)


def html_texts(html: str) -> list[str]:
    """The text of a page or fragment as one string (a line per text node), then each label
    read aloud."""
    reader = _Text()
    reader.feed(html)
    reader.close()
    return ["\n".join(reader.text), *reader.found]


def widget_texts(widget: widgets.Widget) -> Iterator[str]:
    """Every text a participant can see or hear in a widget tree."""
    if isinstance(widget, widgets.HTML):
        yield from html_texts(widget.value)
    for name in ("description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value:
            yield value
    if isinstance(widget, widgets.ToggleButtons):
        yield from (label for label, _ in widget.options)
    if isinstance(widget, PageHelper) and widget.title:
        yield widget.title
    if isinstance(widget, EntryFields):
        yield from html_texts(widget.message)
        for item in widget.items:
            yield from (item[key] for key in ("label", "placeholder") if item.get(key))
    if isinstance(widget, AreaQuestions):
        yield widget.heading
        yield from widget.labels.values()
        for question in widget.questions:
            yield question["text"]
            yield question["why"]
            yield from (label for label, _ in question["options"])
    for child in getattr(widget, "children", ()):
        yield from widget_texts(child)


def leftovers(texts: list[str], data: list[str]) -> list[str]:
    return sorted({left for text in texts if (left := untranslated(text, data))})


@pytest.fixture
def pseudo() -> Iterator[None]:
    set_language(PSEUDO)
    yield
    set_language(SOURCE)


def test_the_check_catches_a_word_left_in_english():
    """The check itself: a bare word fails, marked text, data and numbers pass."""
    assert untranslated("⟦Your level⟧: 3 (2,50)", []) == ""
    assert untranslated("⟦Your level⟧: 3 of 4", []) != ""
    assert untranslated("⟦⟦Alpha⟧: ⟦Proactive⟧⟧ smb-001", ["smb-001"]) == ""
    assert untranslated("⟦Welcome⟧ back", []) != ""


def test_every_stage_of_the_app_in_the_pseudo_language(tmp_path, pseudo):
    """Entry (with a refusal and a new code), consent, questions (saved, missing, welcome
    back), result with an earlier assessment: nothing shows that skipped translation."""
    definitions = bundled_definitions()
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    all_dont_know = {qid: DONT_KNOW for qid in definitions.questions}
    seen: list[str] = []
    with Store.open(url) as store:
        store.ensure_business("w1", "smb-001", "Corner Bakery")
        store.submit("w1", "smb-001", all_dont_know, "earlier")
        form = WorkshopAssessment(definitions, store, "w1")
        form.entry.fields.fill(workshop="w1", business_id="../x")
        form.entry.fields.press("start")
        seen += widget_texts(form)
        form.entry.fields.press("new_code")
        seen += widget_texts(form)
        given = form.entry.fields.values["business_id"]
        form.entry.fields.fill(business_id="smb-001")
        form.entry.fields.press("start")
        assert form.stage == "consent"
        form.consent.proceed.disabled = False
        form.consent.proceed.click()  # not ticked: asked to tick first
        seen += widget_texts(form)
        form.consent.agree.value = True
        form.consent.proceed.click()
        first = next(iter(definitions.questions))
        form.questions.choose(first, DONT_KNOW)
        form.submit_button.click()  # the rest missing
        assert form.stage == "questions"
        for area in form.questions.areas:
            area.expanded = True
        seen += widget_texts(form)
        for qid in definitions.questions:
            form.questions.choose(qid, definitions.questions[qid].options[1].id)
        form.submit_button.click()
        assert form.stage == "result"
        seen += widget_texts(form)
    data = ["w1", "smb-001", "Corner Bakery", given]
    assert seen and leftovers(seen, data) == []


def test_a_report_and_the_summary_in_the_pseudo_language(tmp_path):
    """The report of a business with progress since an earlier assessment, and a cohort
    summary with every section shown, charts included."""
    definitions = bundled_definitions()
    rows = read_cohort(SAMPLE_COHORT, definitions).rows
    url = f"sqlite:///{tmp_path / 'reports.sqlite'}"
    with Store.open(url) as store:
        for row in rows:
            store.ensure_business("w1", row.business_id, row.business_name)
            store.submit("w1", row.business_id, row.answers, f"key-{row.business_id}")
        first = rows[0]
        raised = {qid: definitions.questions[qid].options[-1].id for qid in definitions.questions}
        store.submit("w1", first.business_id, raised, "second")
        # two people answering for it, far apart (a disagreement), and targets to aim for
        lowest = {qid: definitions.questions[qid].options[0].id for qid in definitions.questions}
        store.submit("w2", first.business_id, raised, "a", respondent="smb-001-a", role="owner")
        store.submit("w2", first.business_id, lowest, "b", respondent="smb-001-b", role="staff")
        store.set_targets(first.business_id, dict.fromkeys(definitions.dimensions, 3))
        with use_language(PSEUDO):
            summary = build_summary(store, "w1")
            ladder = localize(store.definitions, PSEUDO).model.levels
            levels = {level.number: level.label for level in ladder}
            summary_html = summary_page(summary, levels)
    view = business_report(url, "w2", first.business_id, language=PSEUDO)
    report_html = page(view.title, view.html)
    data = ["w1", "w2", *(r.business_id for r in rows), *(r.business_name for r in rows)]
    assert "disagreement" in report_html and "target-progress" in report_html
    assert "<svg" in report_html and "<svg" in summary_html
    assert leftovers(html_texts(report_html), data) == []
    assert leftovers(html_texts(summary_html), data) == []


def test_the_dashboard_in_the_pseudo_language(tmp_path, pseudo):
    """The projected dashboard with every panel shown: nothing skipped translation but the
    link, the workshop code and the command a trainer types."""
    from kit.apps.dashboard import Dashboard, batch_command

    definitions = bundled_definitions()
    rows = read_cohort(SAMPLE_COHORT, definitions).rows
    url = f"sqlite:///{tmp_path / 'room.sqlite'}"
    link = "http://127.0.0.1:8866/"
    with Store.open(url) as store:
        for row in rows:
            store.ensure_business("w1", row.business_id, row.business_name)
            store.submit("w1", row.business_id, row.answers, f"key-{row.business_id}")
        board = Dashboard(store, "w1", watch=False, join_url=link, database_url=url)
        board.refresh()
    data = ["w1", link, batch_command("w1", url)]
    assert leftovers(list(widget_texts(board)), data) == []
