"""The workshop apps served by Voila (assessment, dashboard) and ``eakit serve``.
"""
