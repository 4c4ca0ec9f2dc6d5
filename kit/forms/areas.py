"""One area of the questionnaire as one widget: a real button that opens it, and each question
a radio group in a ``<fieldset>`` whose ``<legend>`` names it.

ipywidgets' own accordion headers take no keyboard focus, and its radio buttons carry no shared
name, so every option is its own tab stop and no group has a name. Here the browser's native
controls do that work: one tab stop per question, arrow keys between its options, the question
read out with each option, ``aria-expanded`` on the area's button. An area's questions are drawn
the first time it is opened, and the whole area is one widget model instead of three per
question. The browser only reports which option was picked; the kernel checks every value
(``kit.core.scoring.check_answers``) before storing it.

The browser reports the area's answers as a custom message (``{"event": "answers", ...}``), not
as a state update: a widget holds back state updates while one is waiting for the kernel, but
sends custom messages at once and in order, so an answer chosen just before Submit (a button's
click is a custom message too) always reaches the kernel before the click does. ``values`` is
only what the kernel shows (a restored draft).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from kit.core.definitions import DONT_KNOW, NOT_APPLICABLE, Question
from kit.core.evidence import LINK_MAX_CHARS, NOTE_MAX_CHARS
from kit.core.messages import say
from kit.core.records import AnswerNote

AREA_JS = """
const NOTE_PAUSE_MS = 800;  // a pause in typing after which the note is sent
function render({ model, el }) {
  const uid = "eakit-" + Math.random().toString(36).slice(2, 10);
  const text = (tag, cls, content) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    node.textContent = content;
    return node;
  };
  el.classList.add("eakit-area");
  const heading = document.createElement("h3");
  heading.className = "eakit-area-heading";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "eakit-area-toggle";
  button.id = uid + "-button";
  button.setAttribute("aria-controls", uid + "-panel");
  const name = text("span", "eakit-area-name", model.get("heading"));
  const count = text("span", "eakit-area-count", "");
  button.append(name, count);
  heading.append(button);
  const panel = document.createElement("div");
  panel.className = "eakit-area-panel";
  panel.id = uid + "-panel";
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-labelledby", button.id);
  el.append(heading, panel);
  const labels = model.get("labels");
  const fieldsets = {};
  let chosen = { ...model.get("values") };
  let typed = { ...model.get("notes") };
  // A note is sent a moment after typing pauses, and when the page goes away, not only when
  // its box loses focus: a tab closed mid-note keeps what was typed. A link is sent when the
  // participant leaves its box, so that it is not refused while half typed.
  let typing = null;
  const send = () => {
    clearTimeout(typing);
    typing = null;
    model.send({ event: "answers", values: chosen, notes: typed });
  };
  const sendTyped = () => { if (typing !== null) send(); };
  window.addEventListener("pagehide", sendTyped);
  const evidence = (q) => {
    const more = document.createElement("details");
    more.className = "eakit-evidence";
    more.append(text("summary", "", labels.evidence));
    const problem = text("p", "eakit-note-problem", "");
    problem.id = uid + "-problem-" + q.id;
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    for (const [field, tag] of [["note", "textarea"], ["link", "input"]]) {
      const label = text("label", "eakit-evidence-label", labels[field]);
      const box = document.createElement(tag);
      box.id = uid + "-" + field + "-" + q.id;
      box.className = "eakit-" + field;
      box.dataset.field = field;
      box.setAttribute("aria-describedby", problem.id);
      if (tag === "input") {
        box.type = "text";
        box.inputMode = "url";
        box.autocomplete = "url";
      } else {
        box.rows = 3;
      }
      label.htmlFor = box.id;
      more.append(label, box);
    }
    more.append(problem);
    return more;
  };

  const draw = () => {
    if (panel.childElementCount) return;
    for (const q of model.get("questions")) {
      const set = document.createElement("fieldset");
      set.className = "eakit-question eakit-q-" + q.id;
      set.dataset.question = q.id;
      const legend = document.createElement("legend");
      legend.append(text("span", "eakit-question-text", q.text), " ",
                    text("span", "eakit-required", "(" + labels.required + ")"));
      const why = text("p", "eakit-why", labels.why + " " + q.why);
      why.id = uid + "-why-" + q.id;
      set.setAttribute("aria-describedby", why.id);
      const options = document.createElement("div");
      options.className = "eakit-answer";
      for (const [label, value] of q.options) {
        const option = document.createElement("label");
        option.className = "eakit-option";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = uid + "-" + q.id;
        input.value = value;
        option.append(input, text("span", "", label));
        options.append(option);
      }
      const note = text("p", "eakit-missing-note", labels.missing);
      note.hidden = true;
      set.append(legend, why, options, note, evidence(q));
      panel.append(set);
      fieldsets[q.id] = set;
    }
    showValues();
    showFlags();
    showNotes();
    showProblems();
  };
  const showNotes = () => {
    for (const [id, set] of Object.entries(fieldsets)) {
      const given = typed[id] || {};
      set.querySelector(".eakit-note").value = given.note || "";
      set.querySelector(".eakit-link").value = given.link || "";
      if (given.note || given.link) set.querySelector(".eakit-evidence").open = true;
    }
  };
  const showProblems = () => {
    const problems = model.get("note_problems");
    for (const [id, set] of Object.entries(fieldsets)) {
      const problem = set.querySelector(".eakit-note-problem");
      problem.textContent = problems[id] || "";
      problem.hidden = !problems[id];
      for (const box of set.querySelectorAll("[data-field]")) {
        box.setAttribute("aria-invalid", String(Boolean(problems[id])));
      }
      if (problems[id]) set.querySelector(".eakit-evidence").open = true;
    }
  };
  const showValues = () => {
    const values = chosen;
    for (const [id, set] of Object.entries(fieldsets)) {
      for (const input of set.querySelectorAll("input[type=radio]")) {
        input.checked = values[id] === input.value;
      }
    }
    const total = model.get("questions").length;
    const done = model.get("questions").filter((q) => q.id in values).length;
    count.textContent = labels.progress.replace("{answered}", done).replace("{total}", total);
  };
  const showFlags = () => {
    const flagged = new Set(model.get("flagged"));
    const values = chosen;
    for (const [id, set] of Object.entries(fieldsets)) {
      const missing = flagged.has(id) && !(id in values);
      set.classList.toggle("eakit-missing", missing);
      set.querySelector(".eakit-missing-note").hidden = !missing;
    }
  };
  const showOpen = () => {
    const open = model.get("expanded");
    if (open) draw();
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
  };
  button.addEventListener("click", () => {
    model.set("expanded", !model.get("expanded"));
    model.save_changes();
  });
  panel.addEventListener("change", (event) => {
    const set = event.target.closest("fieldset");
    if (!set) return;
    if (event.target.dataset.field) {
      const note = set.querySelector(".eakit-note").value;
      const link = set.querySelector(".eakit-link").value;
      typed = { ...typed, [set.dataset.question]: { note, link } };
    } else {
      chosen = { ...chosen, [set.dataset.question]: event.target.value };
      showValues();
      showFlags();
    }
    send();
  });
  panel.addEventListener("input", (event) => {
    if (event.target.dataset.field !== "note") return;
    const id = event.target.closest("fieldset").dataset.question;
    typed = { ...typed, [id]: { link: "", ...typed[id], note: event.target.value } };
    clearTimeout(typing);
    typing = setTimeout(send, NOTE_PAUSE_MS);
  });
  const focusQuestion = () => {
    const set = fieldsets[model.get("focus_question")];
    if (!set) return;
    const problem = set.querySelector(".eakit-note-problem:not([hidden])");
    const target = (problem && set.querySelector(".eakit-note"))
      || set.querySelector("input[type=radio]:checked") || set.querySelector("input[type=radio]");
    set.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  };
  model.on("change:expanded", showOpen);
  model.on("change:values", () => {
    chosen = { ...model.get("values") };
    showValues();
    showFlags();
  });
  model.on("change:flagged", showFlags);
  model.on("change:notes", () => {
    typed = { ...model.get("notes") };
    showNotes();
  });
  model.on("change:note_problems", showProblems);
  model.on("change:focus_request", () => { showOpen(); setTimeout(focusQuestion, 0); });
  showOpen();
  showValues();
  return () => { sendTyped(); window.removeEventListener("pagehide", sendTyped); };
}
export default { render };
"""


def question_data(question: Question) -> dict[str, object]:
    """What the browser needs to draw one question: texts and the allowed answers."""
    special = {
        DONT_KNOW: say("questions.dont_know"),
        NOT_APPLICABLE: say("questions.not_applicable"),
    }
    options = [[o.text, o.id] for o in question.options]
    options += [[special[a], a] for a in question.allowed_answers if a in special]
    return {
        "id": question.id,
        "text": question.text,
        "why": question.why_it_matters,
        "options": options,
    }


class AreaQuestions(anywidget.AnyWidget):
    """The questions of one area; ``answers`` holds what the browser last reported as chosen,
    ``values`` what the kernel asks it to show."""

    _esm = AREA_JS
    _css = (Path(__file__).with_name("areas.css")).read_text(encoding="utf-8")
    heading = traitlets.Unicode().tag(sync=True)
    questions: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    expanded = traitlets.Bool(False).tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    notes = traitlets.Dict().tag(sync=True)  # question id -> {"note", "link"}, as restored
    note_problems = traitlets.Dict().tag(sync=True)  # question id -> why its note is refused
    flagged: traitlets.List[str] = traitlets.List().tag(sync=True)
    focus_question = traitlets.Unicode("").tag(sync=True)
    focus_request = traitlets.Int(0).tag(sync=True)

    def __init__(self, heading: str, questions: list[Question]) -> None:
        super().__init__(
            heading=heading,
            questions=[question_data(q) for q in questions],
            labels={
                "required": say("questions.required"),
                "why": say("questions.why"),
                "missing": say("questions.missing_note"),
                "progress": say("questions.area_progress", answered="{answered}", total="{total}"),
                "evidence": say("questions.evidence"),
                "note": say("questions.note_label", limit=NOTE_MAX_CHARS),
                "link": say("questions.link_label", limit=LINK_MAX_CHARS),
            },
        )
        self.question_ids = [q.id for q in questions]
        self.answers: dict[str, object] = {}
        self.typed_notes: dict[str, object] = {}
        self._listeners: list[Callable[[AreaQuestions], None]] = []
        self.on_msg(self._received)

    def on_answers(self, listener: Callable[[AreaQuestions], None]) -> None:
        """Call ``listener(area)`` each time the browser reports this area's answers."""
        self._listeners.append(listener)

    def report(
        self, answers: Mapping[str, object], notes: Mapping[str, object] | None = None
    ) -> None:
        """What the browser does when an option is picked or a note changed: report all of
        the area's answers and notes."""
        notes = self.typed_notes if notes is None else notes
        self._received(self, {"event": "answers", "values": dict(answers), "notes": notes}, [])

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        if not isinstance(content, dict) or content.get("event") != "answers":
            return
        values, notes = content.get("values"), content.get("notes")
        self.answers = dict(values) if isinstance(values, dict) else {}
        notes = notes if isinstance(notes, dict) else {}
        self.typed_notes = {qid: notes[qid] for qid in self.question_ids if qid in notes}
        for listener in self._listeners:
            listener(self)

    def focus(self, question_id: str) -> None:
        """Open the area and move keyboard focus into one question's group."""
        self.expanded = True
        self.focus_question = question_id
        self.focus_request += 1

    def show_values(self, values: Mapping[str, str], notes: Mapping[str, AnswerNote]) -> None:
        """Show the given answers and notes of this area's questions (the rest stay empty)."""
        self.values = {qid: values[qid] for qid in self.question_ids if qid in values}
        self.answers = dict(self.values)
        self.notes = {qid: notes[qid].to_dict() for qid in self.question_ids if qid in notes}
        self.typed_notes = dict(self.notes)
