"""Plain records the store hands to callers: no database types, so every layer can use them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AnswerNote:
    """What backs one answer up: a short note and an optional http(s) link. Never scored."""

    note: str = ""
    link: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"note": self.note, "link": self.link}


@dataclass(frozen=True)
class ReviewRecord:
    """A facilitator's sign-off of one submission, with their name and note."""

    submission_id: int
    reviewer: str
    note: str
    reviewed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "reviewer": self.reviewer,
            "note": self.note,
            "reviewed_at": self.reviewed_at.isoformat(),
        }


@dataclass(frozen=True)
class TargetRecord:
    """One row of a business's target history: the level it aims for in an area, and when
    (``level`` None: the business removed the area's target then)."""

    area: str
    level: int | None
    set_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"area": self.area, "level": self.level, "set_at": self.set_at.isoformat()}


@dataclass(frozen=True)
class SubmissionRecord:
    """One stored assessment: the answers and the definition versions they were given against."""

    id: int
    workshop: str
    business_id: str
    display_name: str
    answers: dict[str, str]
    model_version: str
    questionnaire_version: str
    submitted_at: datetime
    submission_key: str
    source: str = "form"
    respondent: str = ""  # pseudonymous code; "" for a business answered by one person
    role: str = ""
    notes: dict[str, AnswerNote] = field(default_factory=dict)
    review: ReviewRecord | None = None  # the newest review of this submission

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workshop": self.workshop,
            "business_id": self.business_id,
            "display_name": self.display_name,
            "answers": dict(self.answers),
            "model_version": self.model_version,
            "questionnaire_version": self.questionnaire_version,
            "submitted_at": self.submitted_at.isoformat(),
            "submission_key": self.submission_key,
            "source": self.source,
            "respondent": self.respondent,
            "role": self.role,
            "notes": {qid: note.to_dict() for qid, note in self.notes.items()},
            "review": self.review.to_dict() if self.review else None,
        }


@dataclass(frozen=True)
class ConsentRecord:
    workshop: str
    business_id: str
    privacy_version: str
    agreed_at: datetime


@dataclass(frozen=True)
class WorkshopProgress:
    """How far a workshop is: businesses enrolled, started (a draft or more), submitted."""

    workshop: str
    enrolled: int
    started: int
    submitted: int


@dataclass(frozen=True)
class DeletionReport:
    """What ``delete_business`` removed, row counts per kind."""

    business_id: str
    existed: bool
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.removed.values())
