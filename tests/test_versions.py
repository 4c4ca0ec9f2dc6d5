"""Questionnaire versions: answers given under 9.1.0 carried to 9.2.0 through the fixture
migration (one change of each kind), and every way of breaking a migration named plainly.

Expected answers are worked out by hand from tests/fixtures/versions (see the comments there).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kit.batch.inputs import check_records
from kit.core.cohort_stats import cohort_picture
from kit.core.definitions import Definitions, load_definitions
from kit.core.privacy import load_privacy_notice
from kit.core.records import SubmissionRecord, WorkshopProgress
from kit.core.respondents import place_business
from kit.core.versions import carry_forward, history_for, read_history
from kit.errors import DefinitionError, VersionError
from kit.forms.assessment import AssessmentForm
from kit.reports.business import report_body
from kit.reports.context import build_business_report
from kit.store.database import Store
from kit.store.importer import import_cohort
from kit.tables.cohort_file import read_cohort
from tests.conftest import FIXTURES, fixture_files, run_cli

VERSIONS = FIXTURES / "versions"
MIGRATION = "9.1.0-to-9.2.0.yaml"


@pytest.fixture(scope="module")
def two_versions() -> Definitions:
    return load_definitions(fixture_files(VERSIONS))


@pytest.fixture
def versions_copy(tmp_path: Path) -> Path:
    target = tmp_path / "versions"
    shutil.copytree(VERSIONS, target)
    return target


def problems_of(folder: Path) -> str:
    definitions = load_definitions(fixture_files(folder))
    with pytest.raises(DefinitionError) as caught:
        read_history(folder / "questionnaire_versions", definitions.questionnaire)
    return "\n".join(caught.value.problems)


def test_every_kind_of_change_carries_answers_as_declared(two_versions):
    old = {
        "alpha_q1": "c",  # renamed to alpha_policy, same option ids
        "alpha_q2": "d",  # merged with alpha_q3: lowest level (2) -> alpha_review "b"
        "alpha_q3": "b",
        "alpha_q4": "b",  # options re-anchored: b -> a
        "beta_q1": "c",  # split by level (3): beta_data "c", beta_consent "y"
        "beta_q2": "a",  # named by no change: kept
        "gamma_q1": "d",  # removed
        "gamma_q2": "dont_know",  # kept, "don't know" stays "don't know"
    }
    carried = carry_forward(two_versions, old, "9.1.0")
    assert carried.answers == {
        "alpha_policy": "c",
        "alpha_review": "b",
        "alpha_q4": "a",
        "beta_data": "c",
        "beta_consent": "y",
        "beta_q2": "a",
        "gamma_q2": "dont_know",
    }
    assert (carried.from_version, carried.to_version) == ("9.1.0", "9.2.0")
    assert carried.dropped == ["gamma_q1"]
    # gamma lost gamma_q1 and gained gamma_q3; alpha and beta kept their content.
    assert carried.not_comparable == ["gamma"]
    assert "alpha_q2, alpha_q3 -> alpha_review (merge)" in carried.mapped


def test_merge_and_split_handle_dont_know_and_not_applicable(two_versions):
    carried = carry_forward(
        two_versions,
        {"alpha_q2": "dont_know", "alpha_q3": "d", "beta_q1": "not_applicable"},
        "9.1.0",
    )
    # One merged source unknown: the merged practice cannot be confirmed.
    assert carried.answers["alpha_review"] == "dont_know"
    # beta_data offers "not applicable", beta_consent does not: left unanswered there.
    assert carried.answers["beta_data"] == "not_applicable"
    assert "beta_consent" not in carried.answers
    assert carried.dropped == ["beta_consent"]


def test_current_answers_pass_unchanged(two_versions):
    answers = {"alpha_policy": "a", "gamma_q3": "d"}
    carried = carry_forward(two_versions, answers, "9.2.0")
    assert carried.answers == answers and not carried.moved and carried.not_comparable == []


def test_an_unknown_version_is_named_with_the_known_ones(two_versions):
    with pytest.raises(VersionError) as caught:
        carry_forward(two_versions, {"alpha_q1": "a"}, "8.0.0")
    message = str(caught.value)
    assert "'8.0.0' is not known" in message and "9.1.0, 9.2.0" in message
    assert "kept as stored" in message


def test_the_fixture_history_and_the_bundled_one_validate(two_versions):
    assert history_for(two_versions).known == ["9.1.0", "9.2.0"]
    result = run_cli("validate", str(VERSIONS))
    assert result.returncode == 0, result.stderr
    assert "all valid" in result.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_unknown_question_and_option_are_named_with_file_and_line(versions_copy):
    migration = versions_copy / "questionnaire_versions" / MIGRATION
    _edit(migration, "from: alpha_q1, to: alpha_policy", "from: alpha_q9, to: alpha_policy")
    _edit(migration, "options: {b: a, c: b, d: c}", "options: {b: a, c: b, e: c}")
    problems = problems_of(versions_copy)
    assert f"{MIGRATION}:7: changes[0]: unknown question 'alpha_q9' in version 9.1.0" in problems
    assert "option 'e' is not an option of 'alpha_q4' in the older version" in problems
    # alpha_q1 is now named by nothing and is not in 9.2.0.
    assert "question 'alpha_q1' of version 9.1.0 is not in version 9.2.0" in problems


def test_options_that_land_nowhere_are_refused(versions_copy):
    migration = versions_copy / "questionnaire_versions" / MIGRATION
    _edit(
        migration,
        "to: [beta_data, beta_consent], options: by_level",
        "to: [beta_data, beta_consent]",
    )
    problems = problems_of(versions_copy)
    assert "option 'a' of 'beta_q1' maps to 'a', which 'beta_consent' does not have" in problems


def test_a_new_question_without_a_source_is_refused(versions_copy):
    _edit(
        versions_copy / "questionnaire_versions" / MIGRATION, "  - {kind: add, to: gamma_q3}\n", ""
    )
    problems = problems_of(versions_copy)
    assert "question 'gamma_q3' of version 9.2.0 has no source" in problems


def test_a_change_of_the_wrong_shape_is_refused(versions_copy):
    migration = versions_copy / "questionnaire_versions" / MIGRATION
    _edit(
        migration,
        "from: [alpha_q2, alpha_q3], to: alpha_review",
        "from: [alpha_q2], to: alpha_review",
    )
    problems = problems_of(versions_copy)
    assert "a merge takes several question(s) in 'from'" in problems


def _earlier(folder: Path, version: str) -> None:
    """Another earlier questionnaire, the same questions as 9.1.0."""
    source = folder / "questionnaire_versions" / "9.1.0.yaml"
    text = source.read_text(encoding="utf-8").replace('version: "9.1.0"', f'version: "{version}"')
    (folder / "questionnaire_versions" / f"{version}.yaml").write_text(text, encoding="utf-8")


def _step(folder: Path, older: str, newer: str) -> None:
    text = f'schema_version: 1\nfrom_version: "{older}"\nto_version: "{newer}"\n'
    (folder / "questionnaire_versions" / f"{older}-to-{newer}.yaml").write_text(text)


def test_a_gap_in_the_chain_is_named(versions_copy):
    _earlier(versions_copy, "9.0.0")
    problems = problems_of(versions_copy)
    assert "gap: no migration from version 9.0.0" in problems


def test_a_cycle_of_versions_is_named(versions_copy):
    _earlier(versions_copy, "9.0.0")
    _earlier(versions_copy, "9.0.5")
    _step(versions_copy, "9.0.0", "9.0.5")
    _step(versions_copy, "9.0.5", "9.0.0")
    problems = problems_of(versions_copy)
    assert "cycle: 9.0.0 -> 9.0.5 -> 9.0.0" in problems


def test_eakit_validate_reports_a_broken_migration(versions_copy):
    _edit(versions_copy / "questionnaire_versions" / MIGRATION, "to: gamma_q3", "to: gamma_q9")
    result = run_cli("validate", str(versions_copy))
    assert result.returncode == 1
    assert "unknown question 'gamma_q9' in version 9.2.0" in result.stderr
    alone = run_cli("validate", str(versions_copy / "questionnaire_versions" / MIGRATION))
    assert alone.returncode == 1 and "gamma_q9" in alone.stderr


OLD_ANSWERS = {
    "alpha_q1": "c",
    "alpha_q2": "d",
    "alpha_q3": "b",
    "alpha_q4": "b",
    "beta_q1": "c",
    "beta_q2": "a",
    "gamma_q1": "d",
    "gamma_q2": "dont_know",
}
NEW_ANSWERS = {
    **dict.fromkeys(
        ["alpha_policy", "alpha_review", "alpha_q4", "beta_data", "beta_q2", "gamma_q2"], "c"
    ),
    "beta_consent": "y",
    "gamma_q3": "c",
}


def stored(
    index: int,
    answers: dict[str, str],
    version: str,
    day: int,
    workshop: str = "w1",
    business: str = "smb-001",
) -> SubmissionRecord:
    """A stored submission (in an earlier workshop: an earlier assessment)."""
    return SubmissionRecord(
        id=index,
        workshop=workshop,
        business_id=business,
        display_name="Shop",
        answers=answers,
        model_version="9.0.0",
        questionnaire_version=version,
        submitted_at=datetime(2026, 3, day, tzinfo=UTC),
        submission_key=f"key-{index}",
    )


def test_the_report_compares_across_versions_and_names_what_cannot_be(two_versions):
    earlier = stored(1, OLD_ANSWERS, "9.1.0", 1, workshop="w0")
    now = stored(2, NEW_ANSWERS, "9.2.0", 9)
    report = build_business_report(two_versions, now, [earlier, now], [now])
    progress = report.progress
    # Carried: alpha 3, 2, 1 (mean 2: Proactive); beta 3, 3, 1 (mean 7/3: Proactive);
    # gamma "don't know" only (level 1); overall the mean of the scores, (2 + 7/3 + 1) / 3
    # = 16/9, reaches 1.75 and sits one above gamma: Proactive.
    # Now every answer is at level 3: Strategic everywhere.
    assert (progress.before, progress.after) == ("Proactive", "Strategic")
    assert [(c.name, c.direction) for c in progress.changes] == [
        ("Alpha area", "up"),
        ("Beta area", "up"),
    ]
    assert "Gamma area" in progress.not_comparable and "9.1.0" in progress.not_comparable
    body = report_body(report)
    assert "cannot be compared" in body
    assert earlier.answers == OLD_ANSWERS  # the stored record is read, never rewritten


def test_a_report_on_an_old_submission_places_it_on_the_current_questionnaire(two_versions):
    report = build_business_report(two_versions, stored(1, OLD_ANSWERS, "9.1.0", 1), [], [])
    assert report.placement.questionnaire_version == "9.2.0"
    assert report.answered_version == "9.1.0"
    assert report.placement.rejected == []
    assert report.placement.dimension("alpha").level == 2


def test_an_earlier_submission_of_an_unknown_version_compares_nothing(two_versions):
    earlier = stored(1, {"alpha_q1": "d"}, "8.0.0", 1, workshop="w0")
    now = stored(2, NEW_ANSWERS, "9.2.0", 9)
    progress = build_business_report(two_versions, now, [earlier, now], [now]).progress
    assert progress.changes == []
    assert "Alpha area, Beta area, Gamma area" in progress.not_comparable


def test_a_spreadsheet_from_the_older_template_imports_with_a_note(two_versions, tmp_path):
    sheet = tmp_path / "old_cohort.csv"
    header = ["business_id", "business_name", *OLD_ANSWERS]
    rows = [
        ["smb-001", "Corner Shop", *OLD_ANSWERS.values()],
        ["smb-002", "Bakery", "a", "b", "c", "z", "a", "a", "a", "a"],  # alpha_q4 "z": unknown
    ]
    sheet.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}", two_versions)
    summary = import_cohort(store, sheet, "w1")
    assert (summary.stored, summary.rejected_rows) == (1, 1)
    assert any("row 3, column 'alpha_q4': unknown answer 'z'" in p for p in summary.problems)
    (note,) = [n for n in summary.notes if "given under questionnaire version 9.1.0" in n]
    assert "alpha_q1 -> alpha_policy" in note and "gamma_q1 dropped" in note
    assert "carried to 9.2.0" in note
    (stored_row,) = store.latest_submissions("w1")
    assert stored_row.questionnaire_version == "9.2.0"
    assert stored_row.answers == {
        "alpha_policy": "c",
        "alpha_review": "b",
        "alpha_q4": "a",
        "beta_data": "c",
        "beta_consent": "y",
        "beta_q2": "a",
        "gamma_q2": "dont_know",
    }


def test_a_current_template_imports_without_a_version_note(two_versions, tmp_path):
    sheet = tmp_path / "cohort.csv"
    sheet.write_text("business_id,alpha_policy,gamma_q3\nsmb-001,a,d\n", encoding="utf-8")
    cohort = read_cohort(sheet, two_versions)
    assert [r.answers for r in cohort.rows] == [{"alpha_policy": "a", "gamma_q3": "d"}]
    assert not any("given under questionnaire version" in n for n in cohort.notes)


def test_a_draft_saved_under_the_older_version_is_carried_forward(
    small_defs, two_versions, tmp_path
):
    """small_defs is questionnaire 9.1.0; the kit then moves to 9.2.0 and the participant
    comes back to finish."""
    url = f"sqlite:///{tmp_path / 'drafts.sqlite'}"
    with Store.open(url, definitions=small_defs) as store:
        store.record_consent("w1", "smb-001", load_privacy_notice().version)
        store.save_draft("w1", "smb-001", {"alpha_q2": "c", "alpha_q3": "d", "beta_q1": "b"})
    with Store.open(url, definitions=two_versions) as store:
        form = AssessmentForm(two_versions, store, workshop="w1", business_id="smb-001")
        assert form.stage == "questions"
        # merge: lowest of levels 3 and 4 -> "c"; split by level 2 -> "b" and "x".
        assert form.questions.area_of("alpha_review").values["alpha_review"] == "c"
        assert form.questions.area_of("beta_data").values["beta_data"] == "b"
        assert form.questions.area_of("beta_consent").values["beta_consent"] == "x"
        assert "earlier version of these questions (9.1.0)" in form.questions.notice.value
        assert form.save_draft()
        assert store.load_draft("w1", "smb-001") == {
            "alpha_review": "c",
            "beta_data": "b",
            "beta_consent": "x",
        }


def test_a_draft_keeps_its_version_so_a_remapped_option_is_carried(
    small_defs, two_versions, tmp_path
):
    """alpha_q4 keeps its id in 9.2.0 but its options move down (b -> a), so only the version
    saved with the draft tells that "b" was given under 9.1.0."""
    url = f"sqlite:///{tmp_path / 'drafts.sqlite'}"
    with Store.open(url, definitions=small_defs) as store:
        store.record_consent("w1", "smb-001", load_privacy_notice().version)
        store.save_draft("w1", "smb-001", {"alpha_q4": "b"})
        assert store.draft_version("w1", "smb-001") == "9.1.0"
    with Store.open(url, definitions=two_versions) as store:
        form = AssessmentForm(two_versions, store, workshop="w1", business_id="smb-001")
        assert form.questions.area_of("alpha_q4").values["alpha_q4"] == "a"
        assert "earlier version of these questions (9.1.0)" in form.questions.notice.value
        assert form.save_draft()
        assert store.load_draft("w1", "smb-001") == {"alpha_q4": "a"}
        assert store.draft_version("w1", "smb-001") == "9.2.0"


def test_answers_exported_from_a_form_tool_import(two_versions, tmp_path):
    """A KoboToolbox-style export of the form `eakit xlsform` writes: group paths, the
    version on every row, bookkeeping columns; one row names a version the kit lacks."""
    header = [
        "start",
        "business_id",
        "business_name",
        "questionnaire_version",
        "alpha/alpha_policy",
        "alpha/alpha_review",
        "beta-beta_consent",  # ODK Central joins group and name with a hyphen
        "gamma/gamma_q3",
        "_id",
        "_submission_time",
    ]
    rows = [
        [
            "2026-03-01T10:00",
            "smb-001",
            "Corner Shop",
            "9.2.0",
            "b",
            "c",
            "z",
            "dont_know",
            "17",
            "x",
        ],
        ["2026-03-01T11:00", "smb-002", "Bakery", "8.0.0", "a", "a", "w", "a", "18", "x"],
    ]
    sheet = tmp_path / "kobo_export.csv"
    sheet.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}", two_versions)
    summary = import_cohort(store, sheet, "w1")
    assert (summary.stored, summary.rejected_rows) == (1, 1)
    (problem,) = summary.problems
    assert "row 3: questionnaire version '8.0.0' is not known to this kit" in problem
    assert "the row was not read" in problem
    assert any(
        "bookkeeping column(s) were not read: _id, _submission_time, start" in n
        for n in summary.notes
    )
    (stored_row,) = store.latest_submissions("w1")
    assert stored_row.answers == {
        "alpha_policy": "b",
        "alpha_review": "c",
        "beta_consent": "z",
        "gamma_q3": "dont_know",
    }


def test_the_cohort_picture_counts_older_submissions_carried_forward(two_versions):
    """Ten businesses: five answered 9.2.0 at level 3 throughout, five answered 9.1.0 as in
    OLD_ANSWERS (Proactive once carried, see above)."""
    cohort = [stored(i, NEW_ANSWERS, "9.2.0", 9, business=f"smb-{i}") for i in range(5)]
    cohort += [stored(i, OLD_ANSWERS, "9.1.0", 1, business=f"smb-{i}") for i in range(5, 10)]
    progress = WorkshopProgress("w1", enrolled=10, started=10, submitted=10)
    picture = cohort_picture(two_versions, progress, cohort)
    assert picture.older_versions == 5
    counts = {item.label: item.count for item in picture.levels}
    assert (counts["Proactive"], counts["Strategic"]) == (5, 5)
    assert sum(counts.values()) == 10  # none left unplaced


def test_a_stored_submission_of_an_unknown_version_is_set_aside_not_lost(
    small_defs, two_versions, tmp_path
):
    """Stored under 9.1.0, then read by a kit whose only version is 9.2.0 (no history)."""
    url = f"sqlite:///{tmp_path / 'unknown.sqlite'}"
    with Store.open(url, definitions=small_defs) as store:
        store.submit("w1", "smb-001", OLD_ANSWERS, "key-1")
    lone = tmp_path / "lone"
    shutil.copytree(VERSIONS, lone)
    shutil.rmtree(lone / "questionnaire_versions")
    with Store.open(url, definitions=load_definitions(fixture_files(lone))) as store:
        records = store.latest_submissions("w1")
        good, rejected = check_records(store, records)
        assert good == []
        (set_aside,) = rejected
        assert "questionnaire version '9.1.0' is not known to this kit (it knows 9.2.0)" in (
            set_aside.reason
        )
        assert store.history("smb-001")[0].answers == OLD_ANSWERS  # nothing stored is lost
    with Store.open(url, definitions=two_versions) as store:
        good, rejected = check_records(store, store.latest_submissions("w1"))
        assert [r.business_id for r in good] == ["smb-001"] and rejected == []


def test_a_question_kept_and_also_given_by_a_change_is_refused(versions_copy):
    _edit(
        versions_copy / "questionnaire_versions" / MIGRATION,
        "  - {kind: add, to: gamma_q3}\n",
        "  - {kind: add, to: gamma_q3}\n  - {kind: rename, from: gamma_q1, to: gamma_q2}\n",
    )
    _edit(
        versions_copy / "questionnaire_versions" / MIGRATION,
        "  - {kind: remove, from: gamma_q1}\n",
        "",
    )
    problems = problems_of(versions_copy)
    assert "question 'gamma_q2' is kept under its id and also given by change 6" in problems


def test_a_question_moved_to_another_area_makes_both_incomparable(versions_copy):
    _edit(
        versions_copy / "questionnaire.yaml",
        "  - id: gamma_q2\n    dimension: gamma",
        "  - id: gamma_q2\n    dimension: beta",
    )
    definitions = load_definitions(fixture_files(versions_copy))
    carried = carry_forward(definitions, {"beta_q2": "b"}, "9.1.0")
    # gamma_q2 kept its id but moved from gamma to beta: neither area compares.
    assert carried.not_comparable == ["beta", "gamma"]


def test_a_question_named_by_two_changes_is_refused(versions_copy):
    _edit(
        versions_copy / "questionnaire_versions" / MIGRATION,
        "  - {kind: add, to: gamma_q3}\n",
        "  - {kind: add, to: gamma_q3}\n  - {kind: remove, from: alpha_q1}\n",
    )
    problems = problems_of(versions_copy)
    assert "changes[6]: 'alpha_q1' is already changed by change 1" in problems


def test_respondents_on_different_versions_are_combined_on_the_current_one(two_versions):
    """Two respondents of one business: r1 answered 9.1.0 (OLD_ANSWERS), r2 answered 9.2.0 at
    level 3 throughout. With two answers the lower median is the lower one."""
    first = replace(stored(1, OLD_ANSWERS, "9.1.0", 1), respondent="r1")
    second = replace(stored(2, NEW_ANSWERS, "9.2.0", 9), respondent="r2")
    placed = place_business(two_versions, [first, second])
    assert placed.respondents == 2 and placed.placement.rejected == []
    # alpha_review: r1 carried to level 2 (merge), r2 level 3 -> 2; alpha_q4: r1 carried to
    # level 1 (b -> a), r2 3 -> 1; gamma_q3 only r2 answered (new in 9.2.0).
    counted = {a.question.id: a.answer for d in placed.placement.dimensions for a in d.held_back_by}
    assert counted["alpha_review"] == "b" and counted["alpha_q4"] == "a"
    assert placed.answered_by["gamma_q3"] == 1 and placed.answered_by["alpha_review"] == 2
