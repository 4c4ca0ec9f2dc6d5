"""Keep slow imports that nothing here uses out of batch processes and report kernels.

- jsonschema (loaded by nbformat, papermill and altair) imports ``rfc3987_syntax`` whenever it
  is installed, to check the "iri" and "iri-reference" string formats, and that module compiles
  a parser grammar as it loads: about 1.3 s of CPU per process on a two-core machine, paid by
  every worker and every report kernel. Neither schema the kit validates (the notebook format
  and Vega-Lite) uses those two formats, so batch processes mark the module absent before
  jsonschema loads; jsonschema then leaves out those two checks and nothing else changes.
- altair imports ``anywidget``, and with it ipywidgets and IPython (about 0.25 s of CPU), for
  its ``JupyterChart`` widget alone; without anywidget it puts a stand-in in that one's place.
  A batch's own process draws its charts as SVG and never shows a widget, so it leaves them out
  (``skip_widget_imports``), on the serial start of every batch.
"""

from __future__ import annotations

import sys

UNUSED_SLOW_MODULES = ("rfc3987_syntax",)
WIDGET_MODULES = ("anywidget",)


def _mark_absent(names: tuple[str, ...]) -> None:
    for name in names:
        # None in sys.modules makes an import fail (documented); typeshed allows only modules.
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def skip_unused_slow_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process (jsonschema tolerates that)."""
    _mark_absent(UNUSED_SLOW_MODULES)


def skip_widget_imports() -> None:
    """Make ``import anywidget`` fail fast in this process (altair tolerates that), for a
    process that never shows a widget; call it before altair is imported."""
    _mark_absent(WIDGET_MODULES)
