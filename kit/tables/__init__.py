"""Spreadsheets in and out: reading cohort files (CSV, XLSX, JSON answers) and writing tables
that are safe to open in a spreadsheet program.
"""
