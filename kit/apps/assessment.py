"""The assessment form as the Voila app serves it to a room of participants.

The form itself is ``kit.forms.assessment.AssessmentForm`` (which also reports a failed save on
screen and keeps the answers); this layer adds what a shared server needs. The workshop is the
server's: a participant types its code as a check, and a code that does not match is refused
rather than opening another workshop. Someone without a business code can ask for a fresh one.
The browser tab is named after the workshop.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from kit.apps.styles import style_tag
from kit.core.definitions import Definitions
from kit.core.messages import say
from kit.forms.assessment import AssessmentForm
from kit.forms.entry import Entry, EntryPanel
from kit.forms.fields import button_item
from kit.store.database import Store

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and retyped
CODE_LENGTH = 6


def _alert(text: str) -> str:
    return f"<div role='alert' class='eakit-alert'><p><b>{escape(text, quote=False)}</b></p></div>"


def app_page(form: WorkshopAssessment) -> widgets.VBox:
    """The form with the app's CSS (readable text and large tap targets on a phone)."""
    page = widgets.VBox([widgets.HTML(style_tag("assessment")), form.heading, form])
    page.add_class("eakit-page")
    return page


def new_business_code(store: Store) -> str:
    """A short random code no business in the store uses yet."""
    while True:
        code = "p-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if store.display_name(code) is None:
            return code


class WorkshopAssessment(AssessmentForm):
    """``AssessmentForm`` bound to the server's workshop."""

    def __init__(self, definitions: Definitions, store: Store, workshop: str) -> None:
        super().__init__(definitions, store, workshop)
        self.app_workshop = workshop
        self.page.title = say("app.tab_title", workshop=workshop)
        self.heading = widgets.HTML(f"<h1>{escape(say('app.heading'))}</h1>")

    def _build_entry(self, values: Mapping[str, str] | None = None) -> EntryPanel:
        """The entry with its workshop field left for the participant to type, and a button
        for a new business code."""
        entry = super()._build_entry({"workshop": "", **(values or {})})
        entry.offer(button_item("new_code", say("entry.new_code"), "new-code"), "business_id")
        entry.fields.on("new_code", lambda _values: self._guarded(self.give_new_code))
        return entry

    def switch_language(self, code: str) -> None:
        super().switch_language(code)
        self.page.title = say("app.tab_title", workshop=self.app_workshop)
        self.heading.value = f"<h1>{escape(say('app.heading'))}</h1>"

    def give_new_code(self) -> None:
        """Fill in a fresh code and ask the participant to keep it for next time."""
        code = new_business_code(self.store)
        self.entry.fields.fill(business_id=code)
        text = escape(say("entry.new_code_given", code="\0")).replace("\0", f"<b>{code}</b>")
        self.entry.show_message(f"<p role='status'>{text}</p>")

    def start(self, entry: Entry) -> None:
        """Open the form only for this server's workshop (codes match in any letter case)."""
        if entry.workshop.casefold() != self.app_workshop.casefold():
            self.entry.show_message(_alert(say("entry.workshop_other", code=entry.workshop)))
            return
        super().start(entry._replace(workshop=self.app_workshop))
