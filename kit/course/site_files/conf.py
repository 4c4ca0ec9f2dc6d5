"""Sphinx settings for the course website (`make site`); the pages come from kit.course.site."""

project = "Ethical automation for small businesses"
author = "Ethical Automation Maturity Kit"
extensions = ["myst_nb"]
# Notebooks arrive executed (kit.course.site runs them and replaces widgets with a note), so
# Sphinx renders what is stored and never starts a kernel of its own.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
html_theme = "sphinx_book_theme"
html_title = project
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_copy_source = False
html_show_sourcelink = False
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]
