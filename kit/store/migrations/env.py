"""Alembic environment for the response store: runs on the connection ``kit.store.database``
hands over.

``kit.store.database.migrate`` opens the transaction (and takes the migration lock) itself, so
this file
only points Alembic at that connection; it never reads an alembic.ini or a URL of its own.
"""

from __future__ import annotations

from alembic import context

from kit.store.database import METADATA

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through kit.store.database.Store.open or kit.store.database.migrate"
    )

context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
