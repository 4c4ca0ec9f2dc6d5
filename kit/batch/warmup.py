"""Imported by each report kernel as it starts, before it is given any business.

A batch starts the next kernel while the current business runs, so these imports happen off
the critical path. Only code and the bundled definitions are loaded here: no store is opened
and no business is known yet. (Charts are drawn by the batch worker, not in the kernel.)
"""

from kit.slow_imports import skip_unused_slow_imports

skip_unused_slow_imports()

import alembic.command  # noqa: E402  (Store.open imports it lazily)
import alembic.config  # noqa: E402, F401

from kit.core.definitions import bundled_definitions  # noqa: E402
from kit.reports import business  # noqa: E402, F401

bundled_definitions()
