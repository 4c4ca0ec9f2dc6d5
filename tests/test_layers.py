"""Do the kit's dependencies point one way, as the README's architecture says?

The table below is the rule a newcomer reads: each layer names the layers it may import. Every
``import`` in the package is read from the source (those inside functions too), so a lazy import
cannot hide a dependency that points up. Cycles are looked for among module-level imports, and
every module is imported in a fresh interpreter, as a user's script would.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parent.parent / "kit"

BASE = "base"  # kit itself: errors, paths, settings, slow_imports
MAY_IMPORT: dict[str, set[str]] = {
    BASE: set(),
    "kernels": {BASE},  # forked kernels, for the batch and for the apps' participants
    "core": {BASE},
    "tables": {BASE, "core"},
    "charts": {BASE, "core"},
    "store": {BASE, "core", "tables"},
    "forms": {BASE, "core", "charts", "store"},
    "course": {BASE, "core", "charts", "tables"},
    "reports": {BASE, "core", "charts", "store"},
    "batch": {BASE, "core", "tables", "store", "reports", "kernels"},
    "apps": {BASE, "core", "charts", "store", "forms", "reports", "kernels"},
    "cli": {BASE, "core", "tables", "store", "course", "reports", "batch", "apps"},
    "widgets": {"forms"},  # the deprecated alias kept for lessons written earlier
}
# Third-party packages a layer must never load: the core stays importable without Jupyter.
FORBIDDEN: dict[str, set[str]] = {
    "core": {
        "IPython",
        "ipywidgets",
        "papermill",
        "voila",
        "altair",
        "vl_convert",
        "sqlalchemy",
        "pandas",
        "nbformat",
        "jupyter_client",
    },
    "tables": {"IPython", "ipywidgets", "papermill", "voila", "altair", "sqlalchemy"},
    "charts": {"IPython", "ipywidgets", "papermill", "voila", "sqlalchemy"},
    "store": {"IPython", "ipywidgets", "papermill", "voila", "altair"},
    "reports": {"ipywidgets", "voila"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(KIT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path for path in sorted(KIT.rglob("*.py")) if "migrations" not in path.parts
}


def layer(module: str) -> str:
    """``kit.core.scoring`` -> ``core``; the package's own modules (``kit.errors``) -> base."""
    parts = module.split(".")
    if len(parts) > 1 and ((KIT / parts[1]).is_dir() or parts[1] == "widgets"):
        return parts[1]
    return BASE


def _is_type_checking(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Every module this file imports (``kit.x.y``, or a third-party name); with
    ``top_level_only``, only those run at import time (not inside functions)."""
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if _is_type_checking(node):
            continue
        if top_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if f"{node.module}.{a.name}" in MODULES
            )
        pending.extend(ast.iter_child_nodes(node))
    return found


def test_every_layer_in_the_tree_is_in_the_table() -> None:
    """Is there a rule for each subpackage, so a new one cannot slip in unruled?"""
    assert {layer(m) for m in MODULES} <= set(MAY_IMPORT)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    """Does this module import only its own layer and the layers the table allows?"""
    own = layer(module)
    allowed = MAY_IMPORT[own] | {own}
    wrong = sorted(
        name for name in imports(MODULES[module]) if name in MODULES and layer(name) not in allowed
    )
    assert not wrong, f"{module} ({own}) imports {wrong}; allowed: {sorted(allowed)}"
    forbidden = sorted(
        name for name in imports(MODULES[module]) if name.split(".")[0] in FORBIDDEN.get(own, set())
    )
    assert not forbidden, f"{module} ({own}) imports {forbidden}"


def test_no_import_cycles() -> None:
    """Can every module be loaded without another one being half-initialised?"""
    graph = {
        m: {n for n in imports(p, top_level_only=True) if n in MODULES and n != m}
        for m, p in MODULES.items()
    }
    # A package's __init__ may re-export its own submodules; that is not a cycle.
    for m in graph:
        graph[m] = {n for n in graph[m] if not m.startswith(n + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _fresh_import(module: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return module, done.stderr.strip().splitlines()[-1] if done.returncode else ""


@pytest.mark.slow
def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Does each module import on its own, as a user's script or a kernel would import it?"""
    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f"{m}: {err}" for m, err in pool.map(_fresh_import, sorted(MODULES)) if err]
    assert not failures, "\n".join(failures)


def test_core_loads_no_jupyter_in_a_fresh_interpreter() -> None:
    """Does scoring a business load no notebook machinery, at run time as well as on paper?"""
    code = (
        "import sys, kit.core.scoring, kit.core.explain, kit.core.cohort_stats, "
        "kit.core.ids, kit.core.privacy, kit.core.records;"
        "from kit.core.definitions import bundled_definitions; bundled_definitions();"
        f"bad = sorted(set({sorted(FORBIDDEN['core'])!r}) & set(sys.modules)); print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"


def test_help_loads_only_the_parser() -> None:
    """Does ``eakit --help`` stay quick by importing no heavy library?"""
    code = (
        "import sys; from kit.cli import build_parser; build_parser();"
        "heavy = {'pydantic', 'sqlalchemy', 'pandas', 'altair', 'ipywidgets', 'papermill',"
        " 'yaml', 'jinja2', 'openpyxl'}; print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_batch_process_draws_its_charts_without_loading_widgets(tmp_path: Path) -> None:
    """Does ``eakit batch`` keep ipywidgets and IPython (loaded by altair's anywidget) out of
    its own process, and still write every report with its chart and the cohort summary?"""
    code = (
        "import sys; from kit.cli import main; from kit.paths import SAMPLE_COHORT;"
        "code = main(['batch', str(SAMPLE_COHORT), '--workshop', 'w',"
        f" '--out', {str(tmp_path)!r}]);"
        "loaded = {'anywidget', 'ipywidgets', 'IPython', 'rfc3987_syntax'} & {"
        " name for name, module in sys.modules.items() if module is not None};"
        "print(code, sorted(loaded))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
    reports = sorted((tmp_path / "businesses").glob("*.html"))
    assert len(reports) == 16
    assert all('<svg role="img"' in path.read_text(encoding="utf-8") for path in reports)
    assert "<svg" in (tmp_path / "summary.html").read_text(encoding="utf-8")
