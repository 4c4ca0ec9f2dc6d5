"""Shared fixtures: the small hand-computable definitions and two ways to run the CLI.

``run_cli`` calls ``kit.cli.main`` in this process (what the console script does, without the
second or so a fresh interpreter costs); ``run_eakit`` starts the installed console script, for
the few tests where the real executable is the point.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kit.cli import main
from kit.core.definitions import DefinitionFiles, Definitions, load_definitions

FIXTURES = Path(__file__).parent / "fixtures"
TEST_DEFINITIONS = FIXTURES / "definitions"


def fixture_files(directory: Path = TEST_DEFINITIONS) -> DefinitionFiles:
    return DefinitionFiles(
        model=directory / "maturity_model.yaml",
        questionnaire=directory / "questionnaire.yaml",
        recommendations=directory / "recommendations.yaml",
    )


@pytest.fixture(scope="session")
def small_defs() -> Definitions:
    """Three areas: alpha (4 questions), beta (2, not-applicable allowed), gamma (2)."""
    return load_definitions(fixture_files())


@pytest.fixture
def definitions_copy(tmp_path: Path) -> Path:
    """A writable copy of the small definitions, for breaking on purpose."""
    target = tmp_path / "definitions"
    shutil.copytree(TEST_DEFINITIONS, target)
    return target


@dataclass(frozen=True)
class CliResult:
    """What a trainer sees of one command: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None
) -> CliResult:
    """Run ``eakit ARGS`` in this process through ``kit.cli.main``, as the console script does.

    The working folder, environment variables and standard input apply to this call only, as
    they would to a subprocess; argparse's exits (usage errors) become the exit status.
    """
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if cwd is not None:
            patch.chdir(cwd)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.StringIO(input or ""))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return CliResult(status, out.getvalue(), err.getvalue())


def run_eakit(
    *args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None
) -> subprocess.CompletedProcess:
    """Run the installed console script as a user would, capturing its output."""
    eakit = Path(sys.executable).parent / "eakit"
    return subprocess.run(
        [str(eakit), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=300,
    )


def require_system_tool(path_or_name: str, why: str) -> str:
    """Skip with a visible reason on a user's machine, but fail under CI where it must exist."""
    found = shutil.which(path_or_name) or (path_or_name if Path(path_or_name).exists() else None)
    if found:
        return found
    message = f"{path_or_name} is not installed: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must install it in .ci/run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests (Debian's, never a downloaded build)."""
    from kit.reports.renderers import CHROMIUM_ARGS
    from tests.apps_support import CHROMIUM

    require_system_tool(CHROMIUM, "the browser tests drive the Voila apps in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
