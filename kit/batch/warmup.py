"""Imported once by each batch process's kernel template, before any business is known (or,
where kernels cannot be forked, by each kernel as it starts, while the previous one runs).

Every report kernel is forked from a process that has run this, so this work costs nothing
per business: the kit's report code and its imports, the report's Jinja templates compiled
(about 0.03 CPU seconds a kernel), the SQL dialects ``Store.open`` would load on first use and
the database URL pattern. Then a rehearsal: one made-up business's report, in every language,
from a throwaway store that is closed and deleted before any kernel is forked. What a report
does only the first time in a process (the participant messages parsed, number formats loaded
for each language, SQL statements compiled: 0.18 of its 0.19 CPU seconds) is so done once.
No thread or JavaScript engine is started (a fork would not carry them over), no connection is
left open, and nothing about a real business is read. Charts are drawn by the batch worker,
not the kernel.
"""

import contextlib
import importlib
import os
import tempfile
from pathlib import Path

from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()

import alembic.command  # noqa: E402  (Store.open imports it lazily)
import alembic.config  # noqa: E402, F401
from sqlalchemy.engine import make_url  # noqa: E402

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.core.language import LANGUAGES  # noqa: E402
from kit.kernels.shell import prepare as prepare_shell  # noqa: E402
from kit.paths import SAMPLE_COHORT  # noqa: E402
from kit.reports.business import (  # noqa: E402
    LEAVE_TO_RENDERER,
    business_report,
    cohort_parameter,
)
from kit.reports.context import CohortView  # noqa: E402
from kit.reports.html import ENVIRONMENT  # noqa: E402
from kit.settings import CHARTS_VARIABLE  # noqa: E402
from kit.store.database import Store  # noqa: E402
from kit.tables.cohort_file import read_cohort  # noqa: E402

# what ``create_engine`` imports for a SQLite or PostgreSQL URL (the latter when installed)
DIALECTS = ("sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg")

bundled_definitions()
for _name in ENVIRONMENT.list_templates(extensions=["j2"]):
    ENVIRONMENT.get_template(_name)  # compiled now, kept in the environment's cache
for _dialect in DIALECTS:
    with contextlib.suppress(ImportError):
        importlib.import_module(_dialect)
make_url("sqlite://")  # compiles the URL pattern (re's cache), no database involved

REHEARSAL = "rehearsal"  # the made-up workshop and business of the rehearsal


def rehearse() -> None:
    """Build one made-up business's report in every language, on a store deleted after, as
    a batch kernel builds it: charts left to the batch (no chart engine in this process)."""
    os.environ[CHARTS_VARIABLE] = LEAVE_TO_RENDERER  # a kernel gets its own environment
    sample = read_cohort(SAMPLE_COHORT, bundled_definitions()).rows[0]
    with tempfile.TemporaryDirectory(prefix="eakit-rehearsal-") as folder:
        url = f"sqlite:///{Path(folder) / 'rehearsal.sqlite'}"
        with Store.open(url) as store:
            store.ensure_business(REHEARSAL, REHEARSAL, REHEARSAL)
            store.submit(REHEARSAL, REHEARSAL, sample.answers, REHEARSAL)
            cohort = cohort_parameter(
                CohortView.of(store.definitions, store.latest_submissions(REHEARSAL))
            )
        for language in LANGUAGES:
            business_report(url, REHEARSAL, REHEARSAL, cohort, language)._repr_mimebundle_()


rehearse()
prepare_shell()  # the shell each business's cells run in, set up once
