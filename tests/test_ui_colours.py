"""Good, caution and bad text stays readable on the window in light and dark themes."""

from __future__ import annotations

import pytest

from assessor_app.ui.colours import Tone, tone_colour, window_is_dark
from assessor_app.ui.qt import QColor, QPalette
from assessor_app.ui.screenshots import dark_palette


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    before = qapp.palette()
    palette = dark_palette(QPalette, QColor) if request.param == "dark" else QPalette()
    if request.param == "light":
        palette.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    qapp.setPalette(palette)
    yield request.param
    qapp.setPalette(before)


@pytest.mark.parametrize("tone", list(Tone))
def test_each_tone_meets_the_contrast_minimum_on_the_window(theme, tone, qapp):
    assert window_is_dark() is (theme == "dark")
    window = qapp.palette().color(QPalette.ColorRole.Window)
    assert _contrast(QColor(tone_colour(tone)), window) >= 4.5
