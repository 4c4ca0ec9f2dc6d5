"""``eakit score``: place one business (JSON) or a whole cohort (CSV/XLSX) and explain why.

A business answered by several respondents (one row each) is placed once, on their answers
combined as the store combines them (``kit.core.respondents``)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kit.cli.terminal import say, warn
from kit.cli.verbs import Verb

if TYPE_CHECKING:
    from kit.core.definitions import Definitions
    from kit.core.scoring import Placement
    from kit.tables.cohort_file import CohortRow


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "answers",
        type=Path,
        help="a JSON answers file, or a cohort .csv/.xlsx (see 'eakit template')",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="with a cohort, also print each business's full explanation",
    )


@dataclass(frozen=True)
class ScoredBusiness:
    """One business of the file: its first row (id, name), its placement, and how many
    respondents' rows it rests on."""

    row: CohortRow
    placement: Placement
    respondents: int = 1


def _heading(business: ScoredBusiness) -> str:
    row = business.row
    name = f"{row.business_name} ({row.business_id})" if row.business_name else row.business_id
    return name if business.respondents == 1 else f"{name}, {business.respondents} respondents"


def score_rows(definitions: Definitions, rows: list[CohortRow]) -> list[ScoredBusiness]:
    """Each business once, in file order; several respondents' rows are combined first."""
    from kit.core.respondents import combine_answers
    from kit.core.scoring import score_valid_answers

    by_business: dict[str, list[CohortRow]] = {}
    for row in rows:
        by_business.setdefault(row.business_id, []).append(row)
    scored = []
    for group in by_business.values():
        if len(group) == 1:
            answers = group[0].answers
        else:
            answers = combine_answers(definitions, [r.answers for r in group]).answers
        scored.append(
            ScoredBusiness(group[0], score_valid_answers(definitions, answers), len(group))
        )
    return scored


def cohort_table(definitions: Definitions, scored: list[ScoredBusiness]) -> str:
    """A fixed-width table: one line per business, the overall label and each area's level."""
    dims = definitions.model.dimensions
    width = max([len(_heading(business)) for business in scored] + [8])
    lines = [
        "Areas: " + ", ".join(f"{i}={d.name}" for i, d in enumerate(dims, start=1)),
        "Levels: "
        + ", ".join(f"{lvl.number}={lvl.label}" for lvl in definitions.model.levels)
        + "; '-' not applicable, '?' too few answers",
        "",
    ]
    header = f"{'Business'.ljust(width)}  {'Overall':<16} " + " ".join(
        f"{i:>2}" for i in range(1, len(dims) + 1)
    )
    lines += [header, "-" * len(header)]
    marks = {"not_applicable": "-", "insufficient": "?"}
    for business in scored:
        placement = business.placement
        overall = (
            f"{placement.overall_level} {placement.overall_label}"
            if placement.complete
            else "not placed"
        )
        cells = " ".join(f"{marks.get(d.status) or d.level:>2}" for d in placement.dimensions)
        lines.append(f"{_heading(business).ljust(width)}  {overall:<16} {cells}")
    return "\n".join(lines)


def score(args: argparse.Namespace) -> int:
    from kit.core.definitions import bundled_definitions
    from kit.core.explain import explain_text, placement_dict
    from kit.core.scoring import check_answers
    from kit.tables.cohort_file import read_answers_file

    definitions = bundled_definitions()
    cohort = read_answers_file(args.answers, definitions)
    scored = score_rows(definitions, cohort.rows)
    problems = list(cohort.problems)
    for row in cohort.rows:  # each row's own bad answers, by its row (left out of its place)
        problems += [
            f"{args.answers}: business {row.business_id!r} (row {row.row_number}): {p}"
            for p in check_answers(definitions, row.answers)[1]
        ]
    single = args.answers.suffix.lower() == ".json" and len(scored) == 1
    if args.format == "json":
        items = [
            {
                "business_id": business.row.business_id,
                "business_name": business.row.business_name,
                "respondents": business.respondents,
                **placement_dict(business.placement),
            }
            for business in scored
        ]
        out = items[0] if single else {"businesses": items, "problems": problems}
        say(json.dumps(out, indent=2, ensure_ascii=False))
    elif single or args.explain:
        say("\n\n".join(explain_text(b.placement, _heading(b)) for b in scored))
    else:
        say(cohort_table(definitions, scored))
    for problem in problems:
        warn(problem)
    for note in cohort.notes:
        warn(f"note: {note}")
    if problems:
        warn(f"{len(problems)} problem(s); {len(scored)} business(es) scored.")
    return 1 if problems else 0


VERBS = (
    Verb("score", "Place businesses on the maturity model and explain why.", _configure, score),
)
