"""Lesson exercises, one module per topic.

Each module keeps the computation in pure functions (pandas in, pandas or numbers out, tested
against hand-computed values) and puts the widget and chart wrappers in separate functions that
only collect values and call those pure functions. Sample data lives in
``content/exercises/<topic>.yaml`` (or ``.csv``), never in code.
"""
