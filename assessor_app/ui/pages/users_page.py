"""Accounts, for administrators: who can sign in, with which role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services import users
from assessor_app.services.errors import ServiceError, StaleEdit
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.dialogs.sign_in import role_name
from assessor_app.ui.dialogs.user_dialog import NewUserDialog, ResetPasswordDialog, RoleDialog
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.pages.record_tab import (
    ask_to_confirm,
    message_label,
    run_dialog,
    show_message,
)
from assessor_app.ui.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

User = users.UserSummary


def _last_seen(user: User) -> str:
    if user.last_signed_in_at is None:
        return tr("never")
    return user.last_signed_in_at.astimezone().strftime("%d %b %Y %H:%M")


COLUMNS: list[Column[User]] = [
    Column(tr("Username"), lambda u: u.username),
    Column(tr("Name"), lambda u: u.display_name),
    Column(tr("Role"), lambda u: role_name(u.role).capitalize()),
    Column(
        tr("Status"),
        lambda u: tr("active") if u.active else tr("deactivated"),
        tip=tr("A deactivated account cannot sign in; its history stays."),
    ),
    Column(
        tr("Last signed in"),
        _last_seen,
        sort=lambda u: u.last_signed_in_at.timestamp() if u.last_signed_in_at else None,
    ),
]


class UsersPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None

        heading = QLabel(tr("User accounts"))
        heading.setObjectName("usersHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("userSearch")
        self.search_edit.setPlaceholderText(tr("Find by username or name"))
        self.search_edit.setClearButtonEnabled(True)

        self.new_button = QPushButton(tr("&New account…"))
        self.new_button.setObjectName("newUser")
        self.new_button.setToolTip(tr("Create an account (Ctrl+N)"))
        self.role_button = QPushButton(tr("Change &role…"))
        self.role_button.setObjectName("changeRole")
        self.active_button = QPushButton(tr("&Deactivate…"))
        self.active_button.setObjectName("toggleActive")
        self.reset_button = QPushButton(tr("Reset &password…"))
        self.reset_button.setObjectName("resetPassword")

        self.table: RecordTable[User] = RecordTable(COLUMNS, stretch=1, search_columns=(0, 1))
        self.table.setObjectName("userTable")
        # One line of text and some air, as in the catalogue: more rows without scrolling.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.message_label = message_label("usersMessage")

        buttons = QHBoxLayout()
        buttons.addWidget(self.search_edit, 1)
        for button in (self.new_button, self.role_button, self.active_button, self.reset_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)

        new = QAction(tr("New account"), self)
        new.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(self.new_user)
        find = QAction(tr("Find an account"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(
            lambda: self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.addActions([new, find])

        self.search_edit.textChanged.connect(self.table.proxy.set_text)
        self.new_button.clicked.connect(self.new_user)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.change_role)
        self._update_buttons()

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.table.set_rows([])
        if actor is not None and actor.can(Permission.MANAGE_USERS):
            self.reload()
        self._update_buttons()

    def reload(self) -> None:
        actor = self._actor
        if actor is None:
            return
        db = self._db
        run_task(lambda: users.list_users(db, actor), self._loaded, self._failed, owner=self)

    def _loaded(self, rows: list[User]) -> None:
        chosen = self.table.current_record()
        self.table.set_rows(rows)
        if chosen is not None:
            self.table.select_where(chosen.id, lambda u: u.id)
        self._update_buttons()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        show_message(self.message_label, str(exc), error=True)
        if isinstance(exc, StaleEdit):
            self.reload()  # show what changed, so the next try works on the latest

    def _update_buttons(self) -> None:
        allowed = self._actor is not None and self._actor.can(Permission.MANAGE_USERS)
        user = self.table.current_record()
        self.new_button.setEnabled(allowed)
        for button in (self.role_button, self.active_button, self.reset_button):
            button.setEnabled(allowed and user is not None)
        if user is not None and not user.active:
            self.active_button.setText(tr("Re&activate…"))
            self.active_button.setToolTip(tr("Let this account sign in again"))
        else:
            self.active_button.setText(tr("&Deactivate…"))
            self.active_button.setToolTip(
                tr("Stop this account signing in; what it recorded stays")
            )

    def _done(self, text: str) -> None:
        show_message(self.message_label, text)
        self.reload()

    def new_user(self) -> None:
        if self._actor is None or not self.new_button.isEnabled():
            return
        dialog = NewUserDialog(self._db, self._actor, self)
        name = ""
        if run_dialog(dialog):
            name = dialog.username_edit.text().strip().lower()
        dialog.deleteLater()
        if name:
            self._done(tr("Account {username} created.").format(username=name))
            self.table.select_where(name, lambda u: u.username)

    def change_role(self) -> None:
        user = self.table.current_record()
        if self._actor is None or user is None or not self.role_button.isEnabled():
            return
        dialog = RoleDialog(self._db, self._actor, user, self)
        if run_dialog(dialog):
            self._done(tr("{username}'s role was changed.").format(username=user.username))
        dialog.deleteLater()

    def reset_password(self) -> None:
        user = self.table.current_record()
        if self._actor is None or user is None:
            return
        dialog = ResetPasswordDialog(self._db, self._actor, user, self)
        if run_dialog(dialog):
            self._done(tr("{username} has a new password.").format(username=user.username))
        dialog.deleteLater()

    def toggle_active(self) -> None:
        user = self.table.current_record()
        actor = self._actor
        if actor is None or user is None:
            return
        db = self._db
        if user.active:
            if not ask_to_confirm(
                self,
                tr("Deactivate account"),
                tr(
                    "Deactivate {name} ({username})? They will not be able to sign in; "
                    "everything they recorded stays."
                ).format(name=user.display_name, username=user.username),
                tr("Deactivate"),
            ):
                return
            work = lambda: users.deactivate_user(  # noqa: E731
                db, actor, user.id, expected_version=user.version
            )
            done = tr("{username} can no longer sign in.")
        else:
            if not ask_to_confirm(
                self,
                tr("Reactivate account"),
                tr("Let {name} ({username}) sign in again?").format(
                    name=user.display_name, username=user.username
                ),
                tr("Reactivate"),
            ):
                return
            work = lambda: users.reactivate_user(  # noqa: E731
                db, actor, user.id, expected_version=user.version
            )
            done = tr("{username} can sign in again.")
        run_task(
            work,
            lambda _v: self._done(done.format(username=user.username)),
            self._failed,
            owner=self,
        )
