"""What a business report says, worked out by hand on the small test definitions, and how it
reads as a page (no kernel here: the batch tests run the same code through papermill).

Letters a-d are the options at levels 1-4, so a business answering one letter everywhere sits
at that level in every area. Alpha has four questions, beta and gamma two each.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kit.core.definitions import Definitions
from kit.core.records import SubmissionRecord
from kit.core.scoring import score_valid_answers
from kit.reports.business import report_body, report_view
from kit.reports.context import build_business_report, cohort_medians
from kit.reports.html import page
from tests.html_checks import page_problems, texts

ALPHA = ("alpha_q1", "alpha_q2", "alpha_q3", "alpha_q4")
BETA = ("beta_q1", "beta_q2")
GAMMA = ("gamma_q1", "gamma_q2")
WHEN = datetime(2024, 5, 1, tzinfo=UTC)


def answers(alpha: str, beta: str, gamma: str) -> dict[str, str]:
    return {
        **dict.fromkeys(ALPHA, alpha),
        **dict.fromkeys(BETA, beta),
        **dict.fromkeys(GAMMA, gamma),
    }


def record(
    index: int,
    given: dict[str, str],
    business: str | None = None,
    when: datetime = WHEN,
    workshop: str = "w1",
    **extra: Any,
) -> SubmissionRecord:
    return SubmissionRecord(
        id=index,
        workshop=workshop,
        business_id=business or f"smb-{index:03d}",
        display_name=f"Shop {index}",
        answers=given,
        model_version="9.0.0",
        questionnaire_version="9.1.0",
        submitted_at=when,
        submission_key=f"key-{index}",
        **extra,
    )


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ("abbcd", {"alpha": 2.0, "beta": 2.0, "gamma": 2.0}),  # levels 1,2,2,3,4: median 2
        ("aabbcc", {"alpha": 2.0, "beta": 2.0, "gamma": 2.0}),  # 1,1,2,2,3,3: (2+2)/2
        ("aaabcd", {"alpha": 1.5, "beta": 1.5, "gamma": 1.5}),  # 1,1,1,2,3,4: (1+2)/2
        ("abcd", {}),  # four businesses: too few to compare with
    ],
)
def test_cohort_medians(small_defs: Definitions, letters, expected):
    """Is the median level per area shown only for a cohort of five or more?"""
    placements = [score_valid_answers(small_defs, answers(x, x, x)) for x in letters]
    assert cohort_medians(placements) == expected


def test_median_left_out_for_an_area_too_few_are_placed_in(small_defs: Definitions):
    """With beta not applicable for two of six businesses, is beta's median left out?"""
    na = dict.fromkeys(BETA, "not_applicable")
    sets = [answers(x, x, x) for x in "abcd"] + [{**answers("b", "b", "b"), **na}] * 2
    medians = cohort_medians([score_valid_answers(small_defs, s) for s in sets])
    assert medians == {"alpha": 2.0, "gamma": 2.0}


def test_plan_puts_the_starting_areas_first(small_defs: Definitions):
    """Alpha at 1, beta at 3, gamma at 2: overall Proactive (mean 2, at most one above alpha);
    the starting points are alpha then gamma, and beta follows. Does the plan say so?"""
    report = build_business_report(small_defs, record(1, answers("a", "c", "b")), [], [])
    assert report.level_label == "Proactive"
    assert [(i.name, i.from_label, i.to_label, i.start_here) for i in report.plan] == [
        ("Alpha area", "Reactive", "Proactive", True),
        ("Gamma area", "Proactive", "Strategic", True),
        ("Beta area", "Strategic", "Transformative", False),
    ]
    assert [[r.title for r in i.recommendations] for i in report.plan] == [
        ["Lift alpha to 2"],
        ["Lift gamma to 3"],
        ["Lift beta to 4"],
    ]
    # alpha 1,1,1,1 needs a mean of 1.75: three answers raised to level 2, lowest first
    assert [s.practice for s in report.plan[0].steps] == [
        "alpha practice 1 at level 2",
        "alpha practice 2 at level 2",
        "alpha practice 3 at level 2",
    ]
    assert [reason.name for reason in report.reasons] == ["Alpha area", "Gamma area", "Beta area"]


def test_ladder_marks_the_current_level(small_defs: Definitions):
    """Does the ladder list four levels with exactly the business's level marked?"""
    report = build_business_report(small_defs, record(1, answers("c", "c", "c")), [], [])
    assert [(r.number, r.label, r.here) for r in report.ladder] == [
        (1, "Reactive", False),
        (2, "Proactive", False),
        (3, "Strategic", True),
        (4, "Transformative", False),
    ]


def test_progress_since_the_previous_assessment(small_defs: Definitions):
    """All Reactive before; now alpha at 3, beta at 2, gamma still at 1 (mean 2, so overall
    Proactive): does the report tell that story, oldest workshop included?"""
    before = record(1, answers("a", "a", "a"), "shop", datetime(2024, 1, 5, tzinfo=UTC), "w0")
    now = record(2, answers("c", "b", "a"), "shop")
    report = build_business_report(small_defs, now, [before, now], [now])
    progress = report.progress
    assert (progress.before, progress.after, progress.previous_workshop) == (
        "Reactive",
        "Proactive",
        "w0",
    )
    assert [(c.name, c.before, c.after, c.direction) for c in progress.changes] == [
        ("Alpha area", "Reactive", "Strategic", "up"),
        ("Beta area", "Reactive", "Proactive", "up"),
        ("Gamma area", "Reactive", "Reactive", "same"),
    ]


def test_no_progress_section_for_a_first_assessment(small_defs: Definitions):
    """Is there no progress section when the business has only one assessment?"""
    now = record(2, answers("b", "b", "b"))
    report = build_business_report(small_defs, now, [now], [now])
    assert report.progress is None
    assert "Since your previous assessment" not in report_body(report)


def _cohort(letters: str) -> list[SubmissionRecord]:
    return [record(i, answers(x, x, x)) for i, x in enumerate(letters, start=1)]


@pytest.mark.parametrize(("letters", "compared"), [("abbcd", True), ("abcd", False)])
def test_comparison_only_for_five_or_more(small_defs: Definitions, letters, compared):
    """Does the page show the cohort median column and chart only for five or more businesses,
    and otherwise say why not?"""
    cohort = _cohort(letters)
    body = report_body(build_business_report(small_defs, cohort[0], [cohort[0]], cohort))
    assert ("Cohort median" in body) is compared
    assert ("the median level of the 5 businesses" in body) is compared
    assert ("at least 5 businesses took part" in body) is not compared


def test_page_shows_levels_and_plan_without_code_or_urls(small_defs: Definitions):
    """Does the rendered page carry the levels, the plan, the versions, and nothing that runs
    or loads from elsewhere?"""
    cohort = _cohort("acbbd")
    report = build_business_report(small_defs, cohort[0], [cohort[0]], cohort)
    html = page("title", report_view(report).drawn(small_defs).html)
    assert texts(html, "overall-level") == ["Reactive"]
    assert texts(html, "area-level") == ["Reactive", "Reactive", "Reactive"]
    assert "Lift alpha to 2" in html and "Maturity model 9.0.0" in html
    assert page_problems(html) == []
    assert "<svg" in html and "cdn" not in html.lower()


def test_report_view_carries_title_and_chart_inputs(small_defs: Definitions):
    """Does the notebook output hold the body as HTML, and the page title and the chart's
    inputs as metadata, until the chart is drawn in?"""
    cohort = _cohort("abbcd")
    view = report_view(build_business_report(small_defs, cohort[1], [cohort[1]], cohort))
    data, metadata = view._repr_mimebundle_()
    assert data["text/html"] == view.html and "<!--eakit-chart:profile-->" in view.html
    assert metadata["eakit_report"]["title"] == "Shop 2: ethical automation maturity report"
    assert metadata["eakit_report"]["charts"] == {
        "profile": {
            "answers": answers("b", "b", "b"),
            "cohort_size": 5,
            "language": "en",
            "medians": {"alpha": 2.0, "beta": 2.0, "gamma": 2.0},
            "targets": {},
        }
    }
    drawn = view.drawn(small_defs)
    assert "<!--eakit-chart" not in drawn.html and "<svg" in drawn.html
    assert drawn._repr_mimebundle_()[1]["eakit_report"]["charts"] == {}


@pytest.mark.parametrize(
    ("letters", "index"),
    [
        ("abbcd", 0),
        ("abbcd", 4),
        ("dddcc", 2),  # with the cohort median, various levels
        ("abcd", 1),  # too few to compare: the profile alone
    ],
)
def test_compiled_profile_chart_draws_what_altair_builds(small_defs: Definitions, letters, index):
    """Is the chart compiled once and refilled per business the very SVG that building it
    with Altair for that business gives (same marks, same labels, same description)?"""
    from kit.reports.charts import business_profile, for_print, profile_svg, to_svg

    cohort = _cohort(letters)
    for business in (cohort[index], cohort[0]):  # refill after another business's data
        inputs = report_view(
            build_business_report(small_defs, business, [business], cohort)
        ).charts["profile"]
        assert profile_svg(small_defs, inputs) == to_svg(
            for_print(business_profile(small_defs, inputs))
        )


def test_threads_reaching_their_first_chart_together_compile_it_once(
    small_defs: Definitions, monkeypatch: pytest.MonkeyPatch
):
    """A batch's worker threads all draw their first chart at about the same moment: is the
    chart of a shape compiled once between them (about 0.3 CPU s), and does each thread get
    its own business's chart from it?"""
    import threading

    from kit.reports import charts

    built = []
    real_init = charts.CompiledChart.__init__

    def counted(self, *args):
        built.append(threading.current_thread().name)
        real_init(self, *args)

    monkeypatch.setattr(charts.CompiledChart, "__init__", counted)
    monkeypatch.setattr(charts, "_compiled", {})
    cohort = _cohort("abbcd")
    inputs = [
        report_view(build_business_report(small_defs, business, [business], cohort)).charts[
            "profile"
        ]
        for business in (cohort[0], cohort[4])
    ]
    together = threading.Barrier(2)
    drawn: dict[int, str] = {}

    def draw(index: int) -> None:
        together.wait()
        drawn[index] = charts.profile_svg(small_defs, inputs[index])

    threads = [threading.Thread(target=draw, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    for index in (0, 1):
        alone = charts.to_svg(charts.for_print(charts.business_profile(small_defs, inputs[index])))
        assert drawn[index] == alone
    assert drawn[0] != drawn[1]


def test_chart_svg_is_one_labelled_image(small_defs: Definitions):
    """Does the inline chart tell a screen reader what it is: role img, a title and a text
    description naming the levels and the medians?"""
    cohort = _cohort("abbcd")
    report = build_business_report(small_defs, cohort[0], [cohort[0]], cohort)
    html = report_view(report).drawn(small_defs).html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.startswith(
        '<svg role="img" aria-label="Your level in each area, and the cohort median"'
    )
    assert "<title>Your level in each area, and the cohort median</title>" in svg
    assert (
        "<desc>Bars show this business&#39;s level per area; marks show the median level "
        "of the 5 businesses in the workshop (Alpha area: 2; Beta area: 2; "
        "Gamma area: 2).</desc>"
    ) in svg


@pytest.mark.parametrize("before", [None, "/etc/fonts/fonts.conf"])
def test_chart_engine_leaves_the_font_settings_as_it_found_them(before: str | None):
    """The chart engine loads its fonts under a font configuration of its own: is the
    process's own setting back afterwards, as the browser that prints PDFs (started later,
    from this environment) needs it to find the system's fonts?"""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, os, altair as alt, pandas as pd\n"
        "from kit.reports.charts import to_svg\n"
        "chart = alt.Chart(pd.DataFrame({'area': ['Fairness'], 'level': [2]}))"
        ".mark_bar().encode(y='area:N', x='level:Q')\n"
        "svg = to_svg(chart.properties(title='T'))\n"
        "print(json.dumps([os.environ.get('FONTCONFIG_FILE'), 'Fairness' in svg]))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    if before is not None:
        environment["FONTCONFIG_FILE"] = before
    shown = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert json.loads(shown.stdout) == [before, True]


@pytest.mark.parametrize(
    "cohort",
    [
        {"size": 4, "medians": {"alpha": 2}},  # medians for a group under five
        {"size": 5, "medians": {"delta": 2}},  # an unknown area
        {"size": 5, "medians": {"alpha": 9}},  # no such level
        {"size": "5", "medians": {}},
        {"size": 5},
        None.__class__,  # wrong shapes
    ],
)
def test_cohort_parameter_is_checked(small_defs: Definitions, cohort):
    """Is a cohort parameter that breaks the five-business rule or names unknown areas or
    levels refused with a plain message?"""
    from kit.errors import ReportError
    from kit.reports.business import checked_cohort

    with pytest.raises(ReportError, match="the cohort parameter must be"):
        checked_cohort(small_defs, cohort)


def test_report_from_a_cohort_view_matches_the_report_from_records(small_defs: Definitions):
    """Does a report given the batch's once-computed cohort say exactly what one that scores
    the workshop itself says?"""
    from kit.reports.business import checked_cohort, cohort_parameter
    from kit.reports.context import CohortView

    cohort = _cohort("abbcd")
    given = checked_cohort(small_defs, cohort_parameter(CohortView.of(small_defs, cohort)))
    assert given == CohortView(5, {"alpha": 2.0, "beta": 2.0, "gamma": 2.0})
    one = report_body(build_business_report(small_defs, cohort[2], [cohort[2]], cohort, WHEN))
    two = report_body(build_business_report(small_defs, cohort[2], [cohort[2]], given, WHEN))
    assert one == two
