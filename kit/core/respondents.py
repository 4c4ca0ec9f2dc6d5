"""Combine several respondents' answers for one business into one set of answers to score.

The rule (documented for humans in the README, "How scoring works"): per question, the
combined answer is the one at the LOWER MEDIAN of the levels the respondents gave ("don't know"
counting at the model's ``dont_know_level``, and sorting below a stated practice at the same
level). With an even number of respondents the lower of the two middle answers is taken, so a
business is never placed above what at least half its respondents describe. "Not applicable"
counts only when every respondent who answered the question said so. The combined answers are
then scored exactly as one person's would be, so one respondent gives today's placement.

A median never falls when one of its inputs rises, and scoring never falls when one answer
rises, so raising any one respondent's answer never lowers any level. Questions where the
highest and lowest stated practices are two levels or more apart are flagged as disagreements
to talk through; the flag never says who answered what.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Definitions, Question
from kit.core.ids import check_respondent_code
from kit.core.messages import say
from kit.core.records import SubmissionRecord
from kit.core.scoring import Placement, check_answers, score_valid_answers
from kit.core.versions import answers_now

DISAGREEMENT_SPREAD = 2  # levels between the highest and lowest stated practice


def check_respondent(definitions: Definitions, respondent: str, role: str) -> list[str]:
    """What is wrong with a respondent code and role, in words for the person typing them.

    The legacy single respondent ("" and no role) is always fine; a respondent with a code
    must choose a role from ``content/roles.yaml``.
    """
    problems = []
    roles = ", ".join(definitions.roles)
    if check_respondent_code(respondent):
        problems.append(say("team.code_unusable"))
    if respondent and not role:
        problems.append(say("team.role_missing", roles=roles))
    elif role and role not in definitions.roles:
        problems.append(say("team.unknown_role", role=role, roles=roles))
    return problems


@dataclass(frozen=True)
class CombinedAnswers:
    """One answer per question from several respondents, and how much each rests on."""

    answers: dict[str, str]
    respondents: int
    disagreements: list[str] = field(default_factory=list)
    answered_by: dict[str, int] = field(default_factory=dict)  # question id -> respondents
    rejected: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BusinessPlacement:
    """A business's placement with what it rests on: respondents and the submissions used."""

    placement: Placement
    respondents: int
    disagreements: list[str]
    submissions: list[SubmissionRecord]
    answered_by: dict[str, int] = field(default_factory=dict)


def _sort_key(question: Question, answer: str, dont_know_level: int) -> tuple[int, int]:
    """Order answers by level; "don't know" sorts below a stated practice at the same level."""
    if answer == DONT_KNOW:
        return dont_know_level, 0
    option = question.option(answer)
    assert option is not None, "answers are checked before combining"
    return option.level, 1


def lower_median(values: Sequence[str], key: Callable[[str], tuple[int, int]]) -> str:
    """The element at the lower median position of ``values`` sorted by ``key``."""
    ordered = sorted(values, key=key)
    return ordered[(len(ordered) - 1) // 2]


def _combine_question(
    question: Question, given: list[str], dont_know_level: int
) -> tuple[str, bool]:
    """The combined answer and whether the stated practices are far apart."""
    counted = [a for a in given if a != NOT_APPLICABLE]
    if not counted:
        return NOT_APPLICABLE, False
    answer = lower_median(counted, key=lambda a: _sort_key(question, a, dont_know_level))
    stated = [_sort_key(question, a, dont_know_level)[0] for a in counted if a != DONT_KNOW]
    far_apart = bool(stated) and max(stated) - min(stated) >= DISAGREEMENT_SPREAD
    return answer, far_apart


def combine_answers(
    definitions: Definitions, answer_sets: Sequence[Mapping[str, object]]
) -> CombinedAnswers:
    """Combine the respondents' answers question by question (rule in the module docstring).

    Unknown questions or answers are left out and listed in ``rejected``; a question nobody
    answered stays unanswered.
    """
    dont_know_level = definitions.model.scoring.dont_know_level
    checked = [check_answers(definitions, answers) for answers in answer_sets]
    combined: dict[str, str] = {}
    disagreements: list[str] = []
    answered_by: dict[str, int] = {}
    for question in definitions.questionnaire.questions:
        given = [valid[question.id] for valid, _ in checked if question.id in valid]
        if not given:
            continue
        combined[question.id], far_apart = _combine_question(question, given, dont_know_level)
        answered_by[question.id] = len(given)
        if far_apart:
            disagreements.append(question.id)
    return CombinedAnswers(
        answers=combined,
        respondents=len(answer_sets),
        disagreements=disagreements,
        answered_by=answered_by,
        rejected=[problem for _, problems in checked for problem in problems],
    )


def newest_per_respondent(submissions: Sequence[SubmissionRecord]) -> list[SubmissionRecord]:
    """Each respondent's newest submission ("" is the one legacy respondent), by respondent."""
    newest: dict[str, SubmissionRecord] = {}
    for record in sorted(submissions, key=lambda s: (s.submitted_at, s.id)):
        newest[record.respondent] = record
    return [newest[code] for code in sorted(newest)]


def place_business(
    definitions: Definitions, submissions: Sequence[SubmissionRecord]
) -> BusinessPlacement:
    """Place a business on the newest submission of each respondent among those given."""
    used = newest_per_respondent(submissions)
    # Each submission's answers as answers to the current questionnaire (kit.core.versions).
    combined = combine_answers(definitions, [answers_now(definitions, s) for s in used])
    placement = score_valid_answers(definitions, combined.answers)
    return BusinessPlacement(
        placement=replace(placement, rejected=combined.rejected),
        respondents=combined.respondents,
        disagreements=combined.disagreements,
        submissions=used,
        answered_by=combined.answered_by,
    )
