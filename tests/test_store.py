"""The response store on real databases: a SQLite file and a throwaway PostgreSQL server.

Every test taking ``store_url`` runs once per backend (see tests/postgres.py).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kit.errors import AnswerError, StoreError
from kit.settings import DEFAULT_URL, URL_VARIABLE, database_url
from kit.store.database import Store, answers_key
from tests.postgres import BACKENDS, postgres_server, url_for_backend  # noqa: F401
from tests.store_workers import WORKSHOP, answers_for, submission_key

ROOT = Path(__file__).parents[1]


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    return url_for_backend(request, tmp_path)


@pytest.fixture
def store(store_url, small_defs):
    with Store.open(store_url, definitions=small_defs) as opened:
        yield opened


def all_answers(value: str, small_defs) -> dict[str, str]:
    return dict.fromkeys(small_defs.questions, value)


def test_open_creates_schema_and_reopens(store_url, small_defs):
    """Does opening create every table at the newest migration, and does reopening keep data?"""
    with Store.open(store_url, definitions=small_defs) as store:
        store.submit("w1", "smb-001", all_answers("a", small_defs), "k1")
        tables = set(inspect(store.engine).get_table_names())
    assert tables >= {
        "alembic_version",
        "workshops",
        "businesses",
        "enrolments",
        "consents",
        "drafts",
        "submissions",
    }
    with Store.open(store_url, definitions=small_defs) as again:
        assert [r.submission_key for r in again.history("smb-001")] == ["k1"]


def test_draft_autosave_and_resume(store):
    """A draft is replaced as answers change, read back after reopening, and cleared on submit."""
    store.save_draft("w1", "smb-001", {"alpha_q1": "a"})
    store.save_draft("w1", "smb-001", {"alpha_q1": "b", "beta_q1": "not_applicable"})
    assert store.load_draft("w1", "smb-001") == {"alpha_q1": "b", "beta_q1": "not_applicable"}
    assert store.load_draft("w1", "smb-002") is None
    assert store.progress("w1").started == 1
    store.submit("w1", "smb-001", {"alpha_q1": "b"}, "k1")
    assert store.load_draft("w1", "smb-001") is None


def test_submit_records_versions_and_is_idempotent(store, small_defs):
    """A resent form returns the first row; versions and answers are stored as given."""
    answers = all_answers("c", small_defs)
    first = store.submit("w1", "smb-001", answers, "form-1")
    again = store.submit("w1", "smb-001", answers, "form-1")
    assert again == first
    assert store.submission_count() == 1
    assert (first.model_version, first.questionnaire_version) == ("9.0.0", "9.1.0")
    assert first.answers == answers
    assert first.submitted_at.tzinfo is not None


def test_submit_race_on_the_same_key_returns_the_stored_row(store, small_defs, monkeypatch):
    """When another writer stores the same key between our check and our insert, the unique
    key refuses the second row and submit returns the one already stored."""
    answers = all_answers("b", small_defs)
    stored = store.submit("w1", "smb-001", answers, "form-1")
    real_lookup, calls = Store._by_key, []

    def first_lookup_misses(self, conn, key):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(self, conn, key)

    monkeypatch.setattr(Store, "_by_key", first_lookup_misses)
    assert store.submit("w1", "smb-001", answers, "form-1") == stored
    assert len(calls) == 2
    assert store.submission_count() == 1


def test_submission_key_cannot_be_reused_by_another_business(store, small_defs):
    """Is a key that already belongs to one business refused for another?"""
    store.submit("w1", "smb-001", all_answers("a", small_defs), "form-1")
    with pytest.raises(StoreError, match="already belongs to business 'smb-001'"):
        store.submit("w1", "smb-002", all_answers("a", small_defs), "form-1")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"alpha_q1": "z"}, "question 'alpha_q1': unknown answer 'z'"),
        ({"alpha_q1": "not_applicable"}, "'not applicable' is not offered for this question"),
        ({"alpha_q9": "a"}, "question 'alpha_q9': unknown question (did you mean 'alpha_q4'?)"),
        ({"alpha_q1": 4}, "question 'alpha_q1': unknown answer 4"),
    ],
)
def test_invalid_answers_are_never_stored(store, answers, message):
    """Whatever a browser sends, the store re-checks it and stores nothing invalid."""
    with pytest.raises(AnswerError, match=re.escape(message)):
        store.save_draft("w1", "smb-001", answers)
    with pytest.raises(AnswerError):
        store.submit("w1", "smb-001", answers, "k1")
    assert store.load_draft("w1", "smb-001") is None
    assert store.submission_count() == 0


@pytest.mark.parametrize(
    ("workshop", "business", "message"),
    [
        ("../etc", "smb-001", "workshop '../etc' must be"),
        ("w1", "smb 001", "business_id 'smb 001' must be"),
        ("w1", "", "business_id is empty"),
    ],
)
def test_ids_are_checked(store, workshop, business, message):
    """Ids end up in file names, so unsafe ones are refused with the reason."""
    with pytest.raises(StoreError, match=message):
        store.ensure_business(workshop, business)


def test_history_keeps_every_assessment_and_latest_picks_newest(store, small_defs):
    """A business assessed again keeps its earlier rows; the workshop view shows the newest."""
    store.ensure_business("spring", "smb-001", "Corner Bakery")
    first = store.submit("spring", "smb-001", all_answers("a", small_defs), "k1")
    second = store.submit("spring", "smb-001", all_answers("c", small_defs), "k2")
    third = store.submit("autumn", "smb-001", all_answers("d", small_defs), "k3")
    store.submit("spring", "smb-002", all_answers("b", small_defs), "k4")
    assert [r.id for r in store.history("smb-001")] == [first.id, second.id, third.id]
    latest = store.latest_submissions("spring")
    assert [(r.business_id, r.submission_key) for r in latest] == [
        ("smb-001", "k2"),
        ("smb-002", "k4"),
    ]
    assert latest[0].display_name == "Corner Bakery"
    assert store.workshops() == ["autumn", "spring"]


def test_progress_counts_enrolled_started_submitted(store, small_defs):
    """Enrolled without answers, a draft, and a submission count as the trainer expects."""
    store.ensure_business("w1", "smb-001")
    store.save_draft("w1", "smb-002", {"alpha_q1": "a"})
    store.submit("w1", "smb-003", all_answers("b", small_defs), "k1")
    store.submit("w1", "smb-003", all_answers("c", small_defs), "k2")
    progress = store.progress("w1")
    assert (progress.enrolled, progress.started, progress.submitted) == (3, 2, 1)


def test_consent_is_recorded_with_version_and_time(store):
    """Is the latest consent returned with the notice version the business agreed to?"""
    assert store.consent("w1", "smb-001") is None
    store.record_consent("w1", "smb-001", "1.0.0")
    store.record_consent("w1", "smb-001", "1.1.0")
    consent = store.consent("w1", "smb-001")
    assert consent.privacy_version == "1.1.0"
    assert consent.agreed_at.tzinfo is not None
    assert store.consent("w2", "smb-001") is None


def test_export_holds_everything_on_one_business_only(store, small_defs):
    """The export lists the business's consents, drafts and submissions, and nobody else's."""
    store.ensure_business("w1", "smb-001", "<script>alert(1)</script>")
    store.record_consent("w1", "smb-001", "1.0.0")
    store.submit("w1", "smb-001", all_answers("b", small_defs), "k1")
    store.save_draft("w1", "smb-001", {"gamma_q1": "d"})
    store.submit("w1", "smb-002", all_answers("a", small_defs), "k2")
    store.set_language("smb-001", "fr")
    data = json.loads(json.dumps(store.export_business("smb-001")))
    assert data["business_id"] == "smb-001"
    assert data["display_name"] == "<script>alert(1)</script>"
    assert [w["workshop"] for w in data["workshops"]] == ["w1"]
    assert [c["privacy_version"] for c in data["consents"]] == ["1.0.0"]
    assert data["drafts"][0]["answers"] == {"gamma_q1": "d"}
    assert data["drafts"][0]["questionnaire_version"] == small_defs.questionnaire.version
    assert data["language"] == "fr"
    assert [s["submission_key"] for s in data["submissions"]] == ["k1"]
    assert "smb-002" not in json.dumps(data)
    assert {r.business_id for r in store.history("smb-001")} == {"smb-001"}


def test_delete_removes_every_row_of_that_business(store, small_defs):
    """After delete nothing of the business is left, and the other business is untouched."""
    store.record_consent("w1", "smb-001", "1.0.0")
    first = store.submit("w1", "smb-001", all_answers("b", small_defs), "k1")
    store.save_draft("w1", "smb-001", {"alpha_q1": "a"})
    store.join_respondent("w1", "smb-001", "smb-001-b", "staff")
    store.submit(
        "w1",
        "smb-001",
        all_answers("c", small_defs),
        "k1b",
        respondent="smb-001-b",
        notes={"alpha_q1": {"note": "seen it", "link": "https://example.org"}},
    )
    store.save_draft("w1", "smb-001", {"alpha_q1": "d"}, respondent="smb-001-b")
    store.set_targets("smb-001", {"alpha": 3, "gamma": 4})
    store.review(first.id, "Ana", "talked it through")
    store.submit("w1", "smb-002", all_answers("a", small_defs), "k2")
    report = store.delete_business("smb-001")
    assert report.existed
    assert report.removed == {
        "reviews": 1,
        "submissions": 2,
        "drafts": 2,
        "consents": 1,
        "targets": 2,
        "respondents": 1,
        "enrolments": 1,
        "businesses": 1,
    }
    with pytest.raises(StoreError, match="no data is held on business 'smb-001'"):
        store.export_business("smb-001")
    assert store.history("smb-001") == []
    assert [r.business_id for r in store.latest_submissions("w1")] == ["smb-002"]
    assert not store.delete_business("smb-001").existed


def _age_business(store, business_id: str, days: int) -> None:
    """Move every timestamp of one business ``days`` into the past, as time would."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select, update

    from kit.store.database import businesses, consents, drafts, submissions

    then = datetime.now(UTC) - timedelta(days=days)
    with store._write() as conn:
        pk = conn.scalar(select(businesses.c.id).where(businesses.c.business_id == business_id))
        conn.execute(update(businesses).where(businesses.c.id == pk).values(created_at=then))
        for table, column in (
            (submissions, "submitted_at"),
            (drafts, "updated_at"),
            (consents, "agreed_at"),
        ):
            conn.execute(update(table).where(table.c.business_pk == pk).values({column: then}))


def test_inactive_businesses_follow_the_latest_activity(store, small_defs):
    """Only a business whose every record is older than the cut-off is due for erasure."""
    from datetime import UTC, datetime, timedelta

    store.submit("w1", "smb-old", all_answers("b", small_defs), "k-old")
    store.submit("w1", "smb-back", all_answers("b", small_defs), "k-back")
    store.submit("w1", "smb-new", all_answers("b", small_defs), "k-new")
    _age_business(store, "smb-old", 400)
    _age_business(store, "smb-back", 400)
    store.save_draft("w1", "smb-back", {"alpha_q1": "c"})  # came back this week
    cutoff = datetime.now(UTC) - timedelta(days=365)
    assert store.inactive_businesses(cutoff) == ["smb-old"]


def test_answers_key_depends_on_content_not_order():
    """The import key is the same for the same answers in any order, and differs otherwise."""
    one = answers_key("w1", "smb-001", {"a_q": "a", "b_q": "b"})
    assert one == answers_key("w1", "smb-001", {"b_q": "b", "a_q": "a"})
    assert one != answers_key("w2", "smb-001", {"a_q": "a", "b_q": "b"})
    assert one != answers_key("w1", "smb-001", {"a_q": "a", "b_q": "c"})


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("postgresql+psycopg://u@h/db", "sqlite:///other.sqlite", "postgresql+psycopg://u@h/db"),
        (None, "sqlite:///from-env.sqlite", "sqlite:///from-env.sqlite"),
        (None, None, DEFAULT_URL),
    ],
)
def test_database_url_precedence(monkeypatch, explicit, env, expected):
    """Explicit option, then EAKIT_DATABASE_URL, then eakit.sqlite in the current folder."""
    if env is None:
        monkeypatch.delenv(URL_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(URL_VARIABLE, env)
    assert database_url(explicit) == expected


def test_plain_path_means_sqlite_file(tmp_path):
    """Does a bare file path open a SQLite file there?"""
    assert database_url(str(tmp_path / "x.sqlite")) == f"sqlite:///{tmp_path / 'x.sqlite'}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported backend 'mysql' (use sqlite or postgresql)"),
        (
            "postgresql+psycopg://nobody:secret@127.0.0.1:1/db",
            "cannot open database postgresql+psycopg://nobody:***@127.0.0.1:1/db",
        ),
    ],
)
def test_unusable_database_is_named_without_password(url, message):
    """A wrong URL is named (password hidden) instead of failing with a traceback."""
    with pytest.raises(StoreError, match=re.escape(message)):
        Store.open(url)


def test_sqlite_uses_wal_and_busy_timeout(tmp_path, small_defs):
    """Is the SQLite file in WAL mode, with a busy timeout so writers wait their turn?"""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with Store.open(url, definitions=small_defs) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- several processes at once ------------------------------------------------------------------

WRITERS, PER_WRITER = 8, 25


def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_workers", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_concurrent_writers_lose_and_duplicate_nothing(store_url, tmp_path):
    """8 processes x 25 submissions against a fresh store, each also sent by a second process,
    with a reader exporting meanwhile: exactly 200 rows, every expected key once."""
    stop = tmp_path / "stop"
    started = time.monotonic()
    writers = [_worker("write", store_url, str(n), str(PER_WRITER)) for n in range(WRITERS)]
    reader = _worker("read", store_url, str(stop))
    outputs = [w.communicate(timeout=300) for w in writers]
    elapsed = time.monotonic() - started
    stop.touch()
    read_out, read_err = reader.communicate(timeout=60)
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == f"wrote {PER_WRITER}"
    assert reader.returncode == 0, read_err
    assert int(read_out.split()[1]) > 0
    with Store.open(store_url) as store:
        keys = [r.submission_key for b in range(10) for r in store.history(f"smb-{b:03d}")]
        assert store.submission_count() == WRITERS * PER_WRITER
        assert store.progress(WORKSHOP).submitted == 10
    expected = {submission_key(w, i) for w in range(WRITERS) for i in range(PER_WRITER)}
    assert len(keys) == len(set(keys)) == WRITERS * PER_WRITER
    assert set(keys) == expected
    print(f"\n{store_url.split(':')[0]}: {WRITERS}x{PER_WRITER} submissions in {elapsed:.1f}s")


@pytest.mark.slow
def test_writer_killed_mid_transaction_leaves_only_committed_rows(store_url):
    """SIGKILL a process holding an open write transaction: the database stays intact, holds
    exactly the committed submissions, and the next writer is not blocked."""
    holder = _worker("hold", store_url, "3")
    line = holder.stdout.readline()
    assert line.strip() == "holding", holder.stderr.read()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    holder.stdout.close()
    holder.stderr.close()
    if store_url.startswith("sqlite"):
        path = store_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Store.open(store_url) as store:
        assert [r.submission_key for r in store.history("smb-001")] == [
            submission_key(0, i) for i in range(3)
        ]
        assert store.find_submission("never-committed") is None
        store.submit(WORKSHOP, "smb-001", answers_for(0, 3), "after-the-crash")
        assert store.submission_count() == 4
