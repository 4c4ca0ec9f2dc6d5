"""What every app kernel has imported before it exists: the template ``kit.kernels`` forks
participants' kernels from imports this module once for the whole server.

Importing is all it does (the template must open no database connection and start no thread),
so each forked kernel begins with ipywidgets, SQLAlchemy, the form and the dashboard loaded and
sharing the template's memory until it writes to it.
"""

from __future__ import annotations

import ipywidgets  # noqa: F401
from IPython.display import Javascript  # noqa: F401

import kit.apps.assessment
import kit.apps.dashboard
import kit.apps.launch  # noqa: F401
