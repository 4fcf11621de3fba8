"""The main window: menus, the status bar and the page being shown."""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

from assessor_app import __version__
from assessor_app.services.app_settings import get_settings
from assessor_app.services.choice_lists import signed_in_name
from assessor_app.services.imports.kinds import importable_kinds
from assessor_app.services.roles import Permission
from assessor_app.ui.backup_now import BackUpNow
from assessor_app.ui.dialogs import sign_in
from assessor_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog
from assessor_app.ui.dialogs.password_dialog import ChangePasswordDialog
from assessor_app.ui.dialogs.settings_dialog import SettingsDialog
from assessor_app.ui.lock import InactivityLock
from assessor_app.ui.pages.apprentices_page import ApprenticesPage
from assessor_app.ui.pages.audit_page import AuditPage
from assessor_app.ui.pages.catalogue_page import CataloguePage
from assessor_app.ui.pages.cohorts_page import CohortsPage
from assessor_app.ui.pages.dashboard_page import DashboardPage
from assessor_app.ui.pages.organisations_page import OrganisationsPage
from assessor_app.ui.pages.placements_page import PlacementsPage
from assessor_app.ui.pages.record_tab import run_dialog
from assessor_app.ui.pages.reports_page import ReportsPage
from assessor_app.ui.pages.users_page import UsersPage
from assessor_app.ui.qt import (
    QAction,
    QCloseEvent,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSettings,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    qt_versions,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database
    from assessor_app.ui.pages.apprentice_page import ApprenticePage

GEOMETRY_KEY = "main_window/geometry"
PAGE_KEY = "main_window/page"
SPLITTER_KEY = "main_window/splitter/{name}"
HEADER_KEY = "main_window/table/{name}"
DEFAULT_SIZE = (1280, 800)


# Not imported at start-up: with its tabs, their dialogs and the report writers they
# use (reportlab, openpyxl), the apprentice page is a third of a second of importing. A
# worker imports it this long after the apprentice list has loaded.
IMPORT_DELAY_MS = 1000
_APPRENTICE_PAGE_MODULES = (
    "assessor_app.ui.pages.apprentice_page",
    "assessor_app.ui.widgets.selection_editor",
)


def _import_apprentice_page() -> None:
    """Import the apprentice page ahead of the first one being opened. Safe off the
    window's thread: these modules only define classes and constants (colours,
    translated text) when imported, and make no widgets."""
    for name in _APPRENTICE_PAGE_MODULES:
        importlib.import_module(name)


def _import_failed(exc: Exception) -> None:
    raise exc  # a programming error: the crash handler reports it


def database_location(db: Database) -> str:
    """Where the data lives, fit to show on screen: a server URL loses its password."""
    if db.path is not None:
        return str(db.path)
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db.url)


class ApprenticesTab(QWidget):
    """The apprentices list, or one apprentice's page with a way back to the list."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self.list_page = ApprenticesPage(db)
        self.apprentice_page: ApprenticePage | None = None
        self.back_button = QPushButton(tr("← &All apprentices"))
        self.back_button.setObjectName("backToApprentices")
        self.back_button.clicked.connect(self.show_list)
        self._apprentice_holder = QWidget()
        # The same margins as the list, so going back and forth does not shift the page.
        self._apprentice_layout = QVBoxLayout(self._apprentice_holder)
        back_row = QHBoxLayout()
        back_row.addWidget(self.back_button)
        back_row.addStretch(1)
        self._apprentice_layout.addLayout(back_row)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self._apprentice_holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.list_page.open_requested.connect(self.open_apprentice)
        self._page_imported = False
        self.list_page.model.modelReset.connect(self._import_page_soon)

    def _import_page_soon(self) -> None:
        """Once the list has rows to open, import the apprentice page off the window's
        thread, a moment later: not while the window is still laying out the pages
        just read, which it would slow."""
        if self._page_imported or not self.list_page.model.rowCount():
            return
        self._page_imported = True
        QTimer.singleShot(
            IMPORT_DELAY_MS,
            self,
            lambda: run_task(_import_apprentice_page, lambda _none: None, _import_failed),
        )

    def set_actor(self, actor: Actor | None) -> None:
        """A new person starts at the list, never on the last person's apprentice."""
        self._actor = actor
        self.show_list()
        self.list_page.set_actor(actor)

    def open_apprentice(self, apprentice_id: int, name: str = "") -> ApprenticePage | None:
        if self._actor is None:
            return None
        # Already imported by now unless opened before the list had loaded.
        from assessor_app.ui.pages.apprentice_page import ApprenticePage
        from assessor_app.ui.widgets.selection_editor import SelectionEditor

        self._close_apprentice()
        self.apprentice_page = ApprenticePage(self._db, self._actor, apprentice_id, name)
        self.apprentice_page.add_tab(
            SelectionEditor(self._db, self._actor, apprentice_id), tr("Units")
        )
        self.apprentice_page.add_record_tabs()
        self._apprentice_layout.addWidget(self.apprentice_page, 1)
        self.stack.setCurrentWidget(self._apprentice_holder)
        return self.apprentice_page

    def show_list(self) -> None:
        self._close_apprentice()
        self.stack.setCurrentWidget(self.list_page)

    def _close_apprentice(self) -> None:
        if self.apprentice_page is not None:
            self.apprentice_page.hide()
            self.apprentice_page.deleteLater()
            self.apprentice_page = None


class MainWindow(QMainWindow):
    # Another database was chosen (a path or a server URL), or the demo one; the
    # application opens it, asks who is signing in there and replaces this window.
    database_chosen = Signal(str)
    demo_requested = Signal()

    def __init__(
        self,
        db: Database,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._settings = settings if settings is not None else QSettings()
        self.actor: Actor | None = None
        self.setWindowTitle(tr("Assessor"))

        self.apprentices = ApprenticesTab(db)
        self.apprentices_page = self.apprentices.list_page
        self.catalogue_page = CataloguePage(db)
        self.reports_page = ReportsPage(db, None)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pages")
        self.tabs.setDocumentMode(True)
        self.dashboard_page = DashboardPage(db)
        self.cohorts_page = CohortsPage(db)
        self.placements_page = PlacementsPage(db)
        self.organisations_page = OrganisationsPage(db)
        self.tabs.addTab(self.dashboard_page, tr("&Dashboard"))
        self.tabs.addTab(self.apprentices, tr("Appre&ntices"))
        self.tabs.addTab(self.cohorts_page, tr("C&ohorts"))
        self.tabs.addTab(self.placements_page, tr("P&lacements"))
        self.tabs.addTab(self.organisations_page, tr("Or&ganisations"))
        self.tabs.addTab(self.catalogue_page, tr("&Catalogue"))
        for page in (self.dashboard_page, self.cohorts_page, self.placements_page):
            page.open_apprentice_requested.connect(self.open_apprentice)
        self.tabs.addTab(self.reports_page, tr("Re&ports"))
        # Only for the roles that may use them: hidden, not just disabled (set_actor).
        self.users_page = UsersPage(db)
        self.tabs.addTab(self.users_page, tr("Use&rs"))
        self.audit_page = AuditPage(db)
        self.tabs.addTab(self.audit_page, tr("Aud&it"))
        self.setCentralWidget(self.tabs)

        self.database_label = QLabel(
            tr("Database: {location}").format(location=database_location(db))
        )
        self.database_label.setObjectName("databaseLocation")
        self.user_label = QLabel(tr("Not signed in"))
        self.user_label.setObjectName("signedInUser")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

        self._build_menus()
        self.lock = InactivityLock(
            self, db, lambda: self.actor, self._describe_actor, self._switch_after_lock
        )
        self.set_actor(actor)
        # Settle the smallest size once, from the contents as first laid out, rather
        # than letting the layout re-send it to the window system whenever a label's
        # text changes width.
        self.setMinimumSize(self.minimumSizeHint())
        self._restore_geometry()
        self._restore_layout()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.open_database_action = QAction(tr("&Open database…"), self)
        self.open_database_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_database_action.triggered.connect(self.open_database)
        file_menu.addAction(self.open_database_action)
        self.open_demo_action = QAction(tr("Open the &demo database"), self)
        self.open_demo_action.setToolTip(
            tr("Two made-up cohorts to try things out; built the first time it is opened")
        )
        self.open_demo_action.triggered.connect(self.demo_requested)
        file_menu.addAction(self.open_demo_action)
        file_menu.addSeparator()
        self.change_password_action = QAction(tr("&Change my password…"), self)
        self.change_password_action.triggered.connect(self.change_password)
        file_menu.addAction(self.change_password_action)
        self.settings_action = QAction(tr("Provider se&ttings…"), self)
        self.settings_action.triggered.connect(self.change_settings)
        file_menu.addAction(self.settings_action)
        self.backup = BackUpNow(self, self._db)
        file_menu.addAction(self.backup.action)
        self.import_action = QAction(tr("&Import a spreadsheet…"), self)
        self.import_action.setToolTip(tr("Add apprentices, placements, outcomes or evidence"))
        self.import_action.triggered.connect(self.import_spreadsheet)
        file_menu.addAction(self.import_action)
        self.lock_action = QAction(tr("&Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock.lock())
        file_menu.addAction(self.lock_action)
        self.sign_out_action = QAction(tr("&Sign out / switch user…"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        self.quit_action = QAction(tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.about_action = QAction(tr("&About Assessor"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def set_actor(self, actor: Actor | None) -> None:
        """Who is signed in: named in the status bar, and the pages work for them."""
        self.actor = actor
        if actor is None:
            self.user_label.setText(tr("Not signed in"))
        else:
            self.user_label.setText(
                tr("Signed in as {name} ({role})").format(
                    name=signed_in_name(self._db, actor), role=sign_in.role_name(actor.role)
                )
            )
        self.sign_out_action.setEnabled(actor is not None)
        self.change_password_action.setEnabled(actor is not None and actor.user_id is not None)
        self.lock_action.setEnabled(actor is not None)
        self.settings_action.setVisible(actor is not None and actor.can(Permission.CHANGE_SETTINGS))
        self.backup.set_actor(actor)
        self.import_action.setVisible(bool(importable_kinds(actor)))
        self.apprentices.set_actor(actor)
        for page in (
            self.dashboard_page,
            self.cohorts_page,
            self.placements_page,
            self.organisations_page,
        ):
            page.set_actor(actor)
        self.reports_page.set_actor(actor)
        self.catalogue_page.set_actor(actor)
        self._set_page_shown(self.users_page, actor, Permission.MANAGE_USERS)
        self._set_page_shown(self.audit_page, actor, Permission.VIEW_AUDIT)
        self.lock.set_minutes(get_settings(self._db)["lock_after_minutes"] if actor else 0)

    def open_apprentice(self, apprentice_id: int, name: str) -> None:
        """Show an apprentice's page from another page's list."""
        if self.apprentices.open_apprentice(apprentice_id, name) is not None:
            self.tabs.setCurrentWidget(self.apprentices)

    def _set_page_shown(
        self, page: UsersPage | AuditPage, actor: Actor | None, needs: Permission
    ) -> None:
        allowed = actor is not None and actor.can(needs)
        index = self.tabs.indexOf(page)
        if not allowed and self.tabs.currentIndex() == index:
            self.tabs.setCurrentIndex(0)
        self.tabs.setTabVisible(index, allowed)
        page.set_actor(actor if allowed else None)

    def _describe_actor(self, actor: Actor) -> str:
        return tr("{name} ({role})").format(
            name=signed_in_name(self._db, actor), role=sign_in.role_name(actor.role)
        )

    def _switch_after_lock(self) -> None:
        self.sign_out()

    def open_database(self) -> None:
        """Choose another database; the application opens it and signs in there."""
        dialog = OpenDatabaseDialog(database_location(self._db), self)
        target = dialog.target() if run_dialog(dialog) else ""
        dialog.deleteLater()
        if target:
            self.database_chosen.emit(target)

    def change_password(self) -> None:
        if self.actor is None or self.actor.user_id is None:
            return
        dialog = ChangePasswordDialog(self._db, self.actor, self)
        if run_dialog(dialog):
            self.statusBar().showMessage(tr("Your password was changed."), 8000)
        dialog.deleteLater()

    def change_settings(self) -> None:
        if self.actor is None or not self.actor.can(Permission.CHANGE_SETTINGS):
            return
        dialog = SettingsDialog(self._db, self.actor, self)
        if run_dialog(dialog):
            self.lock.set_minutes(get_settings(self._db)["lock_after_minutes"])
            self.statusBar().showMessage(tr("The settings were saved."), 8000)
        dialog.deleteLater()

    def sign_out(self) -> None:
        """Forget who was signed in and ask again; closing the dialog closes the app,
        so a shared PC is never left open under the last person's name."""
        self.set_actor(None)
        actor = sign_in.ask_for_actor(self._db, self)
        if actor is None:
            self.close()
            return
        self.set_actor(actor)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("About Assessor"),
            tr(
                "Assessor {version}\n\n"
                "Offline records for health and social care apprenticeships.\n\n"
                "{qt_versions}"
            ).format(version=__version__, qt_versions=qt_versions()),
        )

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry is not None and self.restoreGeometry(geometry):
            return
        width, height = DEFAULT_SIZE
        screen = self.screen().availableGeometry()
        # Training-room laptops are often 1366x768: never open larger than the screen.
        self.resize(min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10))

    def _layout_parts(self) -> tuple[list[QSplitter], list[QTableView]]:
        """The named splitters and tables whose state is remembered between runs."""
        splitters = [s for s in self.findChildren(QSplitter) if s.objectName()]
        tables = [t for t in self.findChildren(QTableView) if t.objectName()]
        return splitters, tables

    def _restore_layout(self) -> None:
        page = self._settings.value(PAGE_KEY)
        for index in range(self.tabs.count()):
            if self.tabs.isTabVisible(index) and self.tabs.tabText(index).replace("&", "") == page:
                self.tabs.setCurrentIndex(index)
        splitters, tables = self._layout_parts()
        for splitter in splitters:
            state = self._settings.value(SPLITTER_KEY.format(name=splitter.objectName()))
            if state is not None:
                splitter.restoreState(state)
        for table in tables:
            state = self._settings.value(HEADER_KEY.format(name=table.objectName()))
            if state is not None:
                _restore_header(table.horizontalHeader(), state)

    def _save_layout(self) -> None:
        self._settings.setValue(
            PAGE_KEY, self.tabs.tabText(self.tabs.currentIndex()).replace("&", "")
        )
        splitters, tables = self._layout_parts()
        for splitter in splitters:
            self._settings.setValue(
                SPLITTER_KEY.format(name=splitter.objectName()), splitter.saveState()
            )
        for table in tables:
            header = table.horizontalHeader()
            if header.count():
                self._settings.setValue(
                    HEADER_KEY.format(name=table.objectName()), header.saveState()
                )

    def import_spreadsheet(self) -> None:
        # Imported when first used: it brings openpyxl, slow to import at start.
        from assessor_app.ui.dialogs.import_dialog import open_import_dialog

        if open_import_dialog(self._db, self.actor, self):
            self.apprentices_page.reload()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.lock.close()
        self._save_layout()
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)


def _restore_header(header: QHeaderView, state: object) -> None:
    """Column widths and sorting as last left. A table still empty gets them once its
    columns appear, after the page has sized them to their contents."""
    if header.count():
        header.restoreState(state)
        return

    def columns_appeared(_old: int, new: int) -> None:
        if new:
            header.sectionCountChanged.disconnect(columns_appeared)
            QTimer.singleShot(0, header, lambda: header.restoreState(state))

    header.sectionCountChanged.connect(columns_appeared)
