"""Where answers are kept: the database, its migrations and the cohort importer."""
