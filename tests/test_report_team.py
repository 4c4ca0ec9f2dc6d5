"""The business report for a team: targets, several respondents, notes and links, sign-off.

Worked out by hand on the small test definitions (letters a-d are the options at levels 1-4;
alpha has four questions, beta and gamma two each; see tests/test_reports.py). Each test reads
the page the way a browser would, so it checks what a reader sees, not only the data behind it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kit.core.definitions import Definitions
from kit.core.records import AnswerNote, ReviewRecord
from kit.reports.business import report_body, report_view
from kit.reports.context import build_business_report
from kit.reports.html import page
from tests.html_checks import page_problems, read_page, texts
from tests.test_reports import _cohort, answers, record

JAN = datetime(2024, 1, 5, tzinfo=UTC)


def _page(small_defs: Definitions, report) -> str:
    return page("title", report_view(report).drawn(small_defs).html)


def test_targets_order_the_plan_by_gap(small_defs: Definitions):
    """Alpha at 1, beta at 3, gamma at 2 (overall Proactive); targets alpha 2, beta 3, gamma 4.
    Gamma is two levels short, alpha one, beta there already: is the plan gamma then alpha,
    with beta left out and said to be at its target, and does the table show each target?"""
    now = record(1, answers("a", "c", "b"))
    report = build_business_report(
        small_defs, now, [now], [], targets={"alpha": 2, "beta": 3, "gamma": 4}
    )
    assert [(i.name, i.gap, i.target_label, i.start_here) for i in report.plan] == [
        ("Gamma area", 2, "Transformative", True),
        ("Alpha area", 1, "Proactive", False),
    ]
    html = _page(small_defs, report)
    assert texts(html, "area-target") == ["Proactive", "Strategic", "Transformative"]
    assert texts(html, "area-gap") == ["1", "reached", "2"]
    assert texts(html, "plan-target") == [
        "Your target: Transformative, 2 levels to go.",
        "Your target: Proactive, 1 level to go.",
    ]
    assert texts(html, "at-target") == [
        "At or above your target already: Beta area. The plan leaves it where it is."
    ]


def test_areas_without_a_target_follow_the_targeted_ones(small_defs: Definitions):
    """Only gamma has a target (3, one level up): does gamma come first, then alpha and beta
    in the usual order (alpha is a starting point, beta is not)?"""
    now = record(1, answers("a", "c", "b"))
    report = build_business_report(small_defs, now, [now], [], targets={"gamma": 3})
    assert [(i.name, i.gap) for i in report.plan] == [
        ("Gamma area", 1),
        ("Alpha area", None),
        ("Beta area", None),
    ]


def test_no_target_columns_without_targets(small_defs: Definitions):
    """A business that set no target sees the report as before: no target columns, no
    progress towards targets."""
    now = record(1, answers("a", "c", "b"))
    body = report_body(build_business_report(small_defs, now, [now], []))
    assert "Levels to go" not in body and "Progress towards your targets" not in body


def test_progress_towards_the_targets_across_assessments(small_defs: Definitions):
    """All Reactive in January (w0); now alpha at 3, beta at 2, gamma at 1. Targets alpha 3,
    gamma 2: then 2 + 1 = 3 levels to go, now 0 + 1 = 1. Does the table say so, row by row?"""
    before = record(1, answers("a", "a", "a"), "shop", JAN, "w0")
    now = record(2, answers("c", "b", "a"), "shop")
    report = build_business_report(
        small_defs, now, [before, now], [now], targets={"alpha": 3, "gamma": 2}
    )
    html = _page(small_defs, report)
    cells = texts(html, "towards-cell")
    assert [cells[:4], cells[4:8], cells[8:12], cells[12:]] == [
        ["Area", "Target", "5 January 2024, workshop w0", "1 May 2024, this assessment"],
        ["Alpha area", "Strategic", "Reactive", "Strategic"],
        ["Gamma area", "Proactive", "Reactive", "Reactive"],
        ["Levels to go", "3", "1"],
    ]


# Three respondents for one business in w1. Levels per question: alpha 1, 4, 2 (spread 3),
# beta 1, 2, 2 and gamma 1, 2, 1 (spread 1). Lower medians: alpha 2, beta 2, gamma 1, so alpha
# and beta are Proactive, gamma Reactive, overall mean 5/3 < 1.75: Reactive.
TEAM = {
    "resp-anna": answers("a", "a", "a"),
    "resp-bilal": answers("d", "b", "b"),
    "resp-chen": answers("b", "b", "a"),
}


def _team(**extra_by_code) -> list:
    return [
        record(
            i,
            given,
            "shop",
            WHEN_TEAM,
            respondent=code,
            role="staff",
            **extra_by_code.get(code, {}),
        )
        for i, (code, given) in enumerate(TEAM.items(), start=1)
    ]


WHEN_TEAM = datetime(2024, 5, 1, tzinfo=UTC)


def test_several_respondents_combined_and_disagreements_flagged(small_defs: Definitions):
    """Does the report rest on all three, say so, place the business on the lower medians,
    and list the four alpha questions (answers three levels apart) as things to talk through,
    with the counted answer and no respondent's code anywhere?"""
    team = _team()
    report = build_business_report(small_defs, team[-1], team, team)
    assert report.respondents == 3
    assert [a.status for a in report.areas] == ["Proactive", "Proactive", "Reactive"]
    html = _page(small_defs, report)
    assert texts(html, "overall-level") == ["Reactive"]
    assert "combines the answers of 3 respondents" in texts(html, "respondents")[0]
    assert [" ".join(t.split()) for t in texts(html, "disagreement")] == [
        f"Alpha question {n}? (Alpha area; counted: alpha practice {n} at level 2)"
        for n in range(1, 5)
    ]
    assert [code for code in TEAM if code in html] == []


def test_one_respondent_says_so_and_flags_nothing(small_defs: Definitions):
    now = record(1, answers("a", "c", "b"))
    html = _page(small_defs, build_business_report(small_defs, now, [now], []))
    assert texts(html, "respondents") == ["This placement rests on the answers of one respondent."]
    assert texts(html, "disagreement") == []


def test_an_earlier_submission_of_the_same_respondent_is_replaced(small_defs: Definitions):
    """Anna first answered all d, then all a: is only her newer answer counted (one
    respondent, Reactive), with no progress section for the same workshop?"""
    first = record(1, answers("d", "d", "d"), "shop", JAN, respondent="resp-anna")
    second = record(2, answers("a", "a", "a"), "shop", respondent="resp-anna")
    report = build_business_report(small_defs, second, [first, second], [second])
    assert (report.respondents, report.level_label, report.progress) == (1, "Reactive", None)


def test_notes_and_links_show_next_to_their_answers(small_defs: Definitions):
    """Anna's note on alpha_q1 and Bilal's link on beta_q1 appear under those answers, as
    text; the https link is a link that opens nothing else, the javascript: one (refused on
    entry, but the report must not trust that) stays plain text."""
    notes = {
        "resp-anna": {
            "notes": {"alpha_q1": AnswerNote("<script>alert(1)</script>", "javascript:alert(1)")}
        },
        "resp-bilal": {
            "notes": {
                "beta_q1": AnswerNote("Policy on the wiki", "https://example.org/p?a=1&b=<2>")
            }
        },
    }
    team = _team(**notes)
    html = _page(small_defs, build_business_report(small_defs, team[-1], team, team))
    assert texts(html, "answer-note") == ["<script>alert(1)</script>", "Policy on the wiki"]
    assert texts(html, "answer-link") == ["javascript:alert(1)", "https://example.org/p?a=1&b=<2>"]
    links = [dict(attrs) for tag, attrs in read_page(html).tags if tag == "a"]
    assert links == [
        {
            "class": "answer-link",
            "href": "https://example.org/p?a=1&b=<2>",
            "rel": "noopener noreferrer nofollow",
        }
    ]
    assert page_problems(html) == []
    answers_text = " ".join(" ".join(texts(html, "answers")[0].split()).split())
    assert (
        "Alpha question 1? alpha practice 1 at level 2 <script>alert(1)</script> "
        "javascript:alert(1)"
    ) in answers_text
    assert "Beta question 1? beta practice 1 at level 2 Policy on the wiki https://" in answers_text


REVIEW = ReviewRecord(
    1,
    "Dana <b>Facilitator</b>",
    "Checked <i>with</i> the owner",
    datetime(2024, 5, 3, 9, 30, tzinfo=UTC),
)


def test_reviewed_report_names_the_reviewer_and_date(small_defs: Definitions):
    now = record(1, answers("b", "b", "b"), review=REVIEW)
    html = _page(small_defs, build_business_report(small_defs, now, [now], []))
    assert [" ".join(t.split()) for t in texts(html, "reviewed")] == [
        "Reviewed by Dana <b>Facilitator</b> on 3 May 2024: Checked <i>with</i> the owner"
    ]
    assert texts(html, "unreviewed") == []


@pytest.mark.parametrize("reviewed_first", [True, False])
def test_a_later_submission_is_self_assessed_until_reviewed(
    small_defs: Definitions, reviewed_first: bool
):
    """The first submission was reviewed (or not); the business answered again. Does the
    report on the new answers say "Self-assessed, not yet reviewed"?"""
    first = record(
        1, answers("a", "a", "a"), "shop", JAN, review=REVIEW if reviewed_first else None
    )
    second = record(2, answers("b", "b", "b"), "shop")
    html = _page(small_defs, build_business_report(small_defs, second, [first, second], []))
    assert texts(html, "unreviewed") == ["Self-assessed, not yet reviewed"]
    assert texts(html, "reviewed") == []


def test_partly_reviewed_team_says_how_many_await(small_defs: Definitions):
    """Two of three respondents' answers reviewed: still self-assessed, one awaits."""
    team = _team(**{"resp-anna": {"review": REVIEW}})
    html = _page(small_defs, build_business_report(small_defs, team[-1], team, team))
    assert [" ".join(t.split()) for t in texts(html, "unreviewed")] == [
        "Self-assessed, not yet reviewed (the newest answers of 2 respondents still await a review)"
    ]


def test_chart_marks_targets_and_says_so(small_defs: Definitions):
    """With cohort medians and targets, is the one profile chart titled for both, and does
    its description name each target level? Drawn from the compiled chart, is it the very SVG
    Altair builds?"""
    from kit.reports.charts import business_profile, for_print, profile_svg, to_svg

    cohort = _cohort("abbcd")
    report = build_business_report(
        small_defs, cohort[0], [cohort[0]], cohort, targets={"alpha": 3, "gamma": 2}
    )
    inputs = report_view(report).charts["profile"]
    svg = profile_svg(small_defs, inputs)
    assert svg == to_svg(for_print(business_profile(small_defs, inputs)))
    assert "<title>Your level in each area, your target and the cohort median</title>" in svg
    assert (
        "Diamonds mark the target level in each area with one (Alpha area: 3; Gamma "
        "area: 2).</desc>"
    ) in svg
    alone = build_business_report(small_defs, cohort[1], [cohort[1]], [], targets={"beta": 4})
    svg = profile_svg(small_defs, report_view(alone).charts["profile"])
    assert "<title>Your level in each area, and your target</title>" in svg
    assert "(Beta area: 4).</desc>" in svg


def test_summary_shows_distance_from_targets(tmp_path):
    """The sample cohort's 16 businesses in a real store, each aiming for level 3 in the first
    area, where they sit at 2, 1, 3, 3, 2, 4, 4, 2, 3, 1, 1, 3, 1, 3, 1, 3: 8 at or above the
    target, 3 one level short, 5 two short. The lone small group (3) is hidden, and the
    smallest other (5) with it. Every other area: 16 with no target. No name appears."""
    from kit.core.definitions import bundled_definitions
    from kit.paths import SAMPLE_COHORT
    from kit.reports.summary import build_summary, summary_page
    from kit.store.database import Store
    from kit.tables.cohort_file import read_cohort

    definitions = bundled_definitions()
    rows = read_cohort(SAMPLE_COHORT, definitions).rows
    first = definitions.model.dimensions[0].id
    with Store.open(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        for row in rows:
            store.ensure_business("w", row.business_id, row.business_name)
            store.submit("w", row.business_id, row.answers, f"key-{row.business_id}")
            store.set_targets(row.business_id, {first: 3})
        html = summary_page(build_summary(store, "w"), {1: "a", 2: "b", 3: "c", 4: "d"})
    cells = texts(html, "distance-cell")
    others = len(definitions.model.dimensions) - 1
    assert cells == ["8", "<5", "<5", "0", "0"] + ["0", "0", "0", "0", "16"] * others
    assert [row.business_name for row in rows if row.business_name in html] == []


@pytest.mark.parametrize(
    ("link", "linked"),
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https:no-host", False),
        ("http://[broken", False),
        ("//example.org/no-scheme", False),
    ],
)
def test_only_http_links_with_a_host_are_links(small_defs: Definitions, link, linked):
    """Whatever reached the store, is a link clickable only when it is http(s) with a host,
    and otherwise shown as the text it is?"""
    now = record(1, answers("b", "b", "b"), notes={"alpha_q1": AnswerNote("", link)})
    html = _page(small_defs, build_business_report(small_defs, now, [now], []))
    anchors = [dict(attrs)["href"] for tag, attrs in read_page(html).tags if tag == "a"]
    assert anchors == ([link] if linked else [])
    assert texts(html, "answer-link") == [link]
    assert page_problems(html) == []


def test_tied_gaps_start_with_the_areas_spelled_out():
    """A sample business at level 2 in all nine areas, aiming for 4 everywhere: every area is
    two levels short. Are all nine in the plan, but only the first three (its starting points,
    spelled out in full) marked "start here"?"""
    from kit.core.definitions import bundled_definitions
    from kit.paths import SAMPLE_COHORT
    from kit.tables.cohort_file import read_cohort

    definitions = bundled_definitions()
    row = read_cohort(SAMPLE_COHORT, definitions).rows[4]  # smb-005: level 2 everywhere
    now = record(1, row.answers)
    targets = dict.fromkeys(definitions.dimensions, 4)
    report = build_business_report(definitions, now, [now], [], targets=targets)
    assert [i.gap for i in report.plan] == [2] * 9
    assert [(i.start_here, i.detailed) for i in report.plan] == [(True, True)] * 3 + [
        (False, False)
    ] * 6
