"""The codes and names that identify workshops and businesses, and the checks they must pass.

Codes become file names and database keys, so they stay plain; names are display text only.
Every layer checks ids with these functions, so a code accepted by an import is accepted by
the store, the reports and the apps alike.
"""

from __future__ import annotations

import re

BUSINESS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
NAME_MAX = 120


def check_business_id(value: str) -> str | None:
    """Why an id is unusable, or None; ids become file names, so they stay plain."""
    if not value:
        return "business_id is empty"
    if not BUSINESS_ID.match(value):
        return (f"business_id {value!r} must be 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit")
    return None


def check_business_name(value: str) -> str | None:
    """Why a display name is unusable, or None; any text is fine if it is one short line."""
    if len(value) > NAME_MAX:
        return f"business_name is longer than {NAME_MAX} characters"
    if any(ch in value for ch in "\r\n\x00"):
        return "business_name must be a single line"
    return None


def check_workshop_code(value: str) -> str | None:
    """Why a workshop code is unusable, or None; codes appear in file names like business ids."""
    if not BUSINESS_ID.match(value or ""):
        return (f"workshop {value!r} must be 1-64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit")
    return None
