"""A topic's lesson-facing name space, importing each of its parts only when a name is used.

A lesson writes ``from kit.course.exercises import social_impact as ex`` and then calls
``ex.freed_resources(...)`` or ``ex.freed_resources_explorer()``. The names live in the topic's
parts, lowest first: ``data`` (sample-data models and loaders), ``calc`` (the arithmetic),
``charts`` (Altair) and ``widgets`` (explorers). A name is looked up part by part in that order,
and each part imports only the parts below it, so ``ex.freed_resources`` loads neither Altair
nor ipywidgets, and only a widget name brings in Jupyter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from types import ModuleType
from typing import Any

PARTS = ("data", "calc", "charts", "widgets")


def _part(package: str, part: str) -> ModuleType:
    return importlib.import_module(f"{package}.{part}")


def lesson_name(package: str, name: str) -> Any:
    """What ``<package>.<name>`` means to a lesson: a part, or a public name from the first part
    that defines it."""
    if name in PARTS:
        return _part(package, name)
    if not name.startswith("_"):
        for part in PARTS:
            module = _part(package, part)
            if name in vars(module):
                return vars(module)[name]
    raise AttributeError(f"module {package!r} has no attribute {name!r}")


def lesson_names(package: str) -> list[str]:
    """Every public name a lesson can use from the topic (for ``dir()`` and tab completion)."""
    return sorted(
        {
            *PARTS,
            *(
                name
                for part in PARTS
                for name in vars(_part(package, part))
                if not name.startswith("_")
            ),
        }
    )


def lesson_space(package: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A topic package's module ``__getattr__`` and ``__dir__``:
    ``__getattr__, __dir__ = lesson_space(__name__)``."""
    return partial(lesson_name, package), partial(lesson_names, package)
