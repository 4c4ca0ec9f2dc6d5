"""Imported once by each worker's kernel template, before any business is known (or, where
kernels cannot be forked, by each kernel as it starts, while the previous business runs).

Every report kernel is forked from a process that has run this, so these imports cost nothing
per business. Only code and the bundled definitions are loaded here: no store is opened, no
thread or JavaScript engine is started (a fork would not carry them over). Charts are drawn by
the batch worker, not in the kernel.
"""

from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()

import alembic.command  # noqa: E402  (Store.open imports it lazily)
import alembic.config  # noqa: E402, F401

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.reports import business  # noqa: E402, F401

bundled_definitions()
