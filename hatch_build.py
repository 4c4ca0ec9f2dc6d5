"""Compile the gettext catalogs (kit/locale/*/LC_MESSAGES/*.po) into the wheel as .mo files.

The .mo files are build output (not committed), so every wheel carries catalogs compiled from
the .po files it was built from; `make catalogs` does the same for a source checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for po in sorted((root / "kit" / "locale").glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)
            build_data["force_include"][str(mo)] = str(mo.relative_to(root))
