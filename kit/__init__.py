"""The Ethical Automation Maturity Kit: a course and self-assessment for small businesses.

The layers, lowest first (each imports only those below it; ``tests/test_layers.py`` holds the
rules): ``kit.core`` (definitions, scoring, explanations, cohort statistics; no Jupyter),
``kit.tables`` (spreadsheets), ``kit.charts`` (Altair), ``kit.store`` (the database),
``kit.forms`` and ``kit.course`` (widgets for participants), ``kit.reports``, ``kit.batch``,
``kit.apps`` (Voila) and ``kit.cli`` (the ``eakit`` command).
"""

__version__ = "0.2.0"
