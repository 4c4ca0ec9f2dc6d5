"""The one explorer every exercise uses: named controls -> a pure function -> one output."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from kit.course.explorer import ERROR_PREFIX, Explorer
from kit.errors import ChartError, ExerciseInputError


def _price(margin: float, cost: int) -> float:
    """A pure function of two controls: the price at a margin over cost."""
    if margin >= 1:
        raise ExerciseInputError(
            f"pricing: a margin of {margin:g} leaves no cost to cover; keep it below 1."
        )
    return cost / (1 - margin)


def _pricing(**options: object) -> Explorer[float]:
    controls = {
        "margin": ipw.FloatSlider(value=0.2, min=0, max=1, step=0.05),
        "cost": ipw.IntSlider(value=80, min=0, max=200),
    }
    return Explorer(_price, controls, lambda price: [f"Price: {price:.2f}"], **options)


def test_result_follows_every_control_by_name() -> None:
    """Is the pure function called with the controls' values by name, again on each change?"""
    explorer = _pricing()
    assert explorer.result == pytest.approx(100.0)  # 80 / (1 - 0.2)
    explorer.controls["margin"].value = 0.5
    assert explorer.result == pytest.approx(160.0)  # 80 / 0.5
    explorer.controls["cost"].value = 40
    assert explorer.result == pytest.approx(80.0)  # 40 / 0.5
    assert explorer.values() == {"margin": 0.5, "cost": 40}


def test_bad_input_is_shown_as_one_line_of_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Does an ExerciseInputError become plain text in the output, not a traceback?"""
    explorer = _pricing()
    capsys.readouterr()
    explorer.controls["margin"].value = 1.0
    message = "pricing: a margin of 1 leaves no cost to cover; keep it below 1."
    assert (explorer.result, explorer.error) == (None, message)
    printed = capsys.readouterr().out  # outside a kernel the output area prints
    assert printed.endswith(ERROR_PREFIX + message + "\n")
    assert "Traceback" not in printed
    explorer.controls["margin"].value = 0.75  # fixed: the result comes back
    assert (explorer.result, explorer.error) == (pytest.approx(320.0), None)


def test_an_error_while_showing_is_text_too() -> None:
    """A chart refusing its data (a KitError) is reported like bad input."""

    def refuse(_: float) -> list[object]:
        raise ChartError("chart: nothing to draw")

    explorer = Explorer(
        _price, {"margin": ipw.FloatSlider(value=0.2), "cost": ipw.IntSlider(5)}, refuse
    )
    assert (explorer.result, explorer.error) == (None, "chart: nothing to draw")


def test_a_bug_is_not_hidden_as_input_advice() -> None:
    """Only KitError becomes text; a programming error still raises."""
    with pytest.raises(ZeroDivisionError):
        Explorer(lambda cost: cost / 0, {"cost": ipw.IntSlider(value=1)}, lambda r: [r])


def test_with_a_button_nothing_is_computed_until_pressed() -> None:
    """With a button and run_now=False: no result at start, none on change, one on press."""
    explorer = _pricing(button="Price it", run_now=False)
    assert explorer.result is None
    explorer.controls["margin"].value = 0.5
    assert explorer.result is None
    explorer.button.click()
    assert explorer.result == pytest.approx(160.0)


def test_layout_header_body_button_output() -> None:
    """Is the explorer one box: header, the controls (or the given body), button, output?"""
    header, note = ipw.HTML("<b>Pricing</b>"), ipw.HTML("Slide the margin")
    explorer = _pricing(header=header, button="Price it")
    assert explorer.children == (
        header,
        *explorer.controls.values(),
        explorer.button,
        explorer.output,
    )
    custom = _pricing(body=[note])
    assert custom.children == (note, custom.output)
