"""Lesson exercises: one package per topic, each split into the same four parts.

The rule, lowest part first; a part imports only the parts listed before it:

- ``<topic>/data.py``: the pydantic models of the sample data and of the content files the
  exercise reads (``content/exercises/<topic>.yaml``, checklists), and their loaders. No
  Altair, no ipywidgets.
- ``<topic>/calc.py``: the arithmetic, as pure functions (pandas in, pandas or numbers out),
  tested against hand-computed values. No Altair, no ipywidgets.
- ``<topic>/charts.py``: Altair charts of those results (``kit.charts.builders`` vocabulary).
- ``<topic>/widgets.py``: thin explorers. Each declares its controls by name and hands them to
  ``kit.course.explorer.Explorer`` with a pure function from ``calc``; no widget computes.

Shared helpers sit beside the topics: ``score_tables`` (pure checks of rating tables),
``status_tiles`` (a chart) and ``table_controls`` (widgets editing a whole table). Lessons use a
topic package as one name space (``ex.nps(...)``, ``ex.roi_calculator()``); ``parts`` resolves
each name from the part that holds it, importing nothing heavier than that part needs.
"""
