"""Keep one slow import that nothing here uses out of batch workers and report kernels.

jsonschema (loaded by nbformat, papermill and altair) imports ``rfc3987_syntax`` whenever it is
installed, to check the "iri" and "iri-reference" string formats, and that module compiles a
parser grammar as it loads: about 1.3 s of CPU per process on a two-core machine, paid by every
worker and every report kernel. Neither schema the kit validates (the notebook format and
Vega-Lite) uses those two formats, so batch processes mark the module absent before jsonschema
loads; jsonschema then leaves out those two checks and nothing else changes.
"""

from __future__ import annotations

import sys

UNUSED_SLOW_MODULES = ("rfc3987_syntax",)


def skip_unused_slow_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process (jsonschema tolerates that)."""
    for name in UNUSED_SLOW_MODULES:
        # None in sys.modules makes an import fail (documented); typeshed allows only modules.
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
