"""Upgrading a store made by the previous schema (0001) to 0002 keeps every row it held.

The fixture database is built the way a release before issue 14 built it: migration 0001, then
rows written with plain SQL into that schema (today's Store code expects the new schema, so it
cannot write the old one). Runs on a SQLite file and a real PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, inspect, select

from kit.store.database import Store, _create_engine, migrate
from tests.postgres import BACKENDS, postgres_server, url_for_backend  # noqa: F401

T0 = datetime(2026, 3, 4, 10, 30, 15, 123456, tzinfo=UTC)
ANSWERS = {
    "k-old-1": {"alpha_q1": "a", "alpha_q2": "b", "beta_q1": "not_applicable"},
    "k-old-2": {"alpha_q1": "c", "gamma_q1": "dont_know"},
    "k-old-3": {"alpha_q1": "d", "gamma_q2": "b"},
    "k-old-4": {"gamma_q1": "a"},
}


@pytest.fixture(params=BACKENDS)
def old_store_url(request, tmp_path) -> str:
    """A store at schema 0001 holding two workshops, three businesses, consents, drafts and
    four submissions (two of one business, across workshops)."""
    url = url_for_backend(request, tmp_path)
    engine = _create_engine(url)
    migrate(engine, "0001")
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    assert "respondents" not in t  # really the old schema
    with engine.begin() as conn:  # ids are not given: 1, 2, 3 in order, as a sequence hands out
        conn.execute(
            t["workshops"].insert(),
            [
                {"code": "spring-26", "title": "Spring", "created_at": T0},
                {"code": "autumn-26", "title": "", "created_at": T0},
            ],
        )
        conn.execute(
            t["businesses"].insert(),
            [
                {"business_id": "smb-001", "display_name": "Café Ünïcode", "created_at": T0},
                {"business_id": "smb-002", "display_name": "<b>x</b>", "created_at": T0},
                {"business_id": "smb-003", "display_name": "", "created_at": T0},
            ],
        )
        conn.execute(
            t["enrolments"].insert(),
            [
                {"workshop_pk": 1, "business_pk": 1, "joined_at": T0},
                {"workshop_pk": 1, "business_pk": 2, "joined_at": T0},
                {"workshop_pk": 2, "business_pk": 1, "joined_at": T0},
                {"workshop_pk": 2, "business_pk": 3, "joined_at": T0},
            ],
        )
        conn.execute(
            t["consents"].insert(),
            [
                {"workshop_pk": 1, "business_pk": 1, "privacy_version": "1.0.0", "agreed_at": T0},
                {"workshop_pk": 2, "business_pk": 3, "privacy_version": "1.1.0", "agreed_at": T0},
            ],
        )
        conn.execute(
            t["drafts"].insert(),
            [
                {
                    "workshop_pk": 1,
                    "business_pk": 2,
                    "answers": {"alpha_q1": "b"},
                    "updated_at": T0,
                },
                {
                    "workshop_pk": 2,
                    "business_pk": 3,
                    "answers": {"gamma_q2": "c"},
                    "updated_at": T0,
                },
            ],
        )
        conn.execute(
            t["submissions"].insert(),
            [
                {
                    "submission_key": key,
                    "workshop_pk": workshop_pk,
                    "business_pk": business_pk,
                    "answers": ANSWERS[key],
                    "model_version": "9.0.0",
                    "questionnaire_version": "9.0.0",
                    "source": source,
                    "submitted_at": T0 + timedelta(days=n),
                }
                for n, (key, workshop_pk, business_pk, source) in enumerate(
                    [
                        ("k-old-1", 1, 1, "form"),
                        ("k-old-2", 1, 2, "import"),
                        ("k-old-3", 2, 1, "form"),
                        ("k-old-4", 2, 3, "form"),
                    ]
                )
            ],
        )
    engine.dispose()
    return url


def test_upgrade_keeps_every_row(old_store_url, small_defs):
    with Store.open(old_store_url, definitions=small_defs) as store:
        tables = set(inspect(store.engine).get_table_names())
        assert {"respondents", "targets", "reviews"} <= tables
        with store.engine.connect() as conn:
            assert (
                conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                == "0003_business_language"
            )

        history = store.history("smb-001")
        assert [(r.submission_key, r.workshop) for r in history] == [
            ("k-old-1", "spring-26"),
            ("k-old-3", "autumn-26"),
        ]
        assert [r.answers for r in history] == [ANSWERS["k-old-1"], ANSWERS["k-old-3"]]
        assert history[0].submitted_at == T0
        assert history[1].submitted_at == T0 + timedelta(days=2)
        assert {(r.respondent, r.role, r.review) for r in history} == {("", "", None)}
        assert all(r.notes == {} for r in history)
        assert history[0].display_name == "Café Ünïcode"
        (second,) = store.history("smb-002")
        assert (second.source, second.answers, second.display_name) == (
            "import",
            ANSWERS["k-old-2"],
            "<b>x</b>",
        )
        assert store.submission_count() == 4

        assert store.load_draft("spring-26", "smb-002") == {"alpha_q1": "b"}
        assert store.load_draft("autumn-26", "smb-003") == {"gamma_q2": "c"}
        assert store.load_draft_notes("autumn-26", "smb-003") == {}
        consent = store.consent("autumn-26", "smb-003")
        assert (consent.privacy_version, consent.agreed_at) == ("1.1.0", T0)
        assert store.consent("spring-26", "smb-001").privacy_version == "1.0.0"
        progress = store.progress("spring-26")
        assert (progress.enrolled, progress.started, progress.submitted) == (2, 2, 2)
        assert [r.submission_key for r in store.latest_by_respondent("autumn-26", "smb-003")] == [
            "k-old-4"
        ]

        exported = store.export_business("smb-003")
        assert [d["respondent"] for d in exported["drafts"]] == [""]
        assert exported["respondents"] == exported["targets"] == exported["reviews"] == []

        # the upgraded store takes the new kinds of data beside the old rows
        store.join_respondent("autumn-26", "smb-003", "smb-003-b", "staff")
        store.save_draft("autumn-26", "smb-003", {"alpha_q1": "c"}, respondent="smb-003-b")
        assert store.load_draft("autumn-26", "smb-003") == {"gamma_q2": "c"}
        store.submit("autumn-26", "smb-003", {"alpha_q1": "c"}, "k-new", respondent="smb-003-b")
        assert store.load_draft("autumn-26", "smb-003") == {"gamma_q2": "c"}
        assert store.load_draft("autumn-26", "smb-003", respondent="smb-003-b") is None
        assert [r.respondent for r in store.latest_by_respondent("autumn-26", "smb-003")] == [
            "",
            "smb-003-b",
        ]
        store.submit("winter-26", "smb-004", {"alpha_q1": "a"}, "k-newer")  # new ids too
        assert store.workshops() == ["autumn-26", "spring-26", "winter-26"]


def test_downgrade_returns_the_old_rows(old_store_url, small_defs):
    """Going back to 0001 keeps the submissions and the one-respondent drafts."""
    Store.open(old_store_url, definitions=small_defs).close()
    engine = _create_engine(old_store_url)
    from alembic import command
    from alembic.config import Config

    from kit.store.database import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    meta = MetaData()
    meta.reflect(engine)
    assert "respondents" not in meta.tables
    with engine.connect() as conn:
        assert len(conn.execute(select(meta.tables["submissions"])).all()) == 4
        drafts = conn.execute(select(meta.tables["drafts"].c.answers)).scalars().all()
    assert sorted(map(str, drafts)) == sorted(map(str, [{"alpha_q1": "b"}, {"gamma_q2": "c"}]))
    engine.dispose()
