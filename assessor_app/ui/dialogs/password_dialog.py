"""Change my own password: the current one, then the new one twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services import users
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.passwords import MIN_LENGTH, PasswordRejected
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import QWidget, tr

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


class ChangePasswordDialog(FormDialog):
    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("Change my password"),
            parent,
            intro=tr("Type your current password, then the new one twice."),
            save_text=tr("Change password"),
        )
        self._db, self._actor = db, actor
        self.current_edit = self.line("current", tr("&Current password:"), secret=True)
        self.new_edit = self.line("password", tr("&New password:"), secret=True)
        self.new_edit.setPlaceholderText(tr("at least {count} characters").format(count=MIN_LENGTH))
        self.repeat_edit = self.line("repeat", tr("R&epeat new password:"), secret=True)
        self.current_edit.setFocus()

    def submit(self) -> None:
        if not self.current_edit.text():
            raise FieldError("current", tr("Type your current password."))
        if self.new_edit.text() != self.repeat_edit.text():
            raise FieldError("repeat", tr("The two passwords are not the same; type them again."))
        db, actor = self._db, self._actor
        old, new = self.current_edit.text(), self.new_edit.text()
        self.run(lambda: users.change_own_password(db, actor, old, new))

    def field_for(self, exc: ServiceError) -> str | None:
        if isinstance(exc, PasswordRejected):
            return "password"
        if "current password" in str(exc).lower() or isinstance(exc, users.SignInThrottled):
            return "current"
        return None
