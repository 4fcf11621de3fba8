"""The screenshot helper saves a picture of every page, on the demo database."""

from __future__ import annotations

import sys

import pytest

from assessor_app.services import passwords
from assessor_app.ui import screenshots
from assessor_app.ui.qt import QImage

FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)


def distinct_colours(image: QImage) -> int:
    """How many different colours a grid of sample points shows (1 for a blank image)."""
    step_x, step_y = max(image.width() // 40, 1), max(image.height() // 40, 1)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_every_page_is_saved_as_a_picture_with_something_on_it(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", FAST)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    out = tmp_path / "shots"
    saved = screenshots.save_screenshots(out, work_dir=tmp_path / "work")

    names = [path.stem.split("-", 1)[1] for path in saved]
    for page in ("apprentices", "catalogue", "reports", "users", "audit"):
        assert f"page-{page}" in names
    assert "apprentice-overview" in names and "apprentice-units" in names
    assert "lock-screen" in names
    assert sorted(out.iterdir()) == sorted(saved)
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull(), path
        assert image.width() >= 300 and image.height() >= 100, path
        assert distinct_colours(image) > 3, f"{path.name} looks blank"
    window_shot = QImage(str(out / saved[names.index("page-catalogue")].name))
    assert (window_shot.width(), window_shot.height()) == screenshots.WINDOW_SIZE


def test_the_command_needs_a_folder(capsys):
    with pytest.raises(SystemExit) as stopped:
        screenshots.main([])
    assert stopped.value.code == 2
    assert "--out" in capsys.readouterr().err
