"""Imported once by each batch process's kernel template, before any business is known (or,
where kernels cannot be forked, by each kernel as it starts, while the previous one runs).

Every report kernel is forked from a process that has run this, so this work costs nothing
per business: the kit's report code and its imports, the report's Jinja templates compiled
(about 0.03 CPU seconds a kernel), the SQL dialects ``Store.open`` would load on first use and
the database URL pattern. Only code, templates and the bundled definitions are loaded here: no
store is opened, no thread or JavaScript engine is started (a fork would not carry them over),
and nothing about any business is read. Charts are drawn by the batch worker, not the kernel.
"""

import contextlib
import importlib

from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()

import alembic.command  # noqa: E402  (Store.open imports it lazily)
import alembic.config  # noqa: E402, F401
from sqlalchemy.engine import make_url  # noqa: E402

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.reports import business  # noqa: E402, F401
from kit.reports.html import ENVIRONMENT  # noqa: E402

# what ``create_engine`` imports for a SQLite or PostgreSQL URL (the latter when installed)
DIALECTS = ("sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg")

bundled_definitions()
for _name in ENVIRONMENT.list_templates(extensions=["j2"]):
    ENVIRONMENT.get_template(_name)  # compiled now, kept in the environment's cache
for _dialect in DIALECTS:
    with contextlib.suppress(ImportError):
        importlib.import_module(_dialect)
make_url("sqlite://")  # compiles the URL pattern (re's cache), no database involved
