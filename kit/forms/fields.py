"""Fields and their buttons as one widget whose every action carries the fields' values.

With one ipywidgets ``Text`` per field, a field's value reaches the kernel as a state update,
and a widget sends at most one update until the kernel reports idle (later keystrokes wait in
the browser); a button's click or Enter's ``submit`` is a custom message, which goes at once.
On a busy kernel the click therefore overtook the last keystrokes and the form started for a
truncated business code. Here the browser sends what is in the fields with the action itself
(``{"event": "start", "values": {...}}``), so the kernel acts on exactly what the participant
sees. The kernel can fill a field (``fill``); typing is not synced back, it travels with the
next action.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

ENTRY_JS = """
function render({ model, el }) {
  const uid = "eakit-" + Math.random().toString(36).slice(2, 10);
  el.classList.add("eakit-fields");
  const inputs = {};
  let message = null;
  const values = () => Object.fromEntries(
    Object.entries(inputs).map(([name, input]) => [name, input.value]));
  const act = (event) => model.send({ event, values: values() });
  for (const item of model.get("items")) {
    if (item.kind === "message") {
      message = document.createElement("div");
      message.className = "eakit-" + item.css;
      el.append(message);
      continue;
    }
    if (item.kind === "button") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "jupyter-button eakit-entry-button eakit-" + item.css
        + (item.primary ? " mod-primary" : "");
      button.textContent = item.label;
      button.addEventListener("click", () => act(item.name));
      el.append(button);
      continue;
    }
    const field = document.createElement("div");
    field.className = "eakit-field eakit-" + item.css;
    const label = document.createElement("label");
    label.htmlFor = uid + "-" + item.name;
    label.textContent = item.label;
    const input = document.createElement(item.kind === "select" ? "select" : "input");
    input.id = label.htmlFor;
    if (item.kind === "select") {
      for (const [text, value] of item.options) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        input.append(option);
      }
    } else {
      input.type = "text";
      input.placeholder = item.placeholder;
      input.autocomplete = "off";
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.isComposing && model.get("enter_event")) {
          event.preventDefault();
          act(model.get("enter_event"));
        }
      });
    }
    field.append(label, input);
    el.append(field);
    inputs[item.name] = input;
  }
  let shown = {};
  const fill = () => {
    const now = model.get("values");
    for (const [name, value] of Object.entries(now)) {
      if (inputs[name] && shown[name] !== value) inputs[name].value = value;
    }
    shown = { ...now };
  };
  const showMessage = () => { if (message) message.innerHTML = model.get("message"); };
  model.on("change:values", fill);
  model.on("change:message", showMessage);
  fill();
  showMessage();
}
export default { render };
"""


class EntryFields(anywidget.AnyWidget):
    """Text fields, lists to choose from, a message and buttons; ``on(event, action)`` runs
    ``action(values)`` with the values the browser sent along with the event (Enter in a text
    field sends ``enter_event``)."""

    _esm = ENTRY_JS
    _css = (Path(__file__).with_name("fields.css")).read_text(encoding="utf-8")
    items: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    enter_event = traitlets.Unicode("start").tag(sync=True)

    def __init__(
        self, items: list[dict[str, Any]], values: dict[str, str], enter_event: str = "start"
    ) -> None:
        super().__init__(items=items, values=values, enter_event=enter_event)
        self._actions: dict[str, Callable[[dict[str, str]], None]] = {}
        self.on_msg(self._received)

    @property
    def field_names(self) -> list[str]:
        return [item["name"] for item in self.items if item["kind"] in ("text", "select")]

    def on(self, event: str, action: Callable[[dict[str, str]], None]) -> None:
        self._actions[event] = action

    def fill(self, **values: str) -> None:
        """Put values into fields (the rest keep what the participant typed)."""
        self.values = {**self.values, **values}

    def press(self, event: str) -> None:
        """Do what the browser does for a button or Enter, with the values the kernel filled
        in (the browser sends its fields' own values)."""
        self._received(self, {"event": event, "values": dict(self.values)}, [])

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        if not isinstance(content, dict) or content.get("event") not in self._actions:
            return
        sent = content.get("values")
        sent = sent if isinstance(sent, dict) else {}
        values = {}
        for name in self.field_names:
            value = sent.get(name, "")
            values[name] = value if isinstance(value, str) else ""
        self._actions[content["event"]](values)


def text_item(name: str, label: str, placeholder: str, css: str) -> dict[str, Any]:
    return {"kind": "text", "name": name, "label": label, "placeholder": placeholder, "css": css}


def select_item(name: str, label: str, options: list[list[str]], css: str) -> dict[str, Any]:
    """A list to choose from; ``options`` are ``[text, value]`` pairs, the first one shown."""
    return {"kind": "select", "name": name, "label": label, "options": options, "css": css}


def button_item(name: str, label: str, css: str, primary: bool = False) -> dict[str, Any]:
    return {"kind": "button", "name": name, "label": label, "css": css, "primary": primary}


def message_item(css: str) -> dict[str, Any]:
    return {"kind": "message", "name": "", "css": css}
