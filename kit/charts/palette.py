"""The kit's one colour palette (Okabe-Ito), for charts, reports and apps alike.

Okabe-Ito stays distinguishable for the common forms of colour blindness. Charts take the
colours from here; pages take them as CSS custom properties (``--eakit-blue`` ...) from
``css_custom_properties``, so no stylesheet retypes a colour. No Altair here: the apps and the
report templates use the palette without loading a chart library.
"""

from __future__ import annotations

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Categorical order: strong colours first; yellow (weak on white) and black last.
PALETTE: tuple[str, ...] = tuple(OKABE_ITO.values())


def css_custom_properties() -> str:
    """A ``:root`` rule naming every palette colour, e.g. ``--eakit-blue: #0072B2``."""
    names = "; ".join(
        f"--eakit-{name.replace('_', '-')}: {colour}" for name, colour in OKABE_ITO.items()
    )
    return f":root {{ {names}; }}"
