"""The two things a form must ask of the page itself: its title, and where keyboard focus goes.

Widgets cannot move focus or name the browser tab, so this invisible widget carries both
requests to a few lines of JavaScript. Moving focus to the heading of each new step is what
lets a keyboard or screen-reader user know the step changed; the element is waited for,
because the step's widgets are drawn a moment after the kernel sends them.
"""

from __future__ import annotations

import anywidget
import traitlets

PAGE_JS = """
function render({ model, el }) {
  el.style.display = "none";
  const name = () => { if (model.get("title")) document.title = model.get("title"); };
  const focus = () => {
    const selector = model.get("focus_selector");
    let tries = 0;
    const attempt = () => {
      const target = selector && document.querySelector(selector);
      if (target && target.getClientRects().length) {
        if (!target.matches("a, button, input, select, textarea, [tabindex]")) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: model.get("focus_block") });
      } else if (tries++ < 200) {
        setTimeout(attempt, 25);
      }
    };
    attempt();
  };
  name();
  model.on("change:title", name);
  model.on("change:focus_request", focus);
}
export default { render };
"""


class PageHelper(anywidget.AnyWidget):
    """Sets ``document.title``; ``focus(selector)`` moves keyboard focus there."""

    _esm = PAGE_JS
    title = traitlets.Unicode("").tag(sync=True)
    focus_selector = traitlets.Unicode("").tag(sync=True)
    focus_block = traitlets.Unicode("start").tag(sync=True)
    focus_request = traitlets.Int(0).tag(sync=True)

    def focus(self, selector: str, block: str = "start") -> None:
        """Focus the first element matching ``selector`` once it is drawn, and scroll to it."""
        self.focus_selector = selector
        self.focus_block = block
        self.focus_request += 1
