"""The pure core: definitions, scoring, explanations, ids, records and cohort statistics.

Imports neither Jupyter, ipywidgets, papermill, Voila nor Altair, so a script, a test or a
server can score a business with nothing but pydantic and PyYAML.
"""
