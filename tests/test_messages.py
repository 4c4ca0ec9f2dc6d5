"""Every sentence a participant can meet, listed from its one source and read for plain words.

The form's labels and messages live in ``content/messages.yaml``, the notice in
``content/privacy.yaml``. Each is checked for what a small-business owner should never have to
decode: field names, lists of allowed characters, commands, code formatting.
"""

from __future__ import annotations

import re
import string

import pytest

from kit.core.messages import MESSAGES_FILE, Plural, load_messages, say
from kit.core.privacy import load_privacy_notice
from kit.forms.entry import entry_problems
from kit.paths import PACKAGE_DIR

MESSAGES = load_messages().messages
SAMPLE = {
    "code": "smb-014",
    "count": 3,
    "total": 36,
    "minutes": 19,
    "limit": 120,
    "date": "2026-11-30",
    "version": "1.0.0",
    "answered": 2,
    "area": "Transparency",
    "level": "Proactive",
    "length": 512,
    "question": "Q3",
    "problem": "This note holds invisible control characters. Please retype it.",
    "areas": "transparency, people",
    "value": "5",
    "lowest": 1,
    "highest": 4,
    "role": "Owner or manager",
    "roles": "owner, staff, partner, adviser",
    "business": "smb-014",
    "workshop": "spring-2026",
    "now": "now level 2, Proactive",
    "name": "Proactive",
    # the result, reports, charts, summary and dashboard
    "after": "Strategic",
    "before": "Proactive",
    "assessed": "2 December 2026",
    "written": "3 December 2026",
    "average": "2.50",
    "businesses": 6,
    "moving": 5,
    "effort": "low",
    "impact": "high",
    "every": "checks every 10 s",
    "seconds": "10",
    "time": "10:30",
    "key": "1 = Reactive, 2 = Proactive",
    "label": "Proactive",
    "largest": 4,
    "minimum": 5,
    "legend": "1 Reactive, 2 Proactive",
    "link": "http://192.168.1.20:8866/",
    "medians": "Transparency: 2",
    "model": "1.0.0",
    "questionnaire": "1.0.0",
    "names": "Transparency",
    "summary": "Overall Proactive (level 2)",
    "title": "Say when a customer is talking to a machine",
    "todo": "Transparency: 2 more",
    "top": 4,
    "weakest": "Reactive",
    "levels": "Transparency: 3",
    "reviewer": "Sam Trainer",
    "target": "Strategic",
    "answer": "Don't know",
}
# What developers write and owners cannot read.
JARGON = [
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a field name"),
    (re.compile(r"`"), "code formatting"),
    (re.compile(r"'.'|\"[.\-_]\""), "a quoted character"),
    (re.compile(r"\b\d+-\d+ (letters|characters)"), "a character range"),
    (re.compile(r"\beakit\b|--[a-z]", re.IGNORECASE), "a command"),
    (re.compile(r"\b(None|null|True|False|id|ids|regex|URL|kernel)\b"), "a technical word"),
    (re.compile(r"\(s\)"), "a plural left to the reader"),
]


def _texts(value: str | Plural) -> list[str]:
    return [value.one, value.other] if isinstance(value, Plural) else [value]


def _filled(text: str) -> str:
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name]
    return text.format(**{name: SAMPLE[name] for name in names})


def _jargon(text: str) -> list[str]:
    return [why for pattern, why in JARGON if pattern.search(text)]


def every_participant_text() -> dict[str, str]:
    """Each text a participant can read, by where it comes from."""
    texts = {
        f"{key} [{i}]": _filled(text)
        for key, value in MESSAGES.items()
        for i, text in enumerate(_texts(value))
    }
    notice = load_privacy_notice()
    texts |= {
        "privacy.title": notice.title,
        "privacy.intro": notice.intro,
        "privacy.agree": notice.agree_label,
        "privacy.decline": notice.decline_note,
    }
    texts |= {f"privacy.{s.id}": f"{s.heading}. {s.text}" for s in notice.sections}
    bad_entries = {
        "workshop empty": ("", "smb-1", ""),
        "workshop odd": ("a b", "smb-1", ""),
        "business empty": ("w1", "", ""),
        "business odd": ("w1", "../etc", ""),
        "name long": ("w1", "smb-1", "x" * 121),
        "name lines": ("w1", "smb-1", "a\nb"),
    }
    for name, fields in bad_entries.items():
        [texts[f"entry check: {name}"]] = entry_problems(*fields)
    return texts


@pytest.mark.parametrize(("where", "text"), sorted(every_participant_text().items()))
def test_participant_text_is_plain(where, text):
    """Is this text free of field names, character lists, commands and code formatting?"""
    assert text.strip()
    assert _jargon(text) == [], f"{where}: {text!r}"


def test_every_message_is_used_and_every_used_message_exists():
    """The file holds exactly the messages the code asks for: none missing, none left over."""
    sources = [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.j2")]
    code = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    found = re.findall(r"""(?:say|say_html|say_escaped)\(\s*["']([a-z]+\.[a-z_]+)["']""", code)
    used = {key for key in found if not key.endswith("_")}  # "report.rating_" ~ a value
    used |= {f"report.rating_{rating}" for rating in ("low", "medium", "high")}  # by its value
    used |= {f"dashboard.{key}" for key in ("started", "in_progress", "submitted")}  # a table
    used |= {f"chart.{key}_title" for key in ("against_cohort", "with_target", "with_both")}
    used |= {"report.plan_intro", "report.answers_intro"}  # chosen by a condition
    used |= {f"result.{key}" for key in ("find_out", "aim_for")}  # chosen by a condition
    used |= {f"result.{key}" for key in ("chart_caption", "chart_caption_no_overall")}
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set()


def test_plural_forms_follow_the_count():
    assert say("questions.saved", count=1) == "Saved (1 answer so far)."
    assert say("questions.saved", count=4) == "Saved (4 answers so far)."


def test_the_file_is_checked(tmp_path):
    """A key that is not ``part.name`` is refused with the file named."""
    from kit.core.messages import Messages
    from kit.core.yamlio import load_model
    from kit.errors import DefinitionError

    broken = tmp_path / "messages.yaml"
    broken.write_text(
        MESSAGES_FILE.read_text(encoding="utf-8").replace(
            "  entry.start: Start", "  Entry Start: Start"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match=re.escape("keys must look like 'part.name'")):
        load_model(broken, Messages)
