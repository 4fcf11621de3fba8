"""The main window: menus, the status bar and the page being shown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assessor_app import __version__
from assessor_app.services.choice_lists import signed_in_name
from assessor_app.ui.dialogs import sign_in
from assessor_app.ui.pages.apprentice_page import ApprenticePage
from assessor_app.ui.pages.apprentices_page import ApprenticesPage
from assessor_app.ui.pages.catalogue_page import CataloguePage
from assessor_app.ui.pages.reports_page import ReportsPage
from assessor_app.ui.qt import (
    QAction,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSettings,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    qt_versions,
    tr,
)
from assessor_app.ui.widgets.selection_editor import SelectionEditor

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

GEOMETRY_KEY = "main_window/geometry"
DEFAULT_SIZE = (1280, 800)


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

    def set_actor(self, actor: Actor | None) -> None:
        """A new person starts at the list, never on the last person's apprentice."""
        self._actor = actor
        self.show_list()
        self.list_page.set_actor(actor)

    def open_apprentice(self, apprentice_id: int, name: str = "") -> ApprenticePage | None:
        if self._actor is None:
            return None
        self._close_apprentice()
        self.apprentice_page = ApprenticePage(self._db, self._actor, apprentice_id, name)
        self.apprentice_page.add_tab(
            SelectionEditor(self._db, self._actor, apprentice_id), tr("Units")
        )
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
        self.tabs.addTab(self.apprentices, tr("Appre&ntices"))
        self.tabs.addTab(self.catalogue_page, tr("&Catalogue"))
        self.tabs.addTab(self.reports_page, tr("Re&ports"))
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
        self.set_actor(actor)
        # Settle the smallest size once, from the contents as first laid out, rather
        # than letting the layout re-send it to the window system whenever a label's
        # text changes width.
        self.setMinimumSize(self.minimumSizeHint())
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
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
        self.apprentices.set_actor(actor)
        self.reports_page.set_actor(actor)

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
