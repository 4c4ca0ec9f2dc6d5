"""Shared chart helpers: accessible colours, required titles, offline rendering."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from kit.charts.builders import bar_chart, color_scale, described, grouped_bar_chart
from kit.charts.palette import OKABE_ITO, PALETTE
from kit.errors import ChartError

DATA = pd.DataFrame(
    {"item": ["a", "b", "a", "b"], "value": [1, 2, 3, 4], "group": ["x", "x", "y", "y"]}
)


def test_palette_is_okabe_ito() -> None:
    """Is the palette exactly the eight Okabe-Ito colours, strong ones first?"""
    assert set(PALETTE) == {
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
        "#F0E442",
        "#000000",
    }
    assert PALETTE[0] == OKABE_ITO["orange"] and PALETTE[-1] == OKABE_ITO["black"]


def test_color_scale_pins_categories_in_order_and_refuses_too_many() -> None:
    """Does each category get the next palette colour, and nine categories an error?"""
    scale = color_scale(["x", "y"]).to_dict()
    assert scale == {"domain": ["x", "y"], "range": ["#E69F00", "#56B4E9"]}
    with pytest.raises(ChartError, match="9 categories but the palette has 8"):
        color_scale([str(n) for n in range(9)])


@pytest.mark.parametrize(("title", "description"), [("", "text"), ("Title", "  ")])
def test_described_requires_title_and_description(title: str, description: str) -> None:
    """Can a chart slip through without a title or a description? No."""
    with pytest.raises(ChartError, match="non-empty title and description"):
        described(alt.Chart(DATA).mark_bar(), title, description)


@pytest.mark.parametrize(
    "make",
    [
        lambda: bar_chart(
            DATA, category="item", value="value", color="group", title="T", description="D"
        ),
        lambda: grouped_bar_chart(
            DATA, category="item", value="value", group="group", title="T", description="D"
        ),
    ],
)
def test_helpers_produce_valid_titled_charts_with_palette_colours(make) -> None:
    """Do the helpers build schema-valid specs with title, description and palette colours?"""
    spec = make().to_dict(validate=True)
    assert (spec["title"], spec["description"]) == ("T", "D")
    assert spec["encoding"]["color"]["scale"]["range"] == list(PALETTE[:2])


def test_charts_render_offline_as_svg() -> None:
    """Does displaying a chart produce an SVG drawn locally, with no CDN script?"""
    bundle = bar_chart(
        DATA, category="item", value="value", title="T", description="D"
    )._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "image/svg+xml" in data
    assert "cdn." not in str(data)


def test_color_scale_can_fix_colours_by_meaning() -> None:
    """Does a fixed colour stick to its category while the others take the unused ones?"""
    scale = color_scale(["risky", "safe"], {"safe": OKABE_ITO["bluish_green"]}).to_dict()
    assert scale["range"] == [OKABE_ITO["orange"], OKABE_ITO["bluish_green"]]
    with pytest.raises(ChartError, match="#FF0000 is not an Okabe-Ito colour"):
        color_scale(["a"], {"a": "#FF0000"})


def test_bar_chart_can_keep_the_data_order() -> None:
    """With in_data_order, are the bars in the table's order (e.g. a ranking)?"""
    spec = bar_chart(
        DATA.head(2), category="item", value="value", title="T", description="D", in_data_order=True
    ).to_dict()
    assert spec["encoding"]["y"]["sort"] == ["a", "b"]
