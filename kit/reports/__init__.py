"""Printable reports: one per business (run through papermill) and one per cohort.

``context`` decides what a report says, ``charts`` draws it as inline SVG, ``html`` lays it out
with autoescaping Jinja templates, ``business`` is what the report notebook calls, ``summary``
builds the cohort page and ``renderers`` turns a finished page into HTML or PDF bytes.
"""
