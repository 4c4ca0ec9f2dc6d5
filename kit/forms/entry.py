"""The first step of the form: who is answering, for which business, and (in a team) as whom.

The fields are one ``kit.forms.fields.EntryFields`` widget, so Start (or Enter in a field)
carries exactly what is on screen. Everything is checked here before anything is stored: the
codes' shape, the name's length, a role from ``content/roles.yaml`` that goes with one's own
code. What only the store can know (a code that is a business's code, a business answered in
another workshop) is refused when the person joins, and shown here again.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any, NamedTuple

import ipywidgets as widgets

from kit.core.definitions import Definitions
from kit.core.ids import NAME_MAX, check_business_id, check_business_name, check_workshop_code
from kit.core.messages import say
from kit.core.respondents import check_respondent
from kit.forms.fields import EntryFields, button_item, message_item, select_item, text_item
from kit.forms.parts import classed, heading, problems_html


def entry_problems(workshop: str, business_id: str, name: str) -> list[str]:
    """What is wrong with the entry fields, in the participant's words."""
    problems = []
    if not workshop:
        problems.append(say("entry.workshop_missing"))
    elif check_workshop_code(workshop):
        problems.append(say("entry.workshop_unusable"))
    if not business_id:
        problems.append(say("entry.business_missing"))
    elif check_business_id(business_id):
        problems.append(say("entry.business_unusable"))
    if len(name) > NAME_MAX:
        problems.append(say("entry.name_too_long", limit=NAME_MAX))
    elif check_business_name(name):
        problems.append(say("entry.name_one_line"))
    return problems


class Entry(NamedTuple):
    """What a participant typed to start: who, for which business, and (in a team) as whom."""

    workshop: str
    business_id: str
    display_name: str = ""
    respondent: str = ""  # their own code when several people answer for one business
    role: str = ""


def entry_items(definitions: Definitions) -> list[dict[str, Any]]:
    """The entry fields in their order: the workshop and business, an optional name, then
    (only when several people answer for one business) one's own code and role."""
    roles = [[say("entry.role_none"), ""], *([r.label, r.id] for r in definitions.roles.values())]
    return [
        text_item(
            "workshop", say("entry.workshop_label"), say("entry.workshop_placeholder"), "workshop"
        ),
        text_item(
            "business_id",
            say("entry.business_label"),
            say("entry.business_placeholder"),
            "business-id",
        ),
        text_item(
            "display_name", say("entry.name_label"), say("entry.name_placeholder"), "display-name"
        ),
        text_item(
            "respondent",
            say("entry.respondent_label"),
            say("entry.respondent_placeholder"),
            "respondent",
        ),
        select_item("role", say("entry.role_label"), roles, "role"),
        message_item("entry-message"),
        button_item("start", say("entry.start"), "start", primary=True),
    ]


class EntryPanel:
    """Workshop code, business code, an optional display name and, for a team, one's own code
    and role, checked before anything. Enter in any field does what Start does; either sends
    the fields' values with it."""

    def __init__(self, definitions: Definitions, workshop: str) -> None:
        self.definitions = definitions
        self.fields = classed(
            EntryFields(entry_items(definitions), values={"workshop": workshop}), "entry-fields"
        )
        hint = widgets.HTML(
            f"<p>{escape(say('entry.hint'))}</p><p>{escape(say('entry.team_hint'))}</p>"
        )
        self.widget = classed(
            widgets.VBox([heading(say("entry.heading")), hint, self.fields]), "entry"
        )

    def offer(self, item: dict[str, Any], after: str) -> None:
        """Add a button (``kit.forms.entry.button_item``) right after the field ``after``."""
        items = list(self.fields.items)
        place = next(n for n, i in enumerate(items) if i["name"] == after)
        self.fields.items = [*items[: place + 1], item, *items[place + 1 :]]

    def show_message(self, html: str) -> None:
        """Show a message (already escaped HTML) above the Start button."""
        self.fields.message = html

    def refuse(self, problems: list[str], typed: Mapping[str, str] | None = None) -> None:
        """Say why the values cannot be used; ``typed`` puts them back in the fields (when the
        entry is drawn again after a later stage)."""
        if typed is not None:
            self.fields.fill(**typed)
        self.show_message(problems_html(say("entry.check_title"), problems))

    def read(self, values: Mapping[str, str]) -> Entry | None:
        """The values sent with Start, or None after showing why they cannot be used."""
        entry = Entry(*(values.get(name, "").strip() for name in Entry._fields))
        problems = entry_problems(entry.workshop, entry.business_id, entry.display_name)
        if entry.role and not entry.respondent:
            problems.append(say("entry.role_needs_code"))
        elif entry.respondent and not entry.role:
            roles = ", ".join(r.label for r in self.definitions.roles.values())
            problems.append(say("team.role_missing", roles=roles))
        else:
            problems += check_respondent(self.definitions, entry.respondent, entry.role)
        if problems:
            self.refuse(problems)
            return None
        self.show_message("")
        return entry
