"""Text colours that mean good, caution or bad, readable on the window's own
background in a light or a dark desktop theme.

A colour is only ever a second signal: the words say the same thing. Backgrounds
that the app paints itself (pale table cells, banners) keep their dark text, so
only text drawn straight on the window's colour needs these.
"""

from __future__ import annotations

from enum import Enum

from assessor_app.ui.qt import QApplication, QColor, QPalette


class Tone(Enum):
    GOOD = "good"
    CAUTION = "caution"
    BAD = "bad"


# Dark greens, ambers and reds on a light window; light ones on a dark window. Each
# pair keeps a contrast of 4.5:1 or more against its background (WCAG AA).
_ON_LIGHT = {Tone.GOOD: "#1e5c30", Tone.CAUTION: "#5a4300", Tone.BAD: "#8a1f24"}
_ON_DARK = {Tone.GOOD: "#8fd19e", Tone.CAUTION: "#f2cc60", Tone.BAD: "#ff9a9a"}


def window_is_dark() -> bool:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def tone_colour(tone: Tone) -> str:
    return (_ON_DARK if window_is_dark() else _ON_LIGHT)[tone]


def tone_style(tone: Tone, *, bold: bool = False) -> str:
    """A style sheet fragment for a label's text in `tone`."""
    weight = " font-weight: bold;" if bold else ""
    return f"color: {tone_colour(tone)};{weight}"


def muted_colour() -> QColor:
    """Secondary text (axis labels, hints), from the theme itself."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
