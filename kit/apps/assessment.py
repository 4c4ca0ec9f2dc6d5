"""The assessment form as the Voila app serves it to a room of participants.

The form itself is ``kit.forms.assessment.AssessmentForm`` (which also reports a failed save on
screen and
keeps the answers); this layer adds what a shared server needs. The workshop is the server's: a
participant types its code as a check, and a code that does not match is refused rather than
opening another workshop. Someone without a business code can ask for a fresh one. Each new
stage starts at its top: the browser would otherwise keep the scroll position of the previous,
longer stage, leaving a phone in the middle of the result.
"""

from __future__ import annotations

import secrets
from html import escape

import ipywidgets as widgets
from IPython.display import Javascript

from kit.apps.styles import style_tag
from kit.core.definitions import Definitions
from kit.core.records import SubmissionRecord
from kit.forms.assessment import AssessmentForm
from kit.store.database import Store

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and retyped
CODE_LENGTH = 6
SCROLL_TO_FORM = "document.querySelector('.eakit-assessment')?.scrollIntoView({block: 'start'})"



def _alert(text: str) -> str:
    return f"<div role='alert'><b>{escape(text, quote=False)}</b></div>"


def app_page(form: AssessmentForm) -> widgets.VBox:
    """The form with the app's CSS (wrapping option texts, phone-sized inputs) and the output
    that carries its scrolling."""
    return widgets.VBox([widgets.HTML(style_tag("assessment")), form.scroller, form])


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
        entry = self.entry
        entry.workshop.value = ""
        entry.workshop.placeholder = "the code your trainer shows"
        self.new_code = widgets.Button(description="I have no business code: give me one",
                                       layout=widgets.Layout(width="auto"))
        self.new_code.add_class("eakit-new-code")
        self.new_code.on_click(lambda _: self._guarded(self.give_new_code))
        children = list(entry.widget.children)
        children.insert(children.index(entry.business_id) + 1, self.new_code)
        entry.widget.children = children
        self.scroller = widgets.Output(layout=widgets.Layout(height="0px", overflow="hidden"))

    def _to_top(self) -> None:
        self.scroller.outputs = ()
        self.scroller.append_display_data(Javascript(SCROLL_TO_FORM))

    def give_new_code(self) -> None:
        """Fill in a fresh code and ask the participant to keep it for next time."""
        code = new_business_code(self.store)
        self.entry.business_id.value = code
        self.entry.message.value = (f"<p role='status'>Your business code is <b>{code}</b>. "
                                    "Write it down: it lets you carry on later or compare a "
                                    "future assessment with this one.</p>")

    def start(self, workshop: str, business_id: str, display_name: str = "") -> None:
        """Open the form only for this server's workshop (codes match in any letter case)."""
        if workshop.casefold() != self.app_workshop.casefold():
            self.entry.message.value = _alert(
                f"{workshop!r} is not the code of this workshop. Please check the code your "
                "trainer shows.")
            return
        super().start(self.app_workshop, business_id, display_name)
        self._to_top()

    def agree(self) -> None:
        super().agree()
        self._to_top()

    def submit(self) -> SubmissionRecord | None:
        """Submit; the result view opens at its top."""
        record = super().submit()
        if record is not None:
            self._to_top()
        return record
