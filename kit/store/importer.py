"""Load a cohort spreadsheet into the store: every good row stored once, every bad row named.

Reading and checking the file is ``kit.tables.cohort_file.read_cohort`` (the same reader
``eakit score``
uses); this module only turns its good rows into submissions. Each row's submission key is a hash
of workshop, business and answers, so importing the same file again adds nothing, while a row
whose answers changed is stored as a new assessment next to the earlier one. A row may name its
respondent and role (several rows per business, one per person), the business's targets and
notes and links per answer; a row the store refuses (a respondent code taken by another
business, a business being answered in another workshop) is named and skipped, the rest kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kit.errors import AnswerError, Interrupted, StoreError
from kit.store.database import Store, answers_key
from kit.tables.cohort_file import CohortRow, read_cohort

IMPORT_SOURCE = "import"


@dataclass
class ImportSummary:
    path: Path
    workshop: str
    stored: int = 0
    already_stored: int = 0
    rejected_rows: int = 0
    targets_set: int = 0  # rows whose targets were stored
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        return (
            f"{self.path}: {self.stored} new submission(s) stored in workshop "
            f"{self.workshop!r}, {self.already_stored} already stored, "
            f"{self.rejected_rows} row(s) rejected, {len(self.problems)} problem(s)."
            + (f" Targets set from {self.targets_set} row(s)." if self.targets_set else "")
        )


def import_cohort(store: Store, path: Path, workshop: str) -> ImportSummary:
    """Store each good row of a cohort file as a submission; raises InputFileError only when
    the file as a whole cannot be read (encoding, type, no business_id column), and StoreError
    when the store fails part-way, saying how far the import got."""
    cohort = read_cohort(path, store.definitions)
    summary = ImportSummary(
        path,
        workshop,
        rejected_rows=cohort.rejected_rows,
        problems=list(cohort.problems),
        notes=list(cohort.notes),
    )
    store.ensure_workshop(workshop)
    for row in cohort.rows:
        summary.targets_set += _store_targets(store, workshop, row, summary)
        if not row.answers and row.targets:
            continue  # a row that only sets targets
        if not row.answers:
            summary.problems.append(
                f"{path}: row {row.row_number}: business {row.business_id!r} has no answers"
            )
            summary.rejected_rows += 1
            continue
        key = answers_key(workshop, row.business_id, _keyed(row))
        try:
            # Counted by the transaction that stored the row, so two imports of one file at
            # once report each row as new only once.
            new = store.submit_named(
                workshop,
                row.business_id,
                row.business_name,
                row.answers,
                key,
                source=IMPORT_SOURCE,
                respondent=row.respondent,
                role=row.role,
                notes=row.notes,
            )
        except AnswerError as refused:
            summary.problems += [f"{path}: row {row.row_number}: {p}" for p in refused.problems]
            summary.rejected_rows += 1
            continue
        except (StoreError, KeyboardInterrupt) as exc:
            fault = Interrupted("interrupted") if isinstance(exc, KeyboardInterrupt) else exc
            raise type(fault)(
                f"{fault}\n{path}: stopped at row {row.row_number}; {summary.stored} new "
                f"submission(s) stored before it are kept, and importing the file again "
                "stores only the rest"
            ) from None
        summary.stored += new
        summary.already_stored += not new
    return summary


def _keyed(row: CohortRow) -> dict[str, str]:
    """What the submission key is made of: the answers, and who gave them and the notes when
    the row says (so a sheet without the new columns keys its rows exactly as before)."""
    extra = {"respondent:": row.respondent} if row.respondent else {}
    notes = {f"note:{q}": f"{n.note}\n{n.link}" for q, n in row.notes.items()}
    return row.answers | extra | notes


def _store_targets(store: Store, workshop: str, row: CohortRow, summary: ImportSummary) -> bool:
    """The business's targets from this row (checked on reading); kept even when the row's
    answers are refused, since they belong to the business, not to one submission."""
    if not row.targets:
        return False
    try:
        store.ensure_business(workshop, row.business_id, row.business_name)
        store.set_targets(row.business_id, row.targets)
    except AnswerError as refused:
        summary.problems += [f"{summary.path}: row {row.row_number}: {p}" for p in refused.problems]
        return False
    return True
