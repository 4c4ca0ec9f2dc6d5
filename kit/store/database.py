"""Keep every answer a business gives: workshops, businesses, drafts, submissions and consents.

One code path serves a SQLite file on a trainer's laptop and a PostgreSQL server shared by a
Voila deployment; only the URL differs. Writes are short transactions (on SQLite ``BEGIN
IMMEDIATE``, so two writers queue instead of failing half-way), a submission is stored once per
``submission_key`` however often a form is resent, and earlier submissions are never replaced, so
a report can show how a business moved between assessments. The schema is created and upgraded
by Alembic (``kit/store/migrations``) whenever a store is opened.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError

from kit.core.definitions import Definitions, bundled_definitions
from kit.core.ids import check_business_id, check_business_name, check_workshop_code
from kit.core.records import ConsentRecord, DeletionReport, SubmissionRecord, WorkshopProgress
from kit.core.scoring import check_answers
from kit.errors import AnswerError, StoreError
from kit.paths import PACKAGE_DIR
from kit.settings import DEFAULT_URL, database_url

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

    UpsertInsert = sqlite.Insert | postgresql.Insert

MIGRATIONS_DIR = PACKAGE_DIR / "store" / "migrations"
EXPORT_FORMAT = "eakit-business-export/1"
SQLITE_BUSY_TIMEOUT_MS = 30_000
SUBMISSION_KEY_MAX = 128
PG_MIGRATION_LOCK = 7_201_530  # any constant; serialises concurrent first opens on PostgreSQL


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- tables (the migrations in kit/store/migrations create exactly these) ----------------------

METADATA = MetaData()
Timestamp = DateTime(timezone=True)

workshops = Table(
    "workshops",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("title", String(200), nullable=False, default=""),
    Column("created_at", Timestamp, nullable=False),
)
businesses = Table(
    "businesses",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("business_id", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False, default=""),
    Column("created_at", Timestamp, nullable=False),
)
enrolments = Table(
    "enrolments",
    METADATA,
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("joined_at", Timestamp, nullable=False),
)
consents = Table(
    "consents",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
    Column("privacy_version", String(32), nullable=False),
    Column("agreed_at", Timestamp, nullable=False),
    Index("ix_consents_business", "business_pk", "workshop_pk"),
)
drafts = Table(
    "drafts",
    METADATA,
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("answers", JSON, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)
submissions = Table(
    "submissions",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("submission_key", String(SUBMISSION_KEY_MAX), nullable=False, unique=True),
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("model_version", String(32), nullable=False),
    Column("questionnaire_version", String(32), nullable=False),
    Column("source", String(16), nullable=False),
    Column("submitted_at", Timestamp, nullable=False),
    Index("ix_submissions_business", "business_pk", "submitted_at"),
    Index("ix_submissions_workshop", "workshop_pk", "business_pk"),
)


def answers_key(workshop: str, business_id: str, answers: Mapping[str, str]) -> str:
    """A submission key from content: the same answers for the same business store once."""
    canonical = json.dumps(
        [workshop, business_id, dict(sorted(answers.items()))],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "content-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _require(reason: str | None) -> None:
    if reason:
        raise StoreError(reason)


# --- engines: per-backend connection set-up (a registry, not an if/else ladder) -----------------


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so they wait on busy_timeout instead of failing on
        # upgrade; readers (marked eakit_read) begin a deferred transaction and never block.
        read_only = conn.get_execution_options().get("eakit_read", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _postgresql_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


ENGINES: dict[str, Callable[[str], Engine]] = {
    "sqlite": _sqlite_engine,
    "postgresql": _postgresql_engine,
}
# The dialect module with each backend's INSERT ... ON CONFLICT (an upsert; the generic INSERT
# has none); only the one in use is loaded.
INSERT_MODULES = {
    "sqlite": "sqlalchemy.dialects.sqlite",
    "postgresql": "sqlalchemy.dialects.postgresql",
}
MIGRATION_LOCKS: dict[str, Callable[[Connection], object]] = {
    "sqlite": lambda conn: None,  # BEGIN IMMEDIATE already lets one process migrate at a time
    "postgresql": lambda conn: conn.exec_driver_sql(
        f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})"
    ),
}


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


# --- faults: what is wrong with which database, and what to do, instead of a traceback ----------

STORE_FAULTS: tuple[tuple[str, str], ...] = (
    (
        "file is not a database",
        "is not a database (another kind of file, or damaged beyond reading); check that "
        "--database names the right file",
    ),
    (
        "database disk image is malformed",
        "is damaged; restore it from a backup (or rescue what it holds with "
        "`sqlite3 FILE .recover`) before using it again",
    ),
    (
        "database or disk is full",
        "could not be written because the disk is full; free some space and run the same "
        "command again",
    ),
    (
        "readonly database",
        "is read-only; ask for write access or copy it to a folder you can write to",
    ),
    (
        "unable to open database file",
        "cannot be opened for writing (is the file or its folder read-only, or missing?); copy "
        "it to a folder you can write to, or name another with --database",
    ),
    (
        "disk I/O error",
        "could not be read or written (disk I/O error); check the disk and run again",
    ),
    (
        "Can't locate revision",
        "was written by a newer version of the kit (its schema is unknown to this one); upgrade "
        "the kit (pip install --upgrade ethical-automation-kit) to use it",
    ),
)


def _where(url: str) -> str:
    """A SQLite file's path, or the URL without its password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite" and parsed.database:
        return f"database file {parsed.database}"
    return f"database {_safe_url(url)}"


def store_fault(exc: Exception, url: str, doing: str = "use") -> StoreError:
    """The one place a database or migration failure becomes a plain message."""
    detail = str(getattr(exc, "orig", None) or exc).strip()
    reason = next((advice for marker, advice in STORE_FAULTS if marker in detail), None)
    return StoreError(
        f"{_where(url)} {reason}"
        if reason
        else f"cannot {doing} {_where(url)}: {detail.splitlines()[0]}"
    )


@contextmanager
def _faults_as_store_errors(url: str, doing: str = "use") -> Iterator[None]:
    """Turn driver and migration errors into StoreError; duplicate keys pass through, since
    callers resolve those themselves."""
    from alembic.util import CommandError

    try:
        yield
    except IntegrityError:
        raise
    except (DBAPIError, CommandError, OSError) as exc:
        raise store_fault(exc, url, doing) from None


def _create_engine(url: str) -> Engine:
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise StoreError(
            f"database URL {url!r} is not a URL (expected e.g. {DEFAULT_URL} or "
            "postgresql+psycopg://user@host/db)"
        ) from None
    factory = ENGINES.get(backend)
    if factory is None:
        raise StoreError(
            f"database URL {_safe_url(url)}: unsupported backend {backend!r} "
            f"(use {' or '.join(ENGINES)})"
        )
    try:
        return factory(url)
    except ImportError as exc:
        raise StoreError(
            f"database URL {_safe_url(url)}: driver not installed ({exc}); for "
            "PostgreSQL install 'ethical-automation-kit[postgres]'"
        ) from None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, one process at a time."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        MIGRATION_LOCKS[engine.dialect.name](conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


# --- the store -----------------------------------------------------------------------------------


class Store:
    """All reads and writes of assessment data; open with ``Store.open(url)``."""

    def __init__(self, engine: Engine, definitions: Definitions) -> None:
        self.engine = engine
        self.definitions = definitions
        self._insert: Callable[[Table], UpsertInsert] = importlib.import_module(
            INSERT_MODULES[engine.dialect.name]
        ).insert

    @classmethod
    def open(
        cls, url: str | None = None, definitions: Definitions | None = None, *, upgrade: bool = True
    ) -> Store:
        """Connect (``database_url`` picks the URL) and create or upgrade the schema.

        ``upgrade=False`` is for processes started by a server that has upgraded the schema
        already (the app kernels): loading Alembic would cost each of them time and memory.
        """
        url = database_url(url)
        engine = _create_engine(url)
        try:
            with _faults_as_store_errors(url, doing="open"):
                if upgrade:
                    migrate(engine)
                else:  # fails here, clearly, if the database is gone
                    with engine.connect() as conn:
                        conn.exec_driver_sql("SELECT 1")
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, definitions or bundled_definitions())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with _faults_as_store_errors(self._url), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with (
            _faults_as_store_errors(self._url),
            self.engine.connect().execution_options(eakit_read=True) as conn,
            conn.begin(),
        ):
            yield conn

    @property
    def _url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    def check_integrity(self) -> None:
        """Read every page of a SQLite file (``PRAGMA quick_check``), so damage is found
        before a long run rather than half-way through it; PostgreSQL checks its own."""
        if self.engine.dialect.name != "sqlite":
            return
        with self._read() as conn:
            found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check").all()]
        if found != ["ok"]:
            raise StoreError(
                f"{_where(self._url)} is damaged ({found[0]}); restore it from a "
                "backup (or rescue what it holds with `sqlite3 FILE .recover`) "
                "before using it again"
            )

    # lookups and get-or-create, shared by the writers below

    def _insert_ignore(
        self, conn: Connection, table: Table, values: dict[str, Any], keys: list[str]
    ) -> None:
        conn.execute(
            self._insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
        )

    def _workshop_pk(self, conn: Connection, code: str, title: str | None = None) -> int:
        _require(check_workshop_code(code))
        self._insert_ignore(
            conn, workshops, {"code": code, "title": title or "", "created_at": _now()}, ["code"]
        )
        if title:
            conn.execute(
                update(workshops)
                .where(workshops.c.code == code, workshops.c.title != title)
                .values(title=title)
            )
        return conn.execute(select(workshops.c.id).where(workshops.c.code == code)).scalar_one()

    def _business_pk(
        self, conn: Connection, workshop_pk: int, business_id: str, display_name: str = ""
    ) -> int:
        _require(check_business_id(business_id) or check_business_name(display_name))
        self._insert_ignore(
            conn,
            businesses,
            {"business_id": business_id, "display_name": display_name, "created_at": _now()},
            ["business_id"],
        )
        if display_name:
            conn.execute(
                update(businesses)
                .where(
                    businesses.c.business_id == business_id,
                    businesses.c.display_name != display_name,
                )
                .values(display_name=display_name)
            )
        business_pk: int = conn.execute(
            select(businesses.c.id).where(businesses.c.business_id == business_id)
        ).scalar_one()
        self._insert_ignore(
            conn,
            enrolments,
            {"workshop_pk": workshop_pk, "business_pk": business_pk, "joined_at": _now()},
            ["workshop_pk", "business_pk"],
        )
        return business_pk

    def _existing_pks(
        self, conn: Connection, workshop: str, business_id: str
    ) -> tuple[int, int] | None:
        row = conn.execute(
            select(enrolments.c.workshop_pk, enrolments.c.business_pk)
            .join(workshops, workshops.c.id == enrolments.c.workshop_pk)
            .join(businesses, businesses.c.id == enrolments.c.business_pk)
            .where(workshops.c.code == workshop, businesses.c.business_id == business_id)
        ).first()
        return (row.workshop_pk, row.business_pk) if row else None

    def _checked(self, answers: Mapping[str, object]) -> dict[str, str]:
        valid, problems = check_answers(self.definitions, answers)
        if problems:
            raise AnswerError(problems)
        return valid

    # workshops and businesses

    def ensure_workshop(self, code: str, title: str | None = None) -> None:
        with self._write() as conn:
            self._workshop_pk(conn, code, title)

    def ensure_business(self, workshop: str, business_id: str, display_name: str = "") -> None:
        """Create or rename a business and enrol it in a workshop (creating that too)."""
        with self._write() as conn:
            self._business_pk(
                conn, self._workshop_pk(conn, workshop), business_id, display_name.strip()
            )

    def workshops(self) -> list[str]:
        with self._read() as conn:
            return list(conn.scalars(select(workshops.c.code).order_by(workshops.c.code)))

    def display_name(self, business_id: str) -> str | None:
        with self._read() as conn:
            return conn.scalar(
                select(businesses.c.display_name).where(businesses.c.business_id == business_id)
            )

    # consent

    def record_consent(self, workshop: str, business_id: str, privacy_version: str) -> None:
        """Note that the business agreed to the privacy notice of this version, and when."""
        with self._write() as conn:
            workshop_pk = self._workshop_pk(conn, workshop)
            business_pk = self._business_pk(conn, workshop_pk, business_id)
            conn.execute(
                consents.insert().values(
                    workshop_pk=workshop_pk,
                    business_pk=business_pk,
                    privacy_version=privacy_version,
                    agreed_at=_now(),
                )
            )

    def consent(self, workshop: str, business_id: str) -> ConsentRecord | None:
        """The latest consent this business gave in this workshop, if any."""
        with self._read() as conn:
            row = conn.execute(
                select(consents.c.privacy_version, consents.c.agreed_at)
                .join(workshops, workshops.c.id == consents.c.workshop_pk)
                .join(businesses, businesses.c.id == consents.c.business_pk)
                .where(workshops.c.code == workshop, businesses.c.business_id == business_id)
                .order_by(consents.c.id.desc())
                .limit(1)
            ).first()
        return (
            ConsentRecord(workshop, business_id, row.privacy_version, _utc(row.agreed_at))
            if row
            else None
        )

    # drafts

    def save_draft(self, workshop: str, business_id: str, answers: Mapping[str, object]) -> None:
        """Keep unfinished answers (checked first) so a closed notebook can carry on later."""
        valid = self._checked(answers)
        with self._write() as conn:
            workshop_pk = self._workshop_pk(conn, workshop)
            business_pk = self._business_pk(conn, workshop_pk, business_id)
            statement = self._insert(drafts).values(
                workshop_pk=workshop_pk, business_pk=business_pk, answers=valid, updated_at=_now()
            )
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["workshop_pk", "business_pk"],
                    set_={
                        "answers": statement.excluded.answers,
                        "updated_at": statement.excluded.updated_at,
                    },
                )
            )

    def load_draft(self, workshop: str, business_id: str) -> dict[str, str] | None:
        with self._read() as conn:
            answers = conn.scalar(
                select(drafts.c.answers)
                .join(workshops, workshops.c.id == drafts.c.workshop_pk)
                .join(businesses, businesses.c.id == drafts.c.business_pk)
                .where(workshops.c.code == workshop, businesses.c.business_id == business_id)
            )
        return dict(answers) if answers is not None else None

    # submissions

    def submit(
        self,
        workshop: str,
        business_id: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str = "form",
    ) -> SubmissionRecord:
        """Store an assessment once per key (a resent form returns the first row) and clear
        the draft; earlier submissions of the business stay for its history."""
        return self._submit(workshop, business_id, "", answers, submission_key, source)[0]

    def submit_named(
        self,
        workshop: str,
        business_id: str,
        display_name: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str = "form",
    ) -> bool:
        """Like ``submit``, also naming the business, all in one transaction; True when this
        call stored the row (so two imports of one file at once count each row once)."""
        return self._submit(
            workshop, business_id, display_name.strip(), answers, submission_key, source
        )[1]

    def _submit(
        self,
        workshop: str,
        business_id: str,
        display_name: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str,
    ) -> tuple[SubmissionRecord, bool]:
        valid = self._checked(answers)
        if not valid:
            raise AnswerError([f"business {business_id!r}: no answers to submit"])
        if not submission_key or len(submission_key) > SUBMISSION_KEY_MAX:
            raise StoreError(f"submission_key must be 1-{SUBMISSION_KEY_MAX} characters")
        try:
            with self._write() as conn:
                existing = self._by_key(conn, submission_key)
                if existing is None:
                    workshop_pk = self._workshop_pk(conn, workshop)
                    business_pk = self._business_pk(conn, workshop_pk, business_id, display_name)
                    conn.execute(
                        submissions.insert().values(
                            submission_key=submission_key,
                            workshop_pk=workshop_pk,
                            business_pk=business_pk,
                            answers=valid,
                            source=source,
                            submitted_at=_now(),
                            **self.definitions.versions,
                        )
                    )
                    conn.execute(
                        delete(drafts).where(
                            drafts.c.workshop_pk == workshop_pk, drafts.c.business_pk == business_pk
                        )
                    )
                    stored = self._by_key(conn, submission_key)
                    assert stored is not None, "inserted above, in this transaction"
                    return stored, True
        except IntegrityError:
            # Another writer stored the same key between our check and insert (PostgreSQL
            # runs writers side by side); its row is the one to return.
            existing = self.find_submission(submission_key)
            if existing is None:
                raise
        if (existing.workshop, existing.business_id) != (workshop, business_id):
            raise StoreError(
                f"submission_key {submission_key!r} already belongs to business "
                f"{existing.business_id!r} in workshop {existing.workshop!r}"
            )
        return existing, False

    def find_submission(self, submission_key: str) -> SubmissionRecord | None:
        with self._read() as conn:
            return self._by_key(conn, submission_key)

    def _by_key(self, conn: Connection, submission_key: str) -> SubmissionRecord | None:
        row = conn.execute(
            _submission_query().where(submissions.c.submission_key == submission_key)
        ).first()
        return _record(row) if row else None

    def latest_submissions(self, workshop: str) -> list[SubmissionRecord]:
        """The newest submission of each business in the workshop, ordered by business id."""
        newest = (
            select(func.max(submissions.c.id))
            .join(workshops, workshops.c.id == submissions.c.workshop_pk)
            .where(workshops.c.code == workshop)
            .group_by(submissions.c.business_pk)
        )
        with self._read() as conn:
            rows = conn.execute(
                _submission_query()
                .where(submissions.c.id.in_(newest))
                .order_by(businesses.c.business_id)
            ).all()
        return [_record(row) for row in rows]

    def history(self, business_id: str) -> list[SubmissionRecord]:
        """Every submission of one business across workshops, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                _submission_query()
                .where(businesses.c.business_id == business_id)
                .order_by(submissions.c.submitted_at, submissions.c.id)
            ).all()
        return [_record(row) for row in rows]

    def submission_count(self) -> int:
        with self._read() as conn:
            return conn.execute(select(func.count()).select_from(submissions)).scalar_one()

    def progress(self, workshop: str) -> WorkshopProgress:
        with self._read() as conn:
            workshop_pk = conn.scalar(select(workshops.c.id).where(workshops.c.code == workshop))

            def count(query: Any) -> int:
                return conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()

            enrolled = count(
                select(enrolments.c.business_pk).where(enrolments.c.workshop_pk == workshop_pk)
            )
            submitted = count(
                select(submissions.c.business_pk)
                .distinct()
                .where(submissions.c.workshop_pk == workshop_pk)
            )
            started = count(
                select(drafts.c.business_pk)
                .where(drafts.c.workshop_pk == workshop_pk)
                .union(
                    select(submissions.c.business_pk).where(
                        submissions.c.workshop_pk == workshop_pk
                    )
                )
            )
        return WorkshopProgress(workshop, enrolled, started, submitted)

    # data rights

    def export_business(self, business_id: str) -> dict[str, Any]:
        """Everything held on one business, as JSON-ready data (its right of access)."""
        with self._read() as conn:
            business = conn.execute(
                select(businesses).where(businesses.c.business_id == business_id)
            ).first()
            if business is None:
                raise StoreError(f"no data is held on business {business_id!r}")
            enrolled = conn.execute(
                select(workshops.c.code, workshops.c.title, enrolments.c.joined_at)
                .join(enrolments, enrolments.c.workshop_pk == workshops.c.id)
                .where(enrolments.c.business_pk == business.id)
                .order_by(workshops.c.code)
            ).all()
            consent_rows = conn.execute(
                select(workshops.c.code, consents.c.privacy_version, consents.c.agreed_at)
                .join(consents, consents.c.workshop_pk == workshops.c.id)
                .where(consents.c.business_pk == business.id)
                .order_by(consents.c.id)
            ).all()
            draft_rows = conn.execute(
                select(workshops.c.code, drafts.c.answers, drafts.c.updated_at)
                .join(drafts, drafts.c.workshop_pk == workshops.c.id)
                .where(drafts.c.business_pk == business.id)
                .order_by(workshops.c.code)
            ).all()
            submission_rows = conn.execute(
                _submission_query()
                .where(submissions.c.business_pk == business.id)
                .order_by(submissions.c.submitted_at, submissions.c.id)
            ).all()
        return {
            "format": EXPORT_FORMAT,
            "exported_at": _now().isoformat(),
            "business_id": business.business_id,
            "display_name": business.display_name,
            "created_at": _utc(business.created_at).isoformat(),
            "workshops": [
                {"workshop": r.code, "title": r.title, "joined_at": _utc(r.joined_at).isoformat()}
                for r in enrolled
            ],
            "consents": [
                {
                    "workshop": r.code,
                    "privacy_version": r.privacy_version,
                    "agreed_at": _utc(r.agreed_at).isoformat(),
                }
                for r in consent_rows
            ],
            "drafts": [
                {
                    "workshop": r.code,
                    "answers": dict(r.answers),
                    "updated_at": _utc(r.updated_at).isoformat(),
                }
                for r in draft_rows
            ],
            "submissions": [_record(r).to_dict() for r in submission_rows],
        }

    def inactive_businesses(self, before: datetime) -> list[str]:
        """Businesses with no submission, draft, consent or creation since ``before``."""
        activity = [
            select(t.c.business_pk.label("pk"), t.c[column].label("at"))
            for t, column in (
                (submissions, "submitted_at"),
                (drafts, "updated_at"),
                (consents, "agreed_at"),
            )
        ]
        activity.append(select(businesses.c.id.label("pk"), businesses.c.created_at.label("at")))
        latest = union_all(*activity).subquery()
        query = (
            select(businesses.c.business_id)
            .join(latest, latest.c.pk == businesses.c.id)
            .group_by(businesses.c.business_id)
            .having(func.max(latest.c.at) < _utc(before))
            .order_by(businesses.c.business_id)
        )
        with self._read() as conn:
            return list(conn.scalars(query))

    def delete_business(self, business_id: str) -> DeletionReport:
        """Remove every row about one business in one transaction (its right to erasure)."""
        with self._write() as conn:
            business_pk = conn.scalar(
                select(businesses.c.id).where(businesses.c.business_id == business_id)
            )
            if business_pk is None:
                return DeletionReport(business_id, existed=False)
            removed = {}
            for name, table in (
                ("submissions", submissions),
                ("drafts", drafts),
                ("consents", consents),
                ("enrolments", enrolments),
            ):
                removed[name] = conn.execute(
                    delete(table).where(table.c.business_pk == business_pk)
                ).rowcount
            removed["businesses"] = conn.execute(
                delete(businesses).where(businesses.c.id == business_pk)
            ).rowcount
        return DeletionReport(business_id, existed=True, removed=removed)


def _submission_query() -> Any:
    return (
        select(
            submissions,
            workshops.c.code.label("workshop"),
            businesses.c.business_id,
            businesses.c.display_name,
        )
        .join(workshops, workshops.c.id == submissions.c.workshop_pk)
        .join(businesses, businesses.c.id == submissions.c.business_pk)
    )


def _record(row: Any) -> SubmissionRecord:
    return SubmissionRecord(
        id=row.id,
        workshop=row.workshop,
        business_id=row.business_id,
        display_name=row.display_name,
        answers=dict(row.answers),
        model_version=row.model_version,
        questionnaire_version=row.questionnaire_version,
        submitted_at=_utc(row.submitted_at),
        submission_key=row.submission_key,
        source=row.source,
    )
