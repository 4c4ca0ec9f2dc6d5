"""Build the whole course as a static website that reads offline and on a phone.

    python -m kit.course.site [--out DIR]        # `make site`; default build/site

Every participant notebook is executed first, in a fresh kernel from its own folder (as the
tests do), so the pages show real tables and charts (SVG, drawn locally). Interactive widgets
cannot work without a kernel, so each widget output is replaced by a note saying how to open
the lesson in JupyterLab. Glossary, case studies and the maturity model become pages of their
own, generated from the YAML. Sphinx with MyST-NB and the book theme then renders the lot;
nothing on the pages loads from the internet.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kit.core.definitions import bundled_definitions
from kit.course.content import Course, load_case_studies, load_course, load_glossary
from kit.course.lessons import case_study_markdown, glossary_markdown
from kit.errors import UnknownContentError
from kit.paths import NOTEBOOKS_DIR, ROOT
from kit.settings import URL_VARIABLE

SITE_FILES = Path(__file__).parent / "site_files"
DEFAULT_OUT = ROOT / "build" / "site"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
TIMEOUT = 300
WIDGET_NOTE = (
    '<div class="admonition note"><p class="admonition-title">Interactive in JupyterLab</p>'
    "<p>This part is an interactive exercise, check or form. It works in JupyterLab: run "
    "<code>make course</code> in the kit's folder and open this lesson from the course map."
    "</p></div>"
)


_NOTEBOOK_LINK = re.compile(r"\]\(([\w/.-]+)\.ipynb\)")
_PLAN_CALL = re.compile(r"\b(lesson_intro|discussion)\(")


def for_the_web(notebook: nbformat.NotebookNode) -> int:
    """Widget outputs become the note, links to notebooks in markdown outputs point at their
    pages (Sphinx resolves links typed in cells, not links a cell prints), and the code of
    cells that only render the course plan is hidden; returns how many widgets were replaced."""
    replaced = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if _PLAN_CALL.search(cell.source):
            cell.metadata.setdefault("tags", []).append("remove-input")
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                replaced += 1
                output = nbformat.v4.new_output("display_data", data={"text/html": WIDGET_NOTE})
            elif "text/markdown" in data:
                data["text/markdown"] = _NOTEBOOK_LINK.sub(r"](\1.html)", data["text/markdown"])
            outputs.append(output)
        cell.outputs = outputs
    notebook.metadata.pop("widgets", None)
    return replaced


def execute_notebook(source: Path, target: Path, database: Path) -> nbformat.NotebookNode:
    """Run one participant notebook in its own folder and store it, widgets replaced."""
    notebook = nbformat.read(source, as_version=4)
    environment = {URL_VARIABLE: f"sqlite:///{database}"}
    previous = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        client = NotebookClient(
            notebook,
            timeout=TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(source.parent)}},
        )
        # nbclient's stand-in for Output widgets sends to the kernel while a cell's reply is
        # due, which can leave that reply unread and the build hung (tests/notebook_runner.py);
        # the site replaces widgets with a note anyway.
        client.widget_registry = {}
        client.execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for_the_web(notebook)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return notebook


def glossary_page() -> str:
    return (
        "# Glossary\n\n"
        + glossary_markdown(sorted(load_glossary().values(), key=lambda term: term.term.lower()))
        + "\n"
    )


def case_studies_page(course: Course) -> str:
    cases = load_case_studies()
    parts = ["# Case studies", "Every case the lessons use, by topic and level."]
    for topic in course.topics:
        parts.append(f"## {topic.title}")
        parts += [
            case_study_markdown(case, []).replace("### Case:", "### ", 1)
            for case in cases.values()
            if case.topic == topic.id
        ]
    return "\n\n".join(parts) + "\n"


def maturity_model_page() -> str:
    model = bundled_definitions().model
    parts = [
        f"# {model.title}",
        "Four levels, nine areas. The self-assessment places a "
        "business at a level in each area and overall.",
        "## Levels",
    ]
    for level in model.levels:
        traits = "\n".join(f"- {trait}" for trait in level.characteristics)
        parts.append(
            f"### {level.number}. {level.label}\n\n{level.plain_summary}\n\n"
            f"**Ethical focus:** {level.ethical_focus}\n\n"
            f"**Place in the strategy:** {level.strategic_integration}\n\n{traits}"
        )
    parts.append("## Areas")
    parts += [f"### {dimension.name}\n\n{dimension.description}" for dimension in model.dimensions]
    return "\n\n".join(parts) + "\n"


def index_page(course: Course) -> str:
    lessons = "\n".join(f"{Path(lesson.notebook).with_suffix('')}" for lesson in course.lessons)
    intro = (SITE_FILES / "index.md").read_text(encoding="utf-8")
    return (
        f"{intro}\n```{{toctree}}\n:caption: Start\n:maxdepth: 1\n\n00_start_here\n```\n\n"
        f"```{{toctree}}\n:caption: Lessons, in the suggested order\n:maxdepth: 1\n\n"
        f"{lessons}\n```\n\n"
        "```{toctree}\n:caption: Reference\n:maxdepth: 1\n\nglossary\ncase_studies\n"
        "maturity_model\n```\n"
    )


PAGES: dict[str, Callable[[Course], str]] = {
    "index.md": index_page,
    "glossary.md": lambda course: glossary_page(),
    "case_studies.md": case_studies_page,
    "maturity_model.md": lambda course: maturity_model_page(),
}


def stage(source_dir: Path, course: Course, progress: Callable[[str], None] = print) -> None:
    """Write every page Sphinx will render: executed notebooks and generated pages."""
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "site.sqlite"
        for notebook in [
            Path("00_start_here.ipynb"),
            *(Path(lesson.notebook) for lesson in course.lessons),
        ]:
            progress(f"executing {notebook}")
            execute_notebook(NOTEBOOKS_DIR / notebook, source_dir / notebook, database)
    for name, page in PAGES.items():
        (source_dir / name).write_text(page(course), encoding="utf-8")


def build_site(
    out: Path = DEFAULT_OUT,
    lesson_ids: list[str] | None = None,
    progress: Callable[[str], None] = print,
) -> Path:
    """Stage and render the site (every lesson, or only those named, for a quick preview);
    returns the path of its front page."""
    course = load_course()
    if lesson_ids:
        unknown = sorted(set(lesson_ids) - set(course.lessons_by_id))
        if unknown:
            raise UnknownContentError(f"unknown lesson id(s): {', '.join(unknown)}")
        course = course.model_copy(
            update={"lessons": [lesson for lesson in course.lessons if lesson.id in lesson_ids]}
        )
    source_dir = out.parent / f"{out.name}-src"
    shutil.rmtree(source_dir, ignore_errors=True)
    source_dir.mkdir(parents=True)
    stage(source_dir, course, progress)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-c",
            str(SITE_FILES),
            str(source_dir),
            str(out),
        ],
        check=True,
    )
    return out / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kit.course.site", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--lesson",
        action="append",
        dest="lessons",
        metavar="ID",
        help="only this lesson (repeat for more), for a quick preview",
    )
    args = parser.parse_args(argv)
    front = build_site(args.out, args.lessons)
    print(f"Course website: {front} (open it in a browser; it works offline)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
