"""An administrator's dialogs for accounts: a new account, another role, a new password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services import users
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.passwords import MIN_LENGTH, PasswordRejected
from assessor_app.services.roles import Role
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.dialogs.sign_in import role_name
from assessor_app.ui.qt import QComboBox, QWidget, tr

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def role_combo(current: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role in users.PEOPLE_ROLES:
        combo.addItem(role_name(role).capitalize(), role.value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current.value))
    return combo


class NewUserDialog(FormDialog):
    """Create an account; `result_value` is its id."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("New account"),
            parent,
            intro=tr(
                "Everyone gets their own account, so what they record is saved under their "
                "name. Tell them their password in person; they can change it once signed in."
            ),
            save_text=tr("Create account"),
        )
        self._db = db
        self._actor = actor
        self.username_edit = self.line("username", tr("&Username:"))
        self.username_edit.setPlaceholderText(tr("e.g. jsmith (letters, digits, . _ -)"))
        self.name_edit = self.line("display_name", tr("&Full name:"))
        self.name_edit.setPlaceholderText(tr("e.g. Jo Smith"))
        self.role_combo = role_combo(Role.TUTOR)
        self.add_field("role", tr("&Role:"), self.role_combo)
        self.password_edit = self.line("password", tr("&Password:"), secret=True)
        self.password_edit.setPlaceholderText(
            tr("at least {count} characters").format(count=MIN_LENGTH)
        )
        self.repeat_edit = self.line("repeat", tr("R&epeat password:"), secret=True)
        self.username_edit.setFocus()

    def submit(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            raise FieldError("repeat", tr("The two passwords are not the same; type them again."))
        db, actor = self._db, self._actor
        username, name = self.username_edit.text(), self.name_edit.text()
        role = Role(self.role_combo.currentData())
        password = self.password_edit.text()
        self.run(lambda: users.create_user(db, actor, username, name, role, password))

    def field_for(self, exc: ServiceError) -> str | None:
        text = str(exc).lower()
        if isinstance(exc, PasswordRejected):
            return "password"
        if "username" in text:
            return "username"
        if "display name" in text:
            return "display_name"
        if "role" in text:
            return "role"
        return None


class RoleDialog(FormDialog):
    """Give an account another role; `result_value` is its new version."""

    def __init__(
        self, db: Database, actor: Actor, user: users.UserSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr("Change role"),
            parent,
            intro=tr("What {name} may do follows from their role.").format(name=user.display_name),
            save_text=tr("Change role"),
        )
        self._db, self._actor, self._user = db, actor, user
        self.role_combo = role_combo(user.role)
        self.add_field("role", tr("&Role:"), self.role_combo)

    def submit(self) -> None:
        db, actor, user = self._db, self._actor, self._user
        role = Role(self.role_combo.currentData())
        self.run(lambda: users.set_role(db, actor, user.id, role, expected_version=user.version))


class ResetPasswordDialog(FormDialog):
    """An administrator sets a new password for someone who forgot theirs."""

    def __init__(
        self, db: Database, actor: Actor, user: users.UserSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr("Reset password"),
            parent,
            intro=tr(
                "Set a new password for {name} ({username}) and tell it to them in person. "
                "This also lifts any wait after failed sign-ins."
            ).format(name=user.display_name, username=user.username),
            save_text=tr("Set password"),
        )
        self._db, self._actor, self._user = db, actor, user
        self.password_edit = self.line("password", tr("&New password:"), secret=True)
        self.password_edit.setPlaceholderText(
            tr("at least {count} characters").format(count=MIN_LENGTH)
        )
        self.repeat_edit = self.line("repeat", tr("R&epeat password:"), secret=True)

    def submit(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            raise FieldError("repeat", tr("The two passwords are not the same; type them again."))
        db, actor, user = self._db, self._actor, self._user
        password = self.password_edit.text()
        self.run(lambda: users.reset_password(db, actor, user.id, password))

    def field_for(self, exc: ServiceError) -> str | None:
        return "password" if isinstance(exc, PasswordRejected) else None
