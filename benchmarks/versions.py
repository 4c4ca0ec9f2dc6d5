"""What questionnaire versions cost: reading and checking a versions folder, carrying answer
sets through a migration, and writing the XLSForm.

    .venv/bin/python benchmarks/versions.py [--answers 10000]

Uses the fixture pair in tests/fixtures/versions (9.1.0 -> 9.2.0, one change of each kind) and
the bundled questionnaire for the XLSForm. Prints the load average with the figures: other work
on the machine makes every figure slower.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kit.core.definitions import DefinitionFiles, bundled_definitions, load_definitions  # noqa: E402
from kit.core.versions import carry_forward, read_history, versions_folder  # noqa: E402
from kit.core.xlsform import xlsform_sheets  # noqa: E402
from kit.tables.writer import write_workbook  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "versions"


def _seconds(run, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        run()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10000)
    count = parser.parse_args().answers
    definitions = load_definitions(
        DefinitionFiles(
            model=FIXTURE / "maturity_model.yaml",
            questionnaire=FIXTURE / "questionnaire.yaml",
            recommendations=FIXTURE / "recommendations.yaml",
        )
    )
    folder = versions_folder(definitions)
    read = _seconds(lambda: read_history(folder, definitions.questionnaire), repeat=20)
    letters = "abcd"
    old = [
        {
            "alpha_q1": letters[i % 4],
            "alpha_q2": letters[(i + 1) % 4],
            "alpha_q3": letters[(i + 2) % 4],
            "alpha_q4": letters[(i + 3) % 4],
            "beta_q1": letters[i % 4],
            "beta_q2": "dont_know",
            "gamma_q1": letters[i % 4],
            "gamma_q2": letters[(i + 1) % 4],
        }
        for i in range(count)
    ]
    carry_forward(definitions, old[0], "9.1.0")  # the history is read once per process
    carry = _seconds(lambda: [carry_forward(definitions, a, "9.1.0") for a in old])
    bundled = bundled_definitions()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "form.xlsx"
        export = _seconds(lambda: write_workbook(out, xlsform_sheets(bundled)), repeat=5)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average: {load}")
    print(f"read and check the versions folder: {read * 1000:.1f} ms")
    print(
        f"carry {count} answer sets 9.1.0 -> 9.2.0: {carry:.3f} s "
        f"({carry / count * 1e6:.1f} µs each)"
    )
    print(f"write the bundled questionnaire as an XLSForm: {export * 1000:.0f} ms")


if __name__ == "__main__":
    main()
