"""The assessment form as the Voila app serves it to a room of participants.

The form itself is ``kit.forms.assessment.AssessmentForm`` (which also reports a failed save on
screen and keeps the answers); this layer adds what a shared server needs. The workshop is the
server's: a participant types its code as a check, and a code that does not match is refused
rather than opening another workshop. Someone without a business code can ask for a fresh one.
The browser tab is named after the workshop.
"""

from __future__ import annotations

import secrets
from html import escape

import ipywidgets as widgets

from kit.apps.styles import style_tag
from kit.core.definitions import Definitions
from kit.core.messages import say
from kit.forms.assessment import AssessmentForm
from kit.store.database import Store

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and retyped
CODE_LENGTH = 6


def _alert(text: str) -> str:
    return f"<div role='alert' class='eakit-alert'><p><b>{escape(text, quote=False)}</b></p></div>"


def app_page(form: AssessmentForm) -> widgets.VBox:
    """The form with the app's CSS (readable text and large tap targets on a phone)."""
    page = widgets.VBox([widgets.HTML(style_tag("assessment")), form])
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
        self.page.title = f"Workshop {workshop}: self-assessment"
        entry = self.entry
        entry.workshop.value = ""
        self.new_code = widgets.Button(
            description=say("entry.new_code"), layout=widgets.Layout(width="auto")
        )
        self.new_code.add_class("eakit-new-code")
        self.new_code.on_click(lambda _: self._guarded(self.give_new_code))
        children = list(entry.widget.children)
        children.insert(children.index(entry.business_id) + 1, self.new_code)
        entry.widget.children = children

    def give_new_code(self) -> None:
        """Fill in a fresh code and ask the participant to keep it for next time."""
        code = new_business_code(self.store)
        self.entry.business_id.value = code
        text = escape(say("entry.new_code_given", code="\0")).replace("\0", f"<b>{code}</b>")
        self.entry.message.value = f"<p role='status'>{text}</p>"

    def start(self, workshop: str, business_id: str, display_name: str = "") -> None:
        """Open the form only for this server's workshop (codes match in any letter case)."""
        if workshop.casefold() != self.app_workshop.casefold():
            self.entry.message.value = _alert(say("entry.workshop_other", code=workshop))
            return
        super().start(self.app_workshop, business_id, display_name)
