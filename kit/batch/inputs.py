"""Decide what a batch reports on, checking everything before any kernel starts.

Two inputs: a workshop already in a store, or a cohort file (CSV/XLSX) that is first imported
into a store (by default a SQLite file inside the output folder) so that each report notebook
can load its business by id. Either way every business is checked here; a bad row or a stored
submission that no longer fits the questionnaire is set aside with its reason and the rest go
ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from kit.core.ids import check_business_id, check_workshop_code
from kit.core.records import SubmissionRecord
from kit.core.scoring import check_answers
from kit.core.versions import record_answers
from kit.errors import BatchError, VersionError
from kit.reports.workshop import respondent_submissions
from kit.settings import database_url
from kit.store.database import Store
from kit.store.importer import ImportSummary, import_cohort
from kit.tables.cohort_file import read_cohort


@dataclass(frozen=True)
class Rejected:
    """A business (or a file row with no usable id) that gets no report, and why."""

    business_id: str
    business_name: str
    reason: str


@dataclass
class BatchInput:
    """``records``: each business's newest submission (one report each); ``cohort``: every
    respondent's newest submission in the workshop; ``report_inputs``: what else a business's
    report reads (its respondents' submissions and reviews, its targets), for the fingerprint."""

    database_url: str
    workshop: str
    records: list[SubmissionRecord]
    cohort: list[SubmissionRecord]
    rejected: list[Rejected] = field(default_factory=list)
    imported: ImportSummary | None = None
    report_inputs: dict[str, list[object]] = field(default_factory=dict)


def workshop_from_file(path: Path) -> str:
    """A workshop code made from a file name ('Lyon cohort 2024.csv' -> 'Lyon-cohort-2024')."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-._")[:64]
    return code or "cohort"


def report_url(url: str) -> str:
    """The URL as kernels will use it: a SQLite path made absolute (kernels run elsewhere),
    and no password, because parameters are written into every executed notebook."""
    parsed = make_url(url)
    if parsed.password:
        raise BatchError(
            "the database URL contains a password, which would be written into "
            "every executed notebook; put it in PGPASSWORD or ~/.pgpass instead"
        )
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parsed = parsed.set(database=str(Path(parsed.database).expanduser().resolve()))
    return parsed.render_as_string(hide_password=False)


def _record_problem(store: Store, record: SubmissionRecord) -> str | None:
    """Why a stored submission cannot be reported on: a questionnaire version the kit does
    not know, or answers that do not fit even once carried to the current version (a damaged
    store)."""
    reason = check_business_id(record.business_id)
    if reason:
        return reason
    try:
        carried = record_answers(store.definitions, record)
    except VersionError as exc:
        return str(exc)
    _, problems = check_answers(store.definitions, carried.answers)
    if problems:
        return "stored answers do not fit the questionnaire: " + "; ".join(problems)
    return None


def _same_but_case(records: list[SubmissionRecord]) -> dict[str, str]:
    """Ids equal to an earlier one but for letter case: their report files would overwrite
    each other on Windows and macOS."""
    seen: dict[str, str] = {}
    clashes = {}
    for record in records:
        first = seen.setdefault(record.business_id.casefold(), record.business_id)
        if first != record.business_id:
            clashes[record.business_id] = first
    return clashes


def check_records(
    store: Store,
    records: list[SubmissionRecord],
) -> tuple[list[SubmissionRecord], list[Rejected]]:
    """Split stored submissions into those to report on and those set aside with a reason."""
    good, rejected = [], []
    clashes = _same_but_case(records)
    for record in records:
        reason = _record_problem(store, record)
        if record.business_id in clashes:
            reason = (
                f"business_id {record.business_id!r} differs from "
                f"{clashes[record.business_id]!r} only in letter case"
            )
        if reason:
            rejected.append(Rejected(record.business_id, record.display_name, reason))
        else:
            good.append(record)
    return good, rejected


def _newest_per_business(cohort: list[SubmissionRecord]) -> list[SubmissionRecord]:
    newest: dict[str, SubmissionRecord] = {}
    for record in cohort:
        if record.business_id not in newest or record.id > newest[record.business_id].id:
            newest[record.business_id] = record
    return [newest[business] for business in sorted(newest)]


def report_inputs(store: Store, cohort: list[SubmissionRecord]) -> dict[str, list[object]]:
    """Per business, what its report reads besides its newest submission: each respondent's
    newest submission with its review, the current targets and the language the business
    chose (a change to any of them redoes the report)."""
    inputs: dict[str, list[object]] = {}
    for record in cohort:
        reviewed = record.review.reviewed_at.isoformat() if record.review else None
        inputs.setdefault(record.business_id, []).append([record.id, reviewed])
    for business_id, parts in inputs.items():
        parts.append(sorted(store.targets(business_id).items()))
        parts.append(store.language(business_id))
    return inputs


def load_input(
    out_database: Path, cohort_file: Path | None, workshop: str | None, database: str | None
) -> BatchInput:
    """Import the cohort file if there is one, then read and check the workshop's latest
    submissions. ``out_database`` is where a file is imported when no database is named."""
    if not workshop:
        if cohort_file is None:
            raise BatchError("name a cohort file (CSV/XLSX) or a --workshop in the store")
        workshop = workshop_from_file(cohort_file)
    reason = check_workshop_code(workshop)
    if reason:
        raise BatchError(reason)
    if cohort_file is not None and database is None:
        database = str(out_database)
    url = report_url(database_url(database))
    with Store.open(url) as store:
        store.check_integrity()
        imported, rows = None, None
        if cohort_file is not None:
            rows = {row.business_id for row in read_cohort(cohort_file, store.definitions).rows}
            imported = import_cohort(store, cohort_file, workshop)
        cohort = respondent_submissions(store, workshop)
        if not cohort and cohort_file is None:
            raise BatchError(
                f"workshop {workshop!r} has no submissions in {store.url} "
                f"(workshops there: {', '.join(store.workshops()) or 'none'})"
            )
        chosen = [r for r in _newest_per_business(cohort) if rows is None or r.business_id in rows]
        good, rejected = check_records(store, chosen)
        inputs = report_inputs(store, cohort)
    if imported:
        rejected = [Rejected("", "", problem) for problem in imported.problems] + rejected
    return BatchInput(url, workshop, good, cohort, rejected, imported, inputs)
