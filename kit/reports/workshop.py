"""What the cohort summary, the dashboard and the batch read about a workshop from the store.

A business may be answered by several respondents, so a workshop's picture is built from the
newest submission of every respondent (``kit.core.cohort_stats`` combines them per business)
and each business's current targets. No chart library here: the dashboard imports this too.
"""

from __future__ import annotations

from kit.core.records import SubmissionRecord
from kit.store.database import Store


def respondent_submissions(store: Store, workshop: str) -> list[SubmissionRecord]:
    """The newest submission of each respondent of each business in the workshop, by business
    id (one query)."""
    return [record for records in store.latest_by_business(workshop).values() for record in records]


def workshop_targets(
    store: Store, submissions: list[SubmissionRecord]
) -> dict[str, dict[str, int]]:
    """The current targets of each business among ``submissions`` that set any."""
    targets = {}
    for business_id in dict.fromkeys(record.business_id for record in submissions):
        if chosen := store.targets(business_id):
            targets[business_id] = chosen
    return targets
