"""The privacy notice a participant reads and agrees to before the first question.

The wording lives in ``content/privacy.yaml`` so trainers can adapt it to their organisation;
this module checks that it still answers the four questions a participant is owed (what is
stored, why, for how long, who sees it) and carries a version, which is recorded with each
consent so a later change of wording never pretends to have been agreed earlier.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from kit.core.definitions import Prose, Strict, Version
from kit.core.yamlio import load_model
from kit.paths import CONTENT_DIR

PRIVACY_FILE = CONTENT_DIR / "privacy.yaml"
SectionId = Literal["stored", "purpose", "retention", "audience", "rights"]
REQUIRED_SECTIONS: tuple[SectionId, ...] = ("stored", "purpose", "retention", "audience")


class NoticeSection(Strict):
    id: SectionId
    heading: Prose
    text: Prose


class PrivacyNotice(Strict):
    schema_version: Literal[1]
    version: Version
    title: Prose
    intro: Prose
    sections: list[NoticeSection]
    retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        description="Days after a business's last activity before `eakit purge` erases it."
    )
    agree_label: Annotated[str, Field(min_length=3, max_length=120)]
    decline_note: Prose

    @field_validator("sections")
    @classmethod
    def _answers_every_question(cls, value: list[NoticeSection]) -> list[NoticeSection]:
        counts = Counter(section.id for section in value)
        missing = [s for s in REQUIRED_SECTIONS if counts[s] == 0]
        if missing:
            raise ValueError(
                f"missing section(s) {missing}: a participant must be told what "
                "is stored, why, for how long and who sees it"
            )
        twice = sorted(s for s, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"section(s) {twice} appear more than once")
        return value


def load_privacy_notice(path: Path = PRIVACY_FILE) -> PrivacyNotice:
    """Read and validate the notice; raises DefinitionError naming file, line and key."""
    return load_model(path, PrivacyNotice)
