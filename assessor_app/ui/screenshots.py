"""Save a PNG of every page of the window, on the demo database, without a screen.

    python -m assessor_app.ui.screenshots --out FOLDER

Builds the demo database in a temporary folder, signs in as the demo
administrator and saves each main-window page, each tab of an apprentice's page,
the lock screen and the admin dialogs. It goes through whatever tabs the window
has, so new pages are picked up without changing this file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

WINDOW_SIZE = (1280, 800)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.replace("&", "").casefold()).strip("-") or "page"


def save_screenshots(out: Path, *, work_dir: Path | None = None, dark: bool = False) -> list[Path]:
    """Build the demo in `work_dir` (a temporary folder by default), save the PNGs in
    `out` and return their paths in the order taken. `dark` paints the window as a
    dark desktop theme would, to check that every page stays readable there."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from assessor_app.paths import AppPaths
    from assessor_app.services import users
    from assessor_app.services.catalogue_queries import load_qualification
    from assessor_app.services.choice_lists import apprentice_choices
    from assessor_app.services.demo import ACCOUNTS, build_demo
    from assessor_app.startup import open_app_database
    from assessor_app.ui import workers
    from assessor_app.ui.dialogs.catalogue_dialogs import (
        BarredPairsDialog,
        RuleDialog,
        UnitSettingsDialog,
        UnitValueDialog,
    )
    from assessor_app.ui.dialogs.evidence_dialog import EvidenceDialog
    from assessor_app.ui.dialogs.import_dialog import ImportDialog
    from assessor_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog
    from assessor_app.ui.dialogs.organisation_dialog import OrganisationDialog
    from assessor_app.ui.dialogs.outcomes_dialog import OutcomesDialog
    from assessor_app.ui.dialogs.password_dialog import ChangePasswordDialog
    from assessor_app.ui.dialogs.settings_dialog import SettingsDialog
    from assessor_app.ui.dialogs.user_dialog import NewUserDialog
    from assessor_app.ui.main_window import MainWindow, database_location
    from assessor_app.ui.qt import QApplication, QSettings, QWidget

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if dark:
        from assessor_app.ui.qt import QColor, QPalette, Qt

        app.setStyle("Fusion")
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        palette = app.style().standardPalette()
        if palette.color(QPalette.ColorRole.Window).lightness() > 128:
            palette = dark_palette(QPalette, QColor)
        app.setPalette(palette)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{len(saved) + 1:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        saved.append(path)

    with tempfile.TemporaryDirectory(prefix="assessor-shots-") as temp:
        folder = work_dir or Path(temp)
        paths = AppPaths(folder / "data")
        db = open_app_database(paths)
        workers.use_pool(workers.InlinePool())  # every page loads before it is grabbed
        window: MainWindow | None = None
        try:
            build_demo(db)
            admin_account = next(a for a in ACCOUNTS if a.username == "admin")
            admin = users.sign_in(db, admin_account.username, admin_account.password)
            settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(db, settings, actor=admin)
            window.resize(*WINDOW_SIZE)
            window.show()
            tabs = window.tabs
            for index in range(tabs.count()):
                if not tabs.isTabVisible(index):
                    continue
                tabs.setCurrentIndex(index)
                grab(window, f"page-{_slug(tabs.tabText(index))}")

            first = apprentice_choices(db, admin)[0]
            tabs.setCurrentWidget(window.apprentices)
            page = window.apprentices.open_apprentice(first.id, first.name)
            if page is not None:
                for index in range(page.tabs.count()):
                    page.tabs.setCurrentIndex(index)
                    grab(window, f"apprentice-{_slug(page.tabs.tabText(index))}")
                evidence = page.evidence_tab.data
                if evidence is not None:
                    dialog = EvidenceDialog(
                        db, admin, evidence.book, evidence.placements, None, window
                    )
                    dialog.show()
                    grab(dialog, "dialog-new-evidence")
                    dialog.hide()
                    dialog.deleteLater()
            window.apprentices.show_list()

            window.lock.lock()
            grab(window, "lock-screen")
            window.lock.unlock()

            qual = load_qualification(db)
            unit = next(u for u in qual.units if u.value_status.value != "confirmed")
            dialogs: list[tuple[str, Callable[[], QWidget]]] = [
                ("dialog-new-account", lambda: NewUserDialog(db, admin, window)),
                ("dialog-change-password", lambda: ChangePasswordDialog(db, admin, window)),
                (
                    "dialog-open-database",
                    lambda: OpenDatabaseDialog(database_location(db), window),
                ),
                (
                    "dialog-unit-value",
                    lambda: UnitValueDialog(db, admin, qual.code, unit, window),
                ),
                (
                    "dialog-unit-settings",
                    lambda: UnitSettingsDialog(db, admin, qual.code, qual.unit("B6"), window),
                ),
                (
                    "dialog-outcomes",
                    lambda: OutcomesDialog(db, admin, qual.code, qual.unit("A4"), window),
                ),
                ("dialog-provider-settings", lambda: SettingsDialog(db, admin, window)),
                ("dialog-new-organisation", lambda: OrganisationDialog(db, admin, None, window)),
                ("dialog-import", lambda: ImportDialog(db, admin, window)),
                ("dialog-rules", lambda: RuleDialog(db, admin, qual, window, group="B")),
                ("dialog-barred-pairs", lambda: BarredPairsDialog(db, admin, qual, window)),
            ]
            for name, make in dialogs:
                dialog = make()
                dialog.show()
                grab(dialog, name)
                dialog.hide()
                dialog.deleteLater()
        finally:
            if window is not None:
                window.hide()
                window.deleteLater()
            settle()
            workers.use_pool(None)
            db.dispose()
    return saved


def dark_palette(palette_class: type, colour: type) -> object:
    """Fusion's dark colours, for Qt builds whose style ignores the colour scheme."""
    palette = palette_class()
    role = palette_class.ColorRole
    for name, value in (
        ("Window", "#353535"),
        ("WindowText", "#f0f0f0"),
        ("Base", "#2a2a2a"),
        ("AlternateBase", "#353535"),
        ("Text", "#f0f0f0"),
        ("Button", "#353535"),
        ("ButtonText", "#f0f0f0"),
        ("Highlight", "#2a82da"),
        ("HighlightedText", "#ffffff"),
        ("ToolTipBase", "#353535"),
        ("ToolTipText", "#f0f0f0"),
        ("PlaceholderText", "#a0a0a0"),
        ("Link", "#6cb4ff"),
        # Frames and check-box outlines are drawn from these.
        ("Light", "#6a6a6a"),
        ("Midlight", "#4a4a4a"),
        ("Mid", "#3c3c3c"),
        ("Dark", "#1e1e1e"),
        ("Shadow", "#141414"),
    ):
        palette.setColor(getattr(role, name), colour(value))
    # Greyed text for what cannot be used now, as a dark desktop theme shows it.
    disabled = palette_class.ColorGroup.Disabled
    for name in ("WindowText", "Text", "ButtonText"):
        palette.setColor(disabled, getattr(role, name), colour("#7f7f7f"))
    return palette


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assessor_app.ui.screenshots",
        description="Save a PNG of every page of the window, on a fresh demo database.",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help="as a dark desktop theme shows it")
    args = parser.parse_args(argv)
    for path in save_screenshots(args.out, dark=args.dark):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
