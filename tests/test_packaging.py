"""Do the two ways of installing (pip and conda) ask for the same packages?"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    """Does environment.yml list exactly the runtime and dev dependencies of pyproject.toml?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = {_name(d) for d in conda if isinstance(d, str)} - {"python", "pip"}
    assert listed == wanted


def test_scoring_core_imports_no_jupyter():
    """Can the scoring core be imported where Jupyter and papermill are not wanted?"""
    import subprocess
    import sys

    code = (
        "import sys, kit.core.scoring, kit.core.explain, kit.tables.cohort_file, "
        "kit.core.definitions;"
        "bad = [m for m in ('ipywidgets', 'IPython', 'papermill', 'nbformat') if m in "
        "sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
