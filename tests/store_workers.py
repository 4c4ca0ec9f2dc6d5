"""Processes the store tests start: concurrent writers, a reader, and a writer to be killed.

Run as ``python -m tests.store_workers VERB URL ...`` from the checkout; each verb prints one
line the test reads back.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from kit.core.definitions import bundled_definitions
from kit.store.database import Store, submissions

WORKSHOP = "load-test"
SHARED_BUSINESSES = 10


def answers_for(worker: int, index: int) -> dict[str, str]:
    """Different valid answers per submission, so rows are distinguishable."""
    options = "abcd"
    return {
        qid: options[(worker + index + n) % 4]
        for n, qid in enumerate(bundled_definitions().questions)
    }


def submission_key(worker: int, index: int) -> str:
    return f"load-{worker:02d}-{index:03d}"


def business_for(worker: int, index: int) -> str:
    return f"smb-{(worker * 7 + index) % SHARED_BUSINESSES:03d}"


def write(url: str, worker: str, count: str) -> None:
    """Save a draft and submit, ``count`` times; after each submission also send the partner
    worker's submission with the same index (as a resent form would), so two processes race to
    store the same key."""
    number = int(worker)
    partner = number ^ 1
    with Store.open(url) as store:
        for index in range(int(count)):
            business = business_for(number, index)
            answers = answers_for(number, index)
            store.save_draft(WORKSHOP, business, dict(list(answers.items())[:5]))
            mine = store.submit(WORKSHOP, business, answers, submission_key(number, index))
            theirs = store.submit(
                WORKSHOP,
                business_for(partner, index),
                answers_for(partner, index),
                submission_key(partner, index),
            )
            assert mine.answers == answers, mine
            assert theirs.business_id == business_for(partner, index), theirs
    print(f"wrote {count}")


def read(url: str, stop_file: str) -> None:
    """Export a shared business and list the workshop until the stop file appears."""
    exports = 0
    with Store.open(url) as store:
        while not Path(stop_file).exists():
            try:
                store.export_business("smb-000")
            except Exception as exc:  # only "not there yet" is acceptable
                if "no data is held" not in str(exc):
                    raise
            store.latest_submissions(WORKSHOP)
            exports += 1
    print(f"read {exports}")


def hold(url: str, committed: str) -> None:
    """Commit some submissions, then insert one more inside a transaction left open."""
    with Store.open(url) as store:
        for index in range(int(committed)):
            store.submit(WORKSHOP, "smb-001", answers_for(0, index), submission_key(0, index))
        with store.engine.begin() as conn:
            conn.execute(
                submissions.insert().values(
                    submission_key="never-committed",
                    workshop_pk=1,
                    business_pk=1,
                    answers=answers_for(0, 99),
                    model_version="1.0.0",
                    questionnaire_version="1.0.0",
                    source="form",
                    submitted_at=datetime.now(UTC),
                )
            )
            print("holding", flush=True)
            time.sleep(600)


VERBS = {"write": write, "read": read, "hold": hold}

if __name__ == "__main__":
    VERBS[sys.argv[1]](*sys.argv[2:])
    sys.stdout.flush()
