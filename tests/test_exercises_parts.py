"""Each exercise topic's parts: pure parts load no Jupyter, and lessons see one name space."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys

import pytest

from kit.course.exercises.parts import PARTS

TOPICS = (
    "community_engagement",
    "customer_experience",
    "customer_relationships",
    "service_automation",
    "social_impact",
)
PURE = [f"kit.course.exercises.{topic}.{part}" for topic in TOPICS for part in ("data", "calc")]


def test_pure_parts_import_without_jupyter_or_altair() -> None:
    """In a fresh interpreter, do data, calc and a pure name through a topic load no widgets?"""
    code = "\n".join(
        [
            "import sys",
            *(f"import {module}" for module in PURE),
            "from kit.course.exercises import customer_experience as ex",
            "assert ex.nps([10, 9, 3]) == 100 * (2 - 1) / 3",
            "from kit.course.exercises import social_impact",
            "social_impact.freed_resources(social_impact.example_tasks(), 0.25)",
            "print(sorted({'ipywidgets', 'IPython', 'altair'} & set(sys.modules)))",
        ]
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("topic", TOPICS)
def test_lessons_see_every_part_under_one_name(topic: str) -> None:
    """Does ``ex.<name>`` give the object its part defines, with no part shadowing another?"""
    package = importlib.import_module(f"kit.course.exercises.{topic}")
    for part in PARTS:
        module = importlib.import_module(f"{package.__name__}.{part}")
        defined = {
            name: value
            for name, value in vars(module).items()
            if not name.startswith("_")
            and (inspect.isfunction(value) or inspect.isclass(value))
            and value.__module__ == module.__name__
        }
        assert defined, f"{module.__name__} defines nothing"
        for name, value in defined.items():
            assert getattr(package, name) is value, f"{topic}.{name} is not {part}.{name}"
        assert set(defined) <= set(dir(package))


def test_an_unknown_name_says_which_topic() -> None:
    """Does a misspelt name fail as a plain AttributeError naming the topic?"""
    from kit.course.exercises import social_impact

    with pytest.raises(
        AttributeError,
        match=re.escape("'kit.course.exercises.social_impact' has no attribute 'freed_resorces'"),
    ):
        social_impact.freed_resorces  # noqa: B018
