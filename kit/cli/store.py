"""Verbs over the response store: import a cohort spreadsheet, review a submission, export or
delete a business.

Export and delete are how a business exercises its rights over its data: ``export`` writes all
that is held on it as JSON, ``delete`` erases it from the store after a confirmation and lists
(or removes) the report files generated about it, which live outside the database.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kit.cli.terminal import say, warn
from kit.cli.verbs import Verb
from kit.core.ids import check_business_id, check_workshop_code
from kit.errors import KitError, StoreError
from kit.settings import URL_VARIABLE

if TYPE_CHECKING:
    from kit.batch.copies import Copies

DEFAULT_REPORTS = Path("reports")
MAX_DAYS = 36_500  # a hundred years; further back than any date the store holds
OTHER_COPIES = (
    "the spreadsheet the answers were imported from, if any",
    "earlier `eakit export` files",
    "database backups (they age out with your backup schedule)",
)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"database URL or SQLite file (default: ${URL_VARIABLE}, else eakit.sqlite here)",
    )


def _business_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("business", help="the business id, e.g. smb-014")
    _database_option(parser)


def _checked_business(value: str) -> str:
    reason = check_business_id(value)
    if reason:
        raise KitError(reason)
    return value


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .csv or .xlsx written by 'eakit template'")
    parser.add_argument("--workshop", required=True, help="the workshop code, e.g. 2024-lyon")
    _database_option(parser)


def import_file(args: argparse.Namespace) -> int:
    from kit.store.database import Store
    from kit.store.importer import import_cohort

    reason = check_workshop_code(args.workshop)
    if reason:
        raise KitError(reason)
    with Store.open(args.database) as store:
        summary = import_cohort(store, args.file, args.workshop)
    for problem in summary.problems:
        warn(problem)
    for note in summary.notes:
        warn(f"note: {note}")
    say(summary.text())
    return 0 if summary.ok else 1


def _configure_export(parser: argparse.ArgumentParser) -> None:
    _business_argument(parser)
    parser.add_argument("--out", type=Path, help="write the JSON here instead of the screen")


def export(args: argparse.Namespace) -> int:
    from kit.store.database import Store

    with Store.open(args.database) as store:
        data = store.export_business(_checked_business(args.business))
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        out = args.out / f"{data['business_id']}.json" if args.out.is_dir() else args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(
            f"Wrote {out}: {len(data['submissions'])} submission(s), "
            f"{len(data['drafts'])} draft(s), {len(data['consents'])} consent(s)."
        )
    else:
        sys.stdout.write(text)
    return 0


def _confirm(question: str) -> bool:
    """Ask before erasing; anything but yes (or no terminal at all) keeps the data."""
    try:
        answer = input(f"{question} This cannot be undone. [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing deleted.")
    return False


def _reports_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reports",
        type=Path,
        default=DEFAULT_REPORTS,
        help="folder of generated reports to search (default: ./reports)",
    )


def _configure_review(parser: argparse.ArgumentParser) -> None:
    _business_argument(parser)
    parser.add_argument("--by", required=True, metavar="NAME", help="who reviewed it")
    parser.add_argument(
        "--note", required=True, metavar="TEXT", help="what was checked or agreed (500 chars)"
    )
    parser.add_argument(
        "--submission",
        type=int,
        metavar="ID",
        help="the submission to sign off (default: the business's newest)",
    )


def review(args: argparse.Namespace) -> int:
    from kit.store.database import Store

    business_id = _checked_business(args.business)
    with Store.open(args.database) as store:
        history = store.history(business_id)
        if not history:
            raise KitError(f"business {business_id!r} has no submission to review")
        chosen = (
            next((s for s in history if s.id == args.submission), None)
            if args.submission is not None
            else history[-1]
        )
        if chosen is None:
            ids = ", ".join(str(s.id) for s in history)
            raise KitError(
                f"submission {args.submission} is not one of business {business_id!r}'s "
                f"(its submissions: {ids})"
            )
        done = store.review(chosen.id, args.by, args.note)
    who = f", respondent {chosen.respondent!r}" if chosen.respondent else ""
    say(
        f"Submission {chosen.id} of business {business_id!r} (workshop {chosen.workshop!r}, "
        f"{chosen.submitted_at:%Y-%m-%d}{who}) is marked reviewed by {done.reviewer} on "
        f"{done.reviewed_at:%Y-%m-%d}."
    )
    return 0


def _configure_delete(parser: argparse.ArgumentParser) -> None:
    _business_argument(parser)
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _reports_option(parser)
    parser.add_argument(
        "--remove-files", action="store_true", help="also delete the report files found there"
    )


def _say_copies(copies: Copies, business_id: str, reports: Path, removed: bool) -> None:
    if copies.files and removed:
        say(f"Removed {len(copies.files)} report file(s) under {reports}:")
    elif copies.files:
        say("Also remove these report files (or rerun with --remove-files):")
    for path in copies.files:
        say(f"  {path}")
    for folder in copies.manifests:
        say(
            f"Took business {business_id!r} out of {folder.manifest_csv} and .json."
            if removed
            else f"Still named in {folder.manifest_csv} and .json (--remove-files takes it out)."
        )
    for database in copies.stores:
        say(
            f"A copy of business {business_id!r} remains in {database}: erase it with "
            f"`eakit delete {business_id} --database {database}`."
        )


def delete(args: argparse.Namespace) -> int:
    from kit.batch.copies import find_copies, remove_copies
    from kit.store.database import Store

    business_id = _checked_business(args.business)
    with Store.open(args.database) as store:
        copies = find_copies(business_id, args.reports, store.url)
        try:
            held = store.export_business(business_id)
        except StoreError:
            held = None
        if held is None and not (copies.files or copies.manifests or copies.stores):
            say(f"Nothing is held on business {business_id!r}; nothing to delete.")
            return 0
        if held is not None and not args.yes:
            counts = (
                f"{len(held['submissions'])} submission(s), {len(held['drafts'])} "
                f"draft(s), {len(held['consents'])} consent(s)"
            )
            if not _confirm(f"Erase business {business_id!r} ({counts}) from {store.url}?"):
                return 1
        if held is not None:
            report = store.delete_business(business_id)
            detail = ", ".join(f"{kind}: {n}" for kind, n in report.removed.items() if n)
            say(f"Erased business {business_id!r} from the store ({detail}).")
    if args.remove_files:
        remove_copies(copies, business_id)
    _say_copies(copies, business_id, args.reports, args.remove_files)
    say("Check for other copies too: " + "; ".join(OTHER_COPIES) + ".")
    return 0


def _days(text: str) -> int:
    """A number of days a date can be that far back by (0 would erase every business)."""
    problem = argparse.ArgumentTypeError(
        f"must be a whole number of days from 1 to {MAX_DAYS} (got {text!r})"
    )
    try:
        days = int(text)
    except ValueError:
        raise problem from None
    if not 1 <= days <= MAX_DAYS:
        raise problem
    return days


def _configure_purge(parser: argparse.ArgumentParser) -> None:
    _database_option(parser)
    parser.add_argument(
        "--older-than-days",
        type=_days,
        metavar="DAYS",
        help=f"1 to {MAX_DAYS} (default: retention_days from content/privacy.yaml)",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _reports_option(parser)


def purge(args: argparse.Namespace) -> int:
    from kit.batch.copies import find_copies
    from kit.core.privacy import load_privacy_notice
    from kit.store.database import Store

    days = (
        args.older_than_days
        if args.older_than_days is not None
        else (load_privacy_notice().retention_days)
    )
    cutoff = datetime.now(UTC) - timedelta(days=days)
    with Store.open(args.database) as store:
        stale = store.inactive_businesses(cutoff)
        if not stale:
            print(f"No business has been inactive for more than {days} days; nothing to erase.")
            return 0
        print(f"Inactive for more than {days} days: {', '.join(stale)}")
        if not args.yes and not _confirm(f"Erase these {len(stale)} business(es)?"):
            return 1
        for business_id in stale:
            store.delete_business(business_id)
    print(f"Erased {len(stale)} business(es) from the store.")
    files = [
        p for business_id in stale for p in find_copies(business_id, args.reports, store.url).files
    ]
    if files:
        print("Their report files remain; remove them with `eakit delete ID --remove-files`:")
        for path in files:
            print(f"  {path}")
    return 0


VERBS = (
    Verb(
        "import",
        "Store the answers of a cohort spreadsheet; bad rows are named and skipped.",
        _configure_import,
        import_file,
    ),
    Verb(
        "review",
        "Sign off a business's submission as reviewed, with your name and a note.",
        _configure_review,
        review,
    ),
    Verb("export", "Write everything held on one business as JSON.", _configure_export, export),
    Verb(
        "delete",
        "Erase one business from the store, and say what else to remove.",
        _configure_delete,
        delete,
    ),
    Verb(
        "purge",
        "Erase businesses inactive for longer than the privacy notice promises.",
        _configure_purge,
        purge,
    ),
)
