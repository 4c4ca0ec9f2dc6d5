"""``eakit batch``: one papermill-run report per business, in parallel, plus a cohort summary.

``inputs`` checks what to report on, ``jobs`` describes one business's work, ``worker`` runs it
in a fresh kernel, ``executors`` spread jobs over worker threads or a Dask cluster,
``manifest`` records the outcome and ``run`` (``run_batch``) ties them together.
"""
