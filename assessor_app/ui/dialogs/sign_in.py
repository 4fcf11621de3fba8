"""Who is using the app: the first administrator's account on first run, then
signing in. Both dialogs end with the Actor every service call needs.

Hashing a password is deliberately slow (scrypt), so both dialogs check it off
the window's thread and show that they are working meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services import users
from assessor_app.services.errors import ServiceError
from assessor_app.services.passwords import MIN_LENGTH, PasswordRejected
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFont,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from collections.abc import Callable

    from assessor_app.store.database import Database

_ROLE_NAMES = {
    Role.ADMIN: "administrator",
    Role.COORDINATOR: "coordinator",
    Role.TUTOR: "tutor",
    Role.ASSESSOR: "assessor",
    Role.IQA: "internal quality assurer",
    Role.VIEWER: "viewer",
    Role.SYSTEM: "system",
}


def role_name(role: Role) -> str:
    """The role in words for a person, e.g. 'administrator'."""
    return tr(_ROLE_NAMES[role])


class _AccountDialog(QDialog):
    """The shared parts: a heading, a form, an error line and OK/Cancel.

    While the service works, the buttons are disabled and closing is ignored, so
    the answer always comes back to a dialog that is still there.
    """

    def __init__(
        self, title: str, heading: str, intro: str, ok_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.actor: Actor | None = None
        self._busy = False
        self.setWindowTitle(title)

        heading_label = QLabel(heading)
        heading_font = QFont(heading_label.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        heading_label.setFont(heading_font)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.error_label = QLabel()
        self.error_label.setObjectName("signInError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Red readable on the window colour: not colour alone (the text says why).
        self.error_label.setStyleSheet(f"QLabel#signInError {{ {tone_style(Tone.BAD)} }}")
        self.error_label.hide()

        self.working_label = QLabel(tr("Checking…"))
        self.working_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label)
        layout.addWidget(intro_label)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.working_label)
        layout.addWidget(self.buttons)

    def _line(self, label: str, name: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMinimumWidth(260)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def submit(self) -> None:
        raise NotImplementedError

    def _run(self, work: Callable[[], Actor], on_refused: Callable[[ServiceError], None]) -> None:
        self._set_busy(True)

        def done(actor: Actor) -> None:
            self._set_busy(False)
            self.actor = actor
            self.accept()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            if not isinstance(exc, ServiceError):
                raise exc  # a programming error: the crash handler explains it
            on_refused(exc)

        run_task(work, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
        self.working_label.setVisible(busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self._busy:
            super().reject()


class FirstAdminDialog(_AccountDialog):
    """First run: nobody has an account yet, so the first person makes the administrator's."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("Assessor: first run"),
            tr("Create the administrator account"),
            tr(
                "No one has an account on this database yet. The administrator adds the "
                "other accounts (tutors, assessors, coordinators) once signed in."
            ),
            tr("Create account"),
            parent,
        )
        self._db = db
        self.username_edit = self._line(tr("&Username:"), "username")
        self.username_edit.setPlaceholderText(tr("e.g. jsmith"))
        self.name_edit = self._line(tr("&Full name:"), "fullName")
        self.name_edit.setPlaceholderText(tr("e.g. Jo Smith"))
        self.password_edit = self._line(tr("&Password:"), "password", secret=True)
        self.password_edit.setPlaceholderText(
            tr("at least {count} characters").format(count=MIN_LENGTH)
        )
        self.repeat_edit = self._line(tr("&Repeat password:"), "repeatPassword", secret=True)
        self.username_edit.setFocus()

    def submit(self) -> None:
        self.clear_error()
        username = self.username_edit.text()
        full_name = self.name_edit.text()
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            self.show_error(tr("The two passwords are not the same; type them again."))
            self.password_edit.clear()
            self.repeat_edit.clear()
            self.password_edit.setFocus()
            return
        db = self._db
        self._run(
            lambda: users.create_first_admin(db, username, full_name, password), self._refused
        )

    def _refused(self, exc: ServiceError) -> None:
        self.show_error(str(exc))
        if isinstance(exc, PasswordRejected):
            self.password_edit.clear()
            self.repeat_edit.clear()
            self.password_edit.setFocus()


class SignInDialog(_AccountDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("Assessor: sign in"),
            tr("Sign in to Assessor"),
            tr("Use your own account: what you record is saved under your name."),
            tr("Sign in"),
            parent,
        )
        self._db = db
        self.username_edit = self._line(tr("&Username:"), "username")
        self.password_edit = self._line(tr("&Password:"), "password", secret=True)
        self.username_edit.setFocus()
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.timeout.connect(self._waited)

    def submit(self) -> None:
        self.clear_error()
        username = self.username_edit.text()
        password = self.password_edit.text()
        if not username.strip() or not password:
            self.show_error(tr("Type your username and your password."))
            return
        db = self._db
        self._run(lambda: users.sign_in(db, username, password), self._refused)

    def _refused(self, exc: ServiceError) -> None:
        self.show_error(str(exc))
        self.password_edit.clear()
        self.password_edit.setFocus()
        if isinstance(exc, users.SignInThrottled):
            # Trying before the wait is over would only be refused again.
            self.ok_button.setEnabled(False)
            self._wait_timer.start(exc.wait_seconds * 1000)

    def _waited(self) -> None:
        self.ok_button.setEnabled(True)
        self.clear_error()


def ask_for_actor(db: Database, parent: QWidget | None = None) -> Actor | None:
    """Who is using the app, by first-run setup or by signing in; None if they cancel."""
    dialog: _AccountDialog
    if users.needs_first_admin(db):
        dialog = FirstAdminDialog(db, parent)
    else:
        dialog = SignInDialog(db, parent)
    try:
        dialog.exec()
        return dialog.actor
    finally:
        dialog.deleteLater()
