"""Text typed by participants must show as text in every report and table the kit writes.

Names like ``<script>`` reach the store through a spreadsheet or a form; each report and the
cohort summary are read back with html.parser, which must find the name exactly as typed (so it
was escaped, not dropped) and no script, event handler or external URL anywhere. Spreadsheets
the kit writes must not turn a name into a formula.
"""

from __future__ import annotations

import csv
import json
from html import escape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kit.apps.dashboard import dashboard_html, load_picture
from kit.batch.manifest import Entry, write_manifest
from kit.batch.output import OutputFolder
from kit.core.definitions import bundled_definitions
from kit.core.records import AnswerNote
from kit.errors import StoreError
from kit.paths import SAMPLE_COHORT
from kit.reports.business import business_report
from kit.reports.html import page
from kit.reports.summary import build_summary, summary_page
from kit.store.database import Store
from kit.tables.cohort_file import read_cohort
from kit.tables.writer import write_table
from tests.html_checks import page_problems, read_page, texts

# (business id, display name): ids that look like other types stay ids, names stay names
HOSTILE = [
    ("evil-1", "<script>alert(1)</script>"),
    ("evil-2", '"><img src=x onerror=alert(1)>'),
    ("quotes", 'O\'Brien & "Sons" <b>Ltd</b>'),
    ("slashes", "C:\\shops\\new \\n not a newline"),
    ("True", "True"),
    ("00123", "00123"),
    ("NA", "NA"),
    ("formula", '=HYPERLINK("http://evil.example","click")'),
]
WORKSHOP = "safety"
# notes, links and a reviewer's name and note as a hostile team might type them (every link
# here passes the http(s) check on entry; the query strings carry the markup)
HOSTILE_NOTES = [
    ("<script>alert('note')</script>", "https://example.org/?q=<script>alert(1)</script>"),
    ('"><img src=x onerror=alert(2)>', 'http://example.org/a"onmouseover="alert(3)'),
]
REVIEWER = "<b onclick=alert(4)>Dana</b>"
REVIEW_NOTE = "</p><script>alert(5)</script>"
TEAM = "team-1"


def _add_team(store: Store, answers: dict[str, str]) -> None:
    """Two respondents of one business, each with a hostile note and link on the first
    answer, the second respondent reviewed by a hostile name, and a target."""
    question = next(iter(answers))
    store.ensure_business(WORKSHOP, TEAM, "Team shop")
    for number, (note, link) in enumerate(HOSTILE_NOTES, start=1):
        code = f"resp-{number}"
        store.join_respondent(WORKSHOP, TEAM, code, "staff")
        store.submit(
            WORKSHOP,
            TEAM,
            answers,
            f"key-team-{number}",
            respondent=code,
            role="staff",
            notes={question: AnswerNote(note, link)},
        )
    newest = store.latest_by_respondent(WORKSHOP, TEAM)[-1]
    store.review(newest.id, REVIEWER, REVIEW_NOTE)
    store.set_targets(TEAM, {next(iter(store.definitions.dimensions)): 4})


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store whose businesses carry the hostile names and the sample cohort's answers, and
    a team business with hostile notes, links and review."""
    url = f"sqlite:///{tmp_path_factory.mktemp('safety') / 'store.sqlite'}"
    samples = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows
    with Store.open(url) as store:
        for (business_id, name), sample in zip(HOSTILE, samples, strict=False):
            store.ensure_business(WORKSHOP, business_id, name)
            store.submit(WORKSHOP, business_id, sample.answers, f"key-{business_id}")
        _add_team(store, samples[0].answers)
    return url


def test_notes_links_and_review_show_as_text_in_the_report(hostile_store: str):
    """Do the notes, the links and the reviewer's name and note read back exactly as typed,
    with each link the only kind of link there is (http(s), noopener) and nothing that runs?"""
    view = business_report(hostile_store, WORKSHOP, TEAM)
    html = page(view.title, view.html)
    assert texts(html, "answer-note") == [note for note, _ in HOSTILE_NOTES]
    assert texts(html, "answer-link") == [link for _, link in HOSTILE_NOTES]
    assert texts(html, "reviewer") == [REVIEWER]
    assert texts(html, "review-note") == [REVIEW_NOTE]
    anchors = [dict(attrs) for tag, attrs in read_page(html).tags if tag == "a"]
    assert [(a["href"], a["rel"]) for a in anchors] == [
        (link, "noopener noreferrer nofollow") for _, link in HOSTILE_NOTES
    ]
    assert page_problems(html) == []


def test_summary_and_dashboard_show_no_note_or_link(hostile_store: str):
    """Do the cohort summary and the dashboard leave out every note, link and review?"""
    with Store.open(hostile_store) as store:
        summary = summary_page(
            build_summary(store, WORKSHOP),
            {lvl.number: lvl.label for lvl in store.definitions.model.levels},
        )
        picture = load_picture(store, WORKSHOP)
    board = dashboard_html(picture, {1: "a", 2: "b", 3: "c", 4: "d"})
    for html in (summary, board):
        typed = [text for pair in HOSTILE_NOTES for text in pair] + [REVIEWER, REVIEW_NOTE]
        assert [text for text in typed if text in html or escape(text) in html] == []
        assert "example.org" not in html
    assert picture.submitted == len(HOSTILE) + 1  # the team is one business


@pytest.mark.parametrize(("business_id", "name"), HOSTILE, ids=[b for b, _ in HOSTILE])
def test_name_shows_as_text_in_the_report(hostile_store: str, business_id: str, name: str):
    """Does the parsed report show the id and name exactly as stored, with nothing that runs
    and no other business's name?"""
    view = business_report(hostile_store, WORKSHOP, business_id)
    html = page(view.title, view.html)
    assert texts(html, "business-name") == [name]
    assert texts(html, "business-id") == [business_id]
    assert page_problems(html) == []
    others = [other for b, other in HOSTILE if b != business_id and other not in name]
    assert [other for other in others if other in html] == []


def test_page_title_is_escaped(hostile_store: str):
    """Is the <title> (built from the name) escaped too?"""
    view = business_report(hostile_store, WORKSHOP, "evil-1")
    html = page(view.title, view.html)
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;: ethical" in html


def test_summary_names_no_business(hostile_store: str):
    """Does the cohort summary show totals only: no name, no id, nothing that runs?"""
    with Store.open(hostile_store) as store:
        summary = build_summary(store, WORKSHOP)
        labels = {lvl.number: lvl.label for lvl in store.definitions.model.levels}
    html = summary_page(summary, labels)
    assert summary.picture.shown
    assert page_problems(html) == []
    assert [name for _, name in HOSTILE if len(name) > 3 and name in html] == []
    assert "evil-1" not in html and "slashes" not in html


def test_multi_line_names_never_reach_a_report(tmp_path: Path):
    """A name with a line break is joined into one line by the cohort reader (row named in a
    note, its answers kept) and refused by the store, so no report can show one."""
    header = "business_id,business_name,transparency_chatbot_disclosure\n"
    path = tmp_path / "cohort.csv"
    path.write_text(header + 'ok-1,Fine,a\nbad-1,"two\nlines",a\n', encoding="utf-8")
    cohort = read_cohort(path, bundled_definitions())
    assert [(row.business_id, row.business_name) for row in cohort.rows] == [
        ("ok-1", "Fine"),
        ("bad-1", "two lines"),
    ]
    assert cohort.problems == []
    assert f"{path}: row 3: business_name: its lines were joined" in cohort.notes
    with (
        Store.open(f"sqlite:///{tmp_path / 's.sqlite'}") as store,
        pytest.raises(StoreError, match="single line"),
    ):
        store.ensure_business(WORKSHOP, "bad-1", "two\nlines")


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]
PLAIN = ["True", "00123", "NA", "a=b", "O'Brien", "<script>"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tables_neutralise_formulas(tmp_path: Path, suffix: str):
    """Does every cell starting with = + - @ tab or CR get an apostrophe, and every other cell
    come back unchanged, in CSV and in XLSX?"""
    path = tmp_path / f"table{suffix}"
    write_table(path, ["value"], [[value] for value in FORMULAS + PLAIN])
    expected = ["'" + value for value in FORMULAS] + PLAIN
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            cells = [row[0] for row in csv.reader(handle)][1:]
    else:
        sheet = load_workbook(path).worksheets[0]
        cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        expected = [value.replace("\r", "\n") for value in expected]  # XML reads CR as LF
    assert cells == expected


def test_manifest_csv_neutralises_names(tmp_path: Path):
    """Is a formula-like business name inert in manifest.csv and intact in manifest.json?"""
    folder = OutputFolder(tmp_path)
    folder.prepare()
    name = '=HYPERLINK("http://evil.example")'
    write_manifest(folder, [Entry("formula", name, "ok", {"html": "businesses/formula.html"})], {})
    with folder.manifest_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["business_name"] == "'" + name
    stored = json.loads(folder.manifest_json.read_text(encoding="utf-8"))
    assert stored["businesses"][0]["business_name"] == name


@pytest.mark.slow
def test_notes_print_as_text_in_the_pdf(hostile_store: str):
    """Printed by Chromium, does the team's PDF carry each hostile note, link and the
    reviewer's name as the characters typed?"""
    import io
    import unicodedata

    from pypdf import PdfReader

    from kit.reports.renderers import close_renderers, render_page
    from tests.conftest import require_system_tool

    require_system_tool("/usr/bin/chromium", "PDF reports are printed by headless Chromium")
    view = business_report(hostile_store, WORKSHOP, TEAM)
    try:
        pdf = render_page(page(view.title, view.html), ("pdf",), "a4")["pdf"]
    finally:
        close_renderers()
    text = "".join(
        "".join(unicodedata.normalize("NFKC", sheet.extract_text()).split())
        for sheet in PdfReader(io.BytesIO(pdf)).pages
    )
    for typed in [note for note, _ in HOSTILE_NOTES] + [REVIEWER, REVIEW_NOTE]:
        assert "".join(typed.split()) in text
