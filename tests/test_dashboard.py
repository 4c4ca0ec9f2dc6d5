"""The facilitator dashboard's numbers, computed by hand on the small test definitions.

Answering every question with the option at one level places every area (and the whole) at that
level, so each business below sits where its letter says. A gap is a question whose answer is
among the fewest raises to the next level: with all answers equal, alpha (4 questions, raise to a
mean of 1.75/2.75/3.75) needs its first three raised; beta and gamma (2 questions) need both.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest

from kit.apps.dashboard import (
    Dashboard,
    dashboard_html,
    export_html,
    levels_html,
    load_picture,
)
from kit.core.cohort_stats import (
    NO_TARGET,
    NOT_PLACED,
    cohort_picture,
    picture_table,
    suppress_small,
)
from kit.core.records import SubmissionRecord, WorkshopProgress
from kit.store.database import Store

ALPHA = ("alpha_q1", "alpha_q2", "alpha_q3", "alpha_q4")
ALL = (*ALPHA, "beta_q1", "beta_q2", "gamma_q1", "gamma_q2")


def _answers(letter: str, **overrides: str) -> dict[str, str]:
    return {**dict.fromkeys(ALL, letter), **overrides}


# 6 at level 1; 5 at level 2 with gamma at 4 (overall mean 8/3 < 2.75: still level 2); 2 at
# level 3; 1 who answered only alpha (all at 4) and so has no overall placement.
COHORT = (
    [_answers("a")] * 6
    + [_answers("b", gamma_q1="d", gamma_q2="d")] * 5
    + [_answers("c")] * 2
    + [dict.fromkeys(ALPHA, "d")]
)


def _records(answer_sets: list[dict[str, str]], version: str = "9.1.0") -> list[SubmissionRecord]:
    """Stored submissions as the store returns them (the fixture questionnaire is 9.1.0)."""
    when = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        SubmissionRecord(
            id=i,
            workshop="w1",
            business_id=f"smb-{i:03d}",
            display_name=f"Shop {i}",
            answers=answers,
            model_version="9.0.0",
            questionnaire_version=version,
            submitted_at=when,
            submission_key=f"key-{i}",
        )
        for i, answers in enumerate(answer_sets)
    ]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 7, "b": 5, "c": 0}, {"a": 7, "b": 5, "c": 0}),
        ({"a": 7, "b": 5, "c": 1}, {"a": 7, "b": None, "c": None}),
        ({"a": 6, "b": 9, "c": 4, "d": 0}, {"a": None, "b": 9, "c": None, "d": 0}),
        ({"a": 7, "b": 2, "c": 3}, {"a": 7, "b": None, "c": None}),
        ({"a": 0, "b": 0}, {"a": 0, "b": 0}),
        ({"a": 3}, {"a": None}),
    ],
)
def test_suppress_small(counts, expected):
    """Are counts of 1-4 hidden, and a lone hidden count covered by hiding the next smallest?"""
    assert suppress_small(counts) == expected


def test_cohort_picture_hand_computed(small_defs):
    """Do the levels, the heatmap and the gaps match the hand count, small groups hidden?"""
    progress = WorkshopProgress("w1", enrolled=20, started=17, submitted=14)
    picture = cohort_picture(small_defs, progress, _records(COHORT))

    assert (picture.started, picture.submitted, picture.shown) == (17, 14, True)
    assert [(item.level, item.label, item.count) for item in picture.levels] == [
        (1, "Reactive", 6),
        (2, "Proactive", 5),
        (3, "Strategic", None),
        (4, "Transformative", 0),
        (None, "Not placed yet", None),
    ]
    heatmap = {row.dimension_id: row.cells for row in picture.heatmap}
    assert heatmap == {
        "alpha": {1: 6, 2: 5, 3: None, 4: None, NOT_PLACED: 0},
        "beta": {1: 6, 2: 5, 3: None, 4: 0, NOT_PLACED: None},
        "gamma": {1: 6, 2: 0, 3: None, 4: 5, NOT_PLACED: None},
    }
    # alpha_q1-3 and beta: 6 + 5 + 2 businesses; gamma only 6 + 2 (the five are at 4 there).
    assert [(gap.question_id, gap.businesses) for gap in picture.gaps] == [
        ("alpha_q1", 13),
        ("alpha_q2", 13),
        ("alpha_q3", 13),
        ("beta_q1", 13),
        ("beta_q2", 13),
    ]
    assert picture.gaps[0].dimension == "Alpha area"
    assert picture.any_hidden and picture.older_versions == 0


def test_gaps_need_five_businesses(small_defs):
    """Is a gap shared by only four businesses left out of the list?"""
    cohort = [_answers("d")] * 4 + [_answers("d", gamma_q1="a", gamma_q2="a")] * 4
    progress = WorkshopProgress("w1", enrolled=8, started=8, submitted=8)
    picture = cohort_picture(small_defs, progress, _records(cohort))
    assert picture.gaps == []
    assert "No single practice is yet a next step for 5 or more businesses" in dashboard_html(
        picture, {1: "Reactive", 2: "Proactive", 3: "Strategic", 4: "Transformative"}
    )


def test_fewer_than_five_submissions_show_no_distribution(small_defs):
    """With four submissions, are only the progress counts shown, with the reason?"""
    progress = WorkshopProgress("w1", enrolled=9, started=9, submitted=4)
    picture = cohort_picture(small_defs, progress, _records([_answers("a")] * 4))
    assert (picture.shown, picture.levels, picture.heatmap, picture.gaps) == (False, [], [], [])
    html = dashboard_html(
        picture, {1: "Reactive", 2: "Proactive", 3: "Strategic", 4: "Transformative"}
    )
    assert "appears once at least 5 businesses have submitted" in html
    assert "Overall levels" not in html and "Areas by level" not in html


def test_dashboard_html_shows_totals_only(small_defs):
    """Does the page say what is hidden and why, and never name a business?"""
    records = _records(COHORT, version="8.0.0")
    progress = WorkshopProgress("w1", enrolled=20, started=17, submitted=14)
    html = dashboard_html(
        cohort_picture(small_defs, progress, records),
        {1: "Reactive", 2: "Proactive", 3: "Strategic", 4: "Transformative"},
        join_url="http://10.0.0.5:8866/",
        database_url="sqlite:////srv/kit/w1.sqlite",
    )
    assert "<b>17</b>started" in html and "<b>14</b>submitted" in html
    assert "<b>3</b>in progress" in html  # 17 started, 14 of them submitted
    assert "last submission at 00:00" in html
    assert "fewer than 5" in html and "one more group is hidden" in html
    assert (
        "14 submissions answered an older version of the questionnaire; their answers were" in html
    )
    assert "alpha practice 1 at level 1" not in html  # answers never appear
    assert (
        "eakit batch --workshop w1 --database sqlite:////srv/kit/w1.sqlite --out reports/w1"
    ) in html
    assert "<p class='join-url'>http://10.0.0.5:8866/</p>" in html
    assert "<p class='join-code'>w1</p>" in html and "<svg" in html
    for record in records:
        assert record.business_id not in html and record.display_name not in html


def test_dashboard_reads_the_store_and_refreshes(tmp_path, small_defs):
    """Does the dashboard count a submission made after it was drawn, when asked to refresh?"""
    store = Store.open(f"sqlite:///{tmp_path / 'kit.sqlite'}", definitions=small_defs)
    for number, answers in enumerate(COHORT[:5]):
        store.submit("w1", f"smb-{number}", answers, f"key-{number}")
    store.save_draft("w1", "smb-late", {"alpha_q1": "b"})
    dashboard = Dashboard(store, "w1", clock=lambda: datetime(2024, 5, 1, 10, 30), watch=False)
    assert "<b>6</b>started" in dashboard.body.value
    assert "<b>5</b>submitted" in dashboard.body.value
    assert "Updated 10:30:00 (checks every 10 s)" in dashboard.status.value
    dashboard.refresh_button.click()
    assert "No change at 10:30:00" in dashboard.status.value

    store.submit("w1", "smb-late", _answers("a"), "key-late")
    dashboard.refresh_button.click()
    assert "<b>6</b>submitted" in dashboard.body.value
    assert [item.count for item in load_picture(store, "w1").levels] == [6, 0, 0, 0, 0]


def test_dashboard_watches_the_store_by_itself(tmp_path, small_defs):
    """Does an open dashboard pick up a new submission without anyone pressing a button?"""
    store = Store.open(f"sqlite:///{tmp_path / 'kit.sqlite'}", definitions=small_defs)
    dashboard = Dashboard(store, "w1", refresh_seconds=0.05)
    try:
        assert "<b>0</b>submitted" in dashboard.body.value
        store.submit("w1", "smb-1", _answers("a"), "key-1")
        deadline = time.monotonic() + 10
        while "<b>1</b>submitted" not in dashboard.body.value and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "<b>1</b>submitted" in dashboard.body.value
    finally:
        dashboard.stop()


def test_hidden_bars_never_look_longer_than_shown_ones(small_defs):
    """A hatched "fewer than 5" bar stands for at most 4 businesses, so is it drawn no longer
    than a bar of 5 or more?"""
    progress = WorkshopProgress("w1", enrolled=20, started=14, submitted=14)
    html = levels_html(cohort_picture(small_defs, progress, _records(COHORT)))
    hidden = [int(w) for w in re.findall(r"class='bar hidden' style='width:(\d+)%'", html)]
    shown = [int(w) for w in re.findall(r"class='bar' style='width:(\d+)%'", html)]
    assert hidden and shown
    assert max(hidden) == 29  # 4 of 14, the most a hidden group can hold
    assert max(hidden) <= min(w for w in shown if w > 0)


def test_export_holds_the_totals_on_the_page(small_defs):
    """Does the saved CSV carry the room's totals (hidden groups as "fewer than 5") and
    nothing about a single business?"""
    records = _records(COHORT)
    progress = WorkshopProgress("w1", enrolled=20, started=17, submitted=14)
    link = export_html(cohort_picture(small_defs, progress, records))
    assert "download='workshop-w1-figures.csv'" in link
    text = unquote(re.search(r"charset=utf-8,([^']*)'", link).group(1))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["what", "group", "businesses"]
    assert rows[1:4] == [
        ["progress", "started", "17"],
        ["progress", "in progress", "3"],
        ["progress", "submitted", "14"],
    ]
    assert ["overall level", "1 Reactive", "6"] in rows
    assert any(row[2] == "fewer than 5" for row in rows)
    for record in records:
        assert record.business_id not in text and record.display_name not in text


def _team_records(teams: dict[str, list[dict[str, str]]]) -> list[SubmissionRecord]:
    """Each business's respondents' newest submissions (business id -> their answer sets)."""
    when = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        SubmissionRecord(
            id=index,
            workshop="w1",
            business_id=business,
            display_name=business,
            answers=given,
            model_version="9.0.0",
            questionnaire_version="9.1.0",
            submitted_at=when,
            submission_key=f"key-{index}",
            respondent=f"{business}-r{number}",
        )
        for index, (business, number, given) in enumerate(
            (business, number, given)
            for business, sets in teams.items()
            for number, given in enumerate(sets)
        )
    ]


def test_picture_counts_businesses_not_respondents(small_defs):
    """Seven submissions from three businesses: x (levels 1, 4, 4: lower median 4), y (1, 1, 4:
    median 1) and z alone at 2. Does every distribution add up to three businesses, each at
    its combined level? (minimum 1: nothing hidden, so the counts can be read exactly)"""
    teams = {
        "x": [_answers("a"), _answers("d"), _answers("d")],
        "y": [_answers("a"), _answers("a"), _answers("d")],
        "z": [_answers("b")],
    }
    progress = WorkshopProgress("w1", enrolled=3, started=3, submitted=3)
    picture = cohort_picture(small_defs, progress, _team_records(teams), minimum=1)
    assert [(item.level, item.count) for item in picture.levels] == [
        (1, 1),
        (2, 1),
        (3, 0),
        (4, 1),
        (None, 0),
    ]
    assert {row.dimension_id: row.cells for row in picture.heatmap}["beta"] == {
        1: 1,
        2: 1,
        3: 0,
        4: 1,
        NOT_PLACED: 0,
    }


def test_distance_from_targets_hand_computed(small_defs):
    """Six businesses all at level 2. Alpha targets 2, 2, 3, 3, 3, 4: levels short 0, 0, 1, 1,
    1, 2, so with groups under 2 hidden the lone 2-short is hidden and the smallest other
    group (at target: 2) with it. Beta: one target (4: 2 short), five without: the lone one
    hidden, and the five with it. Gamma: nobody, so all six have no target there."""
    records = _records([_answers("b")] * 6)
    alpha = [2, 2, 3, 3, 3, 4]
    targets = {r.business_id: {"alpha": level} for r, level in zip(records, alpha, strict=True)}
    targets[records[0].business_id]["beta"] = 4
    progress = WorkshopProgress("w1", enrolled=6, started=6, submitted=6)
    picture = cohort_picture(small_defs, progress, records, minimum=2, targets=targets)
    assert [(r.dimension_id, r.cells) for r in picture.target_gaps] == [
        ("alpha", {0: None, 1: 3, 2: None, 3: 0, NO_TARGET: 0}),
        ("beta", {0: 0, 1: 0, 2: None, 3: 0, NO_TARGET: None}),
        ("gamma", {0: 0, 1: 0, 2: 0, 3: 0, NO_TARGET: 6}),
    ]
    table = picture_table(picture)[1]
    assert ["target: Alpha area", "1 level(s) below target", 3] in table
    assert ["target: Alpha area", "at or above target", "fewer than 2"] in table


def test_no_distance_from_targets_without_any(small_defs):
    progress = WorkshopProgress("w1", enrolled=6, started=6, submitted=6)
    picture = cohort_picture(small_defs, progress, _records([_answers("b")] * 6))
    assert picture.target_gaps == []


def test_dashboard_shows_distance_from_targets(small_defs):
    """Is the alpha row of the targets table on screen as computed above (hidden groups read
    <2), and is there no such table when nobody set a target?"""
    records = _records([_answers("b")] * 6)
    targets = {
        r.business_id: {"alpha": level}
        for r, level in zip(records, [2, 2, 3, 3, 3, 4], strict=True)
    }
    progress = WorkshopProgress("w1", enrolled=6, started=6, submitted=6)
    labels = {1: "Reactive", 2: "Proactive", 3: "Strategic", 4: "Transformative"}
    html = dashboard_html(cohort_picture(small_defs, progress, records, 2, targets), labels)
    table = html[html.index("How far from their targets") :]
    alpha = re.search(r"<tr><td>Alpha area</td>(.*?)</tr>", table).group(1)
    assert re.findall(r">([^<]*)</td>", alpha) == ["&lt;2", "3", "&lt;2", "0", "0"]
    plain = dashboard_html(cohort_picture(small_defs, progress, records, 2), labels)
    assert "How far from their targets" not in plain
