"""One module per group of ``eakit`` verbs; each registers itself with ``kit.cli.command``."""
