"""Keep every answer a business gives: workshops, businesses, respondents, drafts, submissions
(with the notes on their answers), consents, targets and facilitators' reviews.

One code path serves a SQLite file on a trainer's laptop and a PostgreSQL server shared by a
Voila deployment; only the URL differs. Writes are short transactions (on SQLite ``BEGIN
IMMEDIATE``, so two writers queue instead of failing half-way), a submission is stored once per
``submission_key`` however often a form is resent, and earlier submissions are never replaced, so
a report can show how a business moved between assessments. The schema is created and upgraded
by Alembic (``kit/store/migrations``) whenever a store is opened.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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
    Text,
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
from kit.core.evidence import as_note, check_note, check_notes
from kit.core.ids import check_business_id, check_business_name, check_name, check_workshop_code
from kit.core.language import check_language
from kit.core.messages import say
from kit.core.records import (
    AnswerNote,
    ConsentRecord,
    DeletionReport,
    ReviewRecord,
    SubmissionRecord,
    TargetRecord,
    WorkshopProgress,
)
from kit.core.respondents import check_respondent
from kit.core.scoring import check_answers
from kit.core.targets import check_targets
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
    Column("language", String(8), nullable=True),  # None: the workshop's language
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
respondents = Table(
    "respondents",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(32), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_respondents_business", "business_pk", "workshop_pk"),
)
drafts = Table(
    "drafts",
    METADATA,
    Column("workshop_pk", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("respondent", String(64), primary_key=True),  # "": the business's one respondent
    Column("answers", JSON, nullable=False),
    Column("notes", JSON, nullable=True),
    # The questionnaire the answers were given under, so a later version can carry them
    # forward; NULL for drafts saved before it was kept (their version is read from their ids).
    Column("questionnaire_version", String(32), nullable=True),
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
    Column("respondent_pk", ForeignKey("respondents.id", ondelete="CASCADE"), nullable=True),
    Column("notes", JSON, nullable=True),  # {question id: {"note": ..., "link": ...}}
    Index("ix_submissions_business", "business_pk", "submitted_at"),
    Index("ix_submissions_workshop", "workshop_pk", "business_pk"),
)
reviews = Table(
    "reviews",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("submission_pk", ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    Column("reviewer", String(120), nullable=False),
    Column("note", Text, nullable=False),
    Column("reviewed_at", Timestamp, nullable=False),
    Index("ix_reviews_submission", "submission_pk"),
)
targets = Table(
    "targets",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("business_pk", ForeignKey("businesses.id", ondelete="CASCADE"), nullable=False),
    Column("area", String(64), nullable=False),
    Column("level", Integer, nullable=True),  # NULL: the business removed its target
    Column("set_at", Timestamp, nullable=False),
    Index("ix_targets_business", "business_pk", "area"),
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


def _refuse(problems: list[str]) -> None:
    if problems:
        raise AnswerError(problems)


@dataclass(frozen=True)
class _Respondent:
    """Who gave a submission, and the notes on its answers ("" is the one respondent)."""

    code: str = ""
    role: str = ""
    notes: Mapping[str, Any] | None = None


def _notes_json(notes: Mapping[str, AnswerNote]) -> dict[str, dict[str, str]] | None:
    return {qid: note.to_dict() for qid, note in notes.items()} or None


def _notes_from(value: Mapping[str, Any] | None) -> dict[str, AnswerNote]:
    return {qid: as_note(note) for qid, note in (value or {}).items()}


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


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def head_revision() -> str | None:
    """The newest schema revision the kit ships (its migration files, read once a process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest revision (or ``revision``), one process at a time.

    A store already at the newest revision is only looked at: Alembic's upgrade would load
    and run its environment and every migration file again, a hundredth of a CPU second on
    each open (each report kernel of a batch opens the store once).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as conn:
        MIGRATION_LOCKS[engine.dialect.name](conn)
        current = MigrationContext.configure(conn).get_current_revision()
        if revision == "head" and current is not None and current == head_revision():
            return
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


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
        if conn.scalar(select(respondents.c.id).where(respondents.c.code == business_id)):
            raise AnswerError([say("team.business_is_respondent", code=business_id)])
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
        _refuse(problems)
        return valid

    def _checked_notes(self, notes: Mapping[str, Any] | None) -> dict[str, AnswerNote]:
        valid, problems = check_notes(self.definitions, notes or {})
        _refuse(problems)
        return valid

    def _respondent_pk(
        self, conn: Connection, workshop_pk: int, business_pk: int, respondent: str, role: str
    ) -> int | None:
        """The respondent's row (joining or updating it); None for a business's one respondent.

        A code answers for one business only and is never a business code; a business is
        answered in one workshop at a time (while someone who joined elsewhere has not yet
        submitted there, nobody can join it here).
        """
        if not respondent:
            _refuse(check_respondent(self.definitions, respondent, role))
            return None
        row = conn.execute(select(respondents).where(respondents.c.code == respondent)).first()
        if row is not None and row.business_pk != business_pk:
            raise AnswerError([say("team.code_taken", code=respondent)])
        if row is None or role:
            _refuse(check_respondent(self.definitions, respondent, role))
        if row is None and conn.scalar(
            select(businesses.c.id).where(businesses.c.business_id == respondent)
        ):
            raise AnswerError([say("team.code_is_business", code=respondent)])
        if row is None or row.workshop_pk != workshop_pk:
            elsewhere = self._answering_elsewhere(conn, business_pk, workshop_pk, respondent)
            if elsewhere:
                business = conn.scalar(
                    select(businesses.c.business_id).where(businesses.c.id == business_pk)
                )
                raise AnswerError(
                    [say("team.other_workshop", business=business, workshop=elsewhere)]
                )
        if row is None:
            self._insert_ignore(
                conn,
                respondents,
                {
                    "code": respondent,
                    "business_pk": business_pk,
                    "workshop_pk": workshop_pk,
                    "role": role,
                    "created_at": _now(),
                },
                ["code"],
            )
        else:
            conn.execute(
                update(respondents)
                .where(respondents.c.id == row.id)
                .values(workshop_pk=workshop_pk, role=role or row.role)
            )
        stored = conn.execute(
            select(respondents.c.id, respondents.c.business_pk).where(
                respondents.c.code == respondent
            )
        ).one()
        if stored.business_pk != business_pk:  # another business took the code meanwhile
            raise AnswerError([say("team.code_taken", code=respondent)])
        return int(stored.id)

    def _answering_elsewhere(
        self, conn: Connection, business_pk: int, workshop_pk: int, respondent: str
    ) -> str | None:
        """A workshop other than this one where a respondent of the business joined and has
        not submitted yet, if any."""
        submitted_there = (
            select(submissions.c.id)
            .where(
                submissions.c.respondent_pk == respondents.c.id,
                submissions.c.workshop_pk == respondents.c.workshop_pk,
            )
            .exists()
        )
        return conn.scalar(
            select(workshops.c.code)
            .join(respondents, respondents.c.workshop_pk == workshops.c.id)
            .where(
                respondents.c.business_pk == business_pk,
                respondents.c.workshop_pk != workshop_pk,
                respondents.c.code != respondent,
                ~submitted_there,
            )
            .order_by(workshops.c.code)
            .limit(1)
        )

    def _business_of(self, conn: Connection, business_id: str) -> int:
        business_pk = conn.scalar(
            select(businesses.c.id).where(businesses.c.business_id == business_id)
        )
        if business_pk is None:
            raise StoreError(f"no data is held on business {business_id!r}")
        return int(business_pk)

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

    def join_respondent(self, workshop: str, business_id: str, respondent: str, role: str) -> None:
        """Let one more person answer for a business under their own code and role (enrolling
        the business in the workshop if need be); rejoining may change the role."""
        if not respondent:
            raise AnswerError([say("team.code_missing")])
        with self._write() as conn:
            workshop_pk = self._workshop_pk(conn, workshop)
            business_pk = self._business_pk(conn, workshop_pk, business_id)
            self._respondent_pk(conn, workshop_pk, business_pk, respondent, role)

    def workshops(self) -> list[str]:
        with self._read() as conn:
            return list(conn.scalars(select(workshops.c.code).order_by(workshops.c.code)))

    def display_name(self, business_id: str) -> str | None:
        with self._read() as conn:
            return conn.scalar(
                select(businesses.c.display_name).where(businesses.c.business_id == business_id)
            )

    def set_language(self, business_id: str, code: str) -> None:
        """Remember the language a business reads in (checked), for its reports."""
        check_language(code)
        with self._write() as conn:
            conn.execute(
                update(businesses)
                .where(businesses.c.business_id == business_id)
                .values(language=code)
            )

    def language(self, business_id: str) -> str | None:
        """The language a business chose, or None (then its workshop's language applies)."""
        with self._read() as conn:
            return conn.scalar(
                select(businesses.c.language).where(businesses.c.business_id == business_id)
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

    def save_draft(
        self,
        workshop: str,
        business_id: str,
        answers: Mapping[str, object],
        *,
        respondent: str = "",
        notes: Mapping[str, Any] | None = None,
    ) -> None:
        """Keep unfinished answers (checked first) so a closed notebook can carry on later;
        one draft per respondent. ``notes=None`` keeps the draft's notes as they are."""
        valid = self._checked(answers)
        valid_notes = self._checked_notes(notes)
        with self._write() as conn:
            workshop_pk = self._workshop_pk(conn, workshop)
            business_pk = self._business_pk(conn, workshop_pk, business_id)
            self._respondent_pk(conn, workshop_pk, business_pk, respondent, "")
            statement = self._insert(drafts).values(
                workshop_pk=workshop_pk,
                business_pk=business_pk,
                respondent=respondent,
                answers=valid,
                notes=_notes_json(valid_notes),
                questionnaire_version=self.definitions.questionnaire.version,
                updated_at=_now(),
            )
            changed = ["answers", "questionnaire_version", "updated_at"]
            changed += [] if notes is None else ["notes"]
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["workshop_pk", "business_pk", "respondent"],
                    set_={name: statement.excluded[name] for name in changed},
                )
            )

    def _draft_row(self, workshop: str, business_id: str, respondent: str) -> Any:
        with self._read() as conn:
            return conn.execute(
                select(drafts.c.answers, drafts.c.notes, drafts.c.questionnaire_version)
                .join(workshops, workshops.c.id == drafts.c.workshop_pk)
                .join(businesses, businesses.c.id == drafts.c.business_pk)
                .where(
                    workshops.c.code == workshop,
                    businesses.c.business_id == business_id,
                    drafts.c.respondent == respondent,
                )
            ).first()

    def load_draft(
        self, workshop: str, business_id: str, *, respondent: str = ""
    ) -> dict[str, str] | None:
        row = self._draft_row(workshop, business_id, respondent)
        return dict(row.answers) if row is not None else None

    def load_draft_notes(
        self, workshop: str, business_id: str, *, respondent: str = ""
    ) -> dict[str, AnswerNote]:
        row = self._draft_row(workshop, business_id, respondent)
        return _notes_from(row.notes) if row is not None else {}

    def draft_version(self, workshop: str, business_id: str, *, respondent: str = "") -> str | None:
        """The questionnaire version a draft was saved under; None when there is no draft or
        it was saved before versions were kept with drafts."""
        row = self._draft_row(workshop, business_id, respondent)
        return row.questionnaire_version if row is not None else None

    # submissions

    def submit(
        self,
        workshop: str,
        business_id: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str = "form",
        *,
        respondent: str = "",
        role: str = "",
        notes: Mapping[str, Any] | None = None,
    ) -> SubmissionRecord:
        """Store an assessment once per key (a resent form returns the first row) and clear
        the respondent's draft; earlier submissions of the business stay for its history.
        A respondent not yet joined joins here (``role`` needed)."""
        return self._submit(
            workshop,
            business_id,
            "",
            answers,
            submission_key,
            source,
            _Respondent(respondent, role, notes),
        )[0]

    def submit_named(
        self,
        workshop: str,
        business_id: str,
        display_name: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str = "form",
        *,
        respondent: str = "",
        role: str = "",
        notes: Mapping[str, Any] | None = None,
    ) -> bool:
        """Like ``submit``, also naming the business, all in one transaction; True when this
        call stored the row (so two imports of one file at once count each row once)."""
        return self._submit(
            workshop,
            business_id,
            display_name.strip(),
            answers,
            submission_key,
            source,
            _Respondent(respondent, role, notes),
        )[1]

    def _submit(
        self,
        workshop: str,
        business_id: str,
        display_name: str,
        answers: Mapping[str, object],
        submission_key: str,
        source: str,
        who: _Respondent,
    ) -> tuple[SubmissionRecord, bool]:
        valid = self._checked(answers)
        valid_notes = self._checked_notes(who.notes)
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
                    respondent_pk = self._respondent_pk(
                        conn, workshop_pk, business_pk, who.code, who.role
                    )
                    conn.execute(
                        submissions.insert().values(
                            submission_key=submission_key,
                            workshop_pk=workshop_pk,
                            business_pk=business_pk,
                            respondent_pk=respondent_pk,
                            answers=valid,
                            notes=_notes_json(valid_notes),
                            source=source,
                            submitted_at=_now(),
                            **self.definitions.versions,
                        )
                    )
                    conn.execute(
                        delete(drafts).where(
                            drafts.c.workshop_pk == workshop_pk,
                            drafts.c.business_pk == business_pk,
                            drafts.c.respondent == who.code,
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
        if (existing.workshop, existing.business_id, existing.respondent) != (
            workshop,
            business_id,
            who.code,
        ):
            raise StoreError(
                f"submission_key {submission_key!r} already belongs to business "
                f"{existing.business_id!r} in workshop {existing.workshop!r}"
                + (f" (respondent {existing.respondent!r})" if existing.respondent else "")
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

    def latest_by_respondent(self, workshop: str, business_id: str) -> list[SubmissionRecord]:
        """The newest submission of each respondent of one business in the workshop, by code
        ("" first: the business's one respondent of before)."""
        return self.latest_by_business(workshop, business_id).get(business_id, [])

    def latest_by_business(
        self, workshop: str, business_id: str | None = None
    ) -> dict[str, list[SubmissionRecord]]:
        """Each business's newest submission per respondent in the workshop, by business id:
        what ``place_business`` combines."""
        newest = (
            select(func.max(submissions.c.id))
            .join(workshops, workshops.c.id == submissions.c.workshop_pk)
            .join(businesses, businesses.c.id == submissions.c.business_pk)
            .where(workshops.c.code == workshop)
            .group_by(submissions.c.business_pk, submissions.c.respondent_pk)
        )
        if business_id is not None:
            newest = newest.where(businesses.c.business_id == business_id)
        with self._read() as conn:
            rows = conn.execute(_submission_query().where(submissions.c.id.in_(newest))).all()
        grouped: dict[str, list[SubmissionRecord]] = {}
        for record in sorted(map(_record, rows), key=lambda r: (r.business_id, r.respondent)):
            grouped.setdefault(record.business_id, []).append(record)
        return grouped

    # targets and reviews

    def set_targets(self, business_id: str, levels: Mapping[str, object]) -> dict[str, int]:
        """Record the levels a business aims for (a history row per changed area) and return
        its current targets; an unchanged target adds no row, so a re-import adds nothing."""
        valid, problems = check_targets(self.definitions, levels)
        _refuse(problems)
        with self._write() as conn:
            business_pk = self._business_of(conn, business_id)
            current = self._current_targets(conn, business_pk)
            changed = [
                {"business_pk": business_pk, "area": area, "level": level, "set_at": _now()}
                for area, level in valid.items()
                if current.get(area) != level
            ]
            if changed:
                conn.execute(targets.insert(), changed)
            return self._current_targets(conn, business_pk)

    def _current_targets(self, conn: Connection, business_pk: int) -> dict[str, int]:
        newest = (
            select(func.max(targets.c.id))
            .where(targets.c.business_pk == business_pk)
            .group_by(targets.c.area)
        )
        rows = conn.execute(
            select(targets.c.area, targets.c.level)
            .where(targets.c.id.in_(newest))
            .order_by(targets.c.area)
        )
        return {row.area: row.level for row in rows if row.level is not None}

    def clear_targets(self, business_id: str, areas: Iterable[str]) -> dict[str, int]:
        """Remove the targets of these areas (a history row each, so progress stays honest)
        and return the business's current targets; an area with no target adds no row."""
        with self._write() as conn:
            business_pk = self._business_of(conn, business_id)
            current = self._current_targets(conn, business_pk)
            removed = [
                {"business_pk": business_pk, "area": area, "level": None, "set_at": _now()}
                for area in areas
                if area in current
            ]
            if removed:
                conn.execute(targets.insert(), removed)
            return self._current_targets(conn, business_pk)

    def targets(self, business_id: str) -> dict[str, int]:
        """The business's current target per area (the newest row of each); {} if none."""
        with self._read() as conn:
            business_pk = conn.scalar(
                select(businesses.c.id).where(businesses.c.business_id == business_id)
            )
            return {} if business_pk is None else self._current_targets(conn, business_pk)

    def target_history(self, business_id: str) -> list[TargetRecord]:
        """Every target the business has set, oldest first, for progress over time."""
        with self._read() as conn:
            rows = conn.execute(
                select(targets.c.area, targets.c.level, targets.c.set_at)
                .join(businesses, businesses.c.id == targets.c.business_pk)
                .where(businesses.c.business_id == business_id)
                .order_by(targets.c.set_at, targets.c.id)
            ).all()
        return [TargetRecord(r.area, r.level, _utc(r.set_at)) for r in rows]

    def review(self, submission_id: int, reviewer: str, note: str) -> ReviewRecord:
        """A facilitator signs a submission off; a later submission is unreviewed until it is
        reviewed in turn, and an earlier review stays in the history."""
        reviewer, note = reviewer.strip(), note.strip()
        if not reviewer:
            raise StoreError("a review needs the name of the person who reviewed it")
        _require(check_name(reviewer, "reviewer"))
        problem = check_note(note)
        if problem:
            raise StoreError(f"review note: {problem}")
        reviewed_at = _now()
        with self._write() as conn:
            if (
                conn.scalar(select(submissions.c.id).where(submissions.c.id == submission_id))
                is None
            ):
                raise StoreError(f"there is no submission {submission_id}")
            conn.execute(
                reviews.insert().values(
                    submission_pk=submission_id,
                    reviewer=reviewer,
                    note=note,
                    reviewed_at=reviewed_at,
                )
            )
        return ReviewRecord(submission_id, reviewer, note, reviewed_at)

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
                select(
                    workshops.c.code,
                    drafts.c.respondent,
                    drafts.c.answers,
                    drafts.c.notes,
                    drafts.c.questionnaire_version,
                    drafts.c.updated_at,
                )
                .join(drafts, drafts.c.workshop_pk == workshops.c.id)
                .where(drafts.c.business_pk == business.id)
                .order_by(workshops.c.code, drafts.c.respondent)
            ).all()
            respondent_rows = conn.execute(
                select(
                    respondents.c.code,
                    respondents.c.role,
                    respondents.c.created_at,
                    workshops.c.code.label("workshop"),
                )
                .join(workshops, workshops.c.id == respondents.c.workshop_pk)
                .where(respondents.c.business_pk == business.id)
                .order_by(respondents.c.code)
            ).all()
            review_rows = conn.execute(
                select(reviews)
                .join(submissions, submissions.c.id == reviews.c.submission_pk)
                .where(submissions.c.business_pk == business.id)
                .order_by(reviews.c.reviewed_at, reviews.c.id)
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
            "language": business.language,  # None: the workshop's language applies
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
                    "respondent": r.respondent,
                    "answers": dict(r.answers),
                    "notes": dict(r.notes or {}),
                    "questionnaire_version": r.questionnaire_version,
                    "updated_at": _utc(r.updated_at).isoformat(),
                }
                for r in draft_rows
            ],
            "respondents": [
                {
                    "respondent": r.code,
                    "role": r.role,
                    "workshop": r.workshop,
                    "joined_at": _utc(r.created_at).isoformat(),
                }
                for r in respondent_rows
            ],
            "submissions": [_record(r).to_dict() for r in submission_rows],
            "reviews": [
                ReviewRecord(r.submission_pk, r.reviewer, r.note, _utc(r.reviewed_at)).to_dict()
                for r in review_rows
            ],
            "targets": [t.to_dict() for t in self.target_history(business_id)],
        }

    def inactive_businesses(self, before: datetime) -> list[str]:
        """Businesses with no submission, draft, consent or creation since ``before``."""
        activity = [
            select(t.c.business_pk.label("pk"), t.c[column].label("at"))
            for t, column in (
                (submissions, "submitted_at"),
                (drafts, "updated_at"),
                (consents, "agreed_at"),
                (targets, "set_at"),
                (respondents, "created_at"),
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
            removed = {
                "reviews": conn.execute(
                    delete(reviews).where(
                        reviews.c.submission_pk.in_(
                            select(submissions.c.id).where(submissions.c.business_pk == business_pk)
                        )
                    )
                ).rowcount
            }
            for name, table in (
                ("submissions", submissions),
                ("drafts", drafts),
                ("consents", consents),
                ("targets", targets),
                ("respondents", respondents),
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
    newest_review = (
        select(func.max(reviews.c.id).label("review_pk"))
        .group_by(reviews.c.submission_pk)
        .subquery()
    )
    return (
        select(
            submissions,
            workshops.c.code.label("workshop"),
            businesses.c.business_id,
            businesses.c.display_name,
            respondents.c.code.label("respondent_code"),
            respondents.c.role.label("respondent_role"),
            reviews.c.id.label("review_pk"),
            reviews.c.reviewer,
            reviews.c.note.label("review_note"),
            reviews.c.reviewed_at,
        )
        .join(workshops, workshops.c.id == submissions.c.workshop_pk)
        .join(businesses, businesses.c.id == submissions.c.business_pk)
        .outerjoin(respondents, respondents.c.id == submissions.c.respondent_pk)
        .outerjoin(reviews, reviews.c.submission_pk == submissions.c.id)
        .where(reviews.c.id.is_(None) | reviews.c.id.in_(select(newest_review.c.review_pk)))
    )


def _record(row: Any) -> SubmissionRecord:
    review = (
        ReviewRecord(row.id, row.reviewer, row.review_note, _utc(row.reviewed_at))
        if row.review_pk is not None
        else None
    )
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
        respondent=row.respondent_code or "",
        role=row.respondent_role or "",
        notes=_notes_from(row.notes),
        review=review,
    )
