"""After the result: the level the business aims for in each area, stored with the business.

One list per area (no target, or a level from 1 to 4) and a Save button, all one
``EntryFields`` widget, so Save carries the levels shown on screen. The kernel checks them
again (``kit.core.targets.check_targets``: the browser can send anything), stores the good ones
(``Store.set_targets`` keeps the history), names any it refused and says how far each area is
from its target.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from kit.core.definitions import LEVEL_NUMBERS, Definitions
from kit.core.messages import say
from kit.core.scoring import Placement
from kit.core.targets import check_targets, target_gaps
from kit.forms.fields import EntryFields, button_item, message_item, select_item
from kit.forms.parts import classed, problems_html, status_html
from kit.store.database import Store


def target_items(definitions: Definitions, placement: Placement) -> list[dict[str, object]]:
    """One list per area, labelled with the area and its level now, then the Save button."""
    levels = [[say("goals.none"), ""]] + [
        [say("goals.level", level=n, name=definitions.model.level(n).label), str(n)]
        for n in LEVEL_NUMBERS
    ]
    items: list[dict[str, object]] = []
    for result in placement.dimensions:
        now = (
            say(
                "goals.now",
                level=result.level,
                name=definitions.model.level(result.level).label,
            )
            if result.level is not None
            else say("goals.now_unplaced")
        )
        label = say("goals.area", area=result.name, now=now)
        items.append(select_item(result.dimension_id, label, levels, "target"))
    return [
        *items,
        message_item("targets-message"),
        button_item("save_targets", say("goals.save"), "save-targets", primary=True),
    ]


class TargetsPanel:
    """Where the business wants to be, per area; saved with the business, not the submission."""

    def __init__(self, definitions: Definitions, store: Store) -> None:
        self.definitions = definitions
        self.store = store
        self.business_id = ""
        self.placement: Placement | None = None
        self.fields = classed(EntryFields([], {}, enter_event=""), "targets-fields")
        self.fields.on("save_targets", self.save)
        intro = widgets.HTML(
            f"<h3>{escape(say('goals.heading'))}</h3><p>{escape(say('goals.intro'))}</p>"
        )
        self.widget = classed(widgets.VBox([intro, self.fields]), "targets")

    def show(self, business_id: str, placement: Placement) -> None:
        """Lists for this business's areas, showing the targets it already has."""
        self.business_id, self.placement = business_id, placement
        self.fields.items = target_items(self.definitions, placement)
        current = self.store.targets(business_id)
        self.fields.values = {
            d.dimension_id: str(current.get(d.dimension_id, "")) for d in placement.dimensions
        }
        self.fields.message = ""

    def save(self, values: Mapping[str, str]) -> dict[str, int]:
        """Store the levels sent that are usable, remove the targets set back to "No target",
        and say how far each area has to go; any level refused is named, and the rest are kept
        all the same."""
        valid, problems = check_targets(self.definitions, values)
        assert self.placement is not None, "show() comes first"
        removed = [
            area
            for area, raw in values.items()
            if area in self.definitions.dimensions and not str(raw or "").strip()
        ]
        saved = self.store.set_targets(self.business_id, valid) if valid else {}
        saved = self.store.clear_targets(self.business_id, removed) if removed else saved
        gaps = target_gaps(self.placement, saved)
        lines = []
        if valid or removed:
            lines.append(say("goals.saved", count=len(saved)) if saved else say("goals.saved_none"))
        lines += [
            say("goals.gap", area=self.definitions.dimensions[area].name, count=gap)
            for area, gap in gaps.items()
            if gap
        ]
        refused = problems_html(say("goals.refused"), problems) if problems else ""
        self.fields.message = refused + status_html(lines)
        return saved
