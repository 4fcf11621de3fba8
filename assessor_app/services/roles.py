"""Who may do what. Every service call names the acting user and checks here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    TUTOR = "tutor"
    ASSESSOR = "assessor"
    IQA = "iqa"  # internal quality assurer
    VIEWER = "viewer"  # provider staff who print reports
    SYSTEM = "system"  # the app itself: first-run setup and automatic jobs


class Permission(StrEnum):
    EDIT_CATALOGUE = "edit the catalogue"
    MANAGE_USERS = "manage user accounts"
    VIEW_AUDIT = "view the audit trail"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SYSTEM: frozenset(Permission),
    Role.IQA: frozenset({Permission.VIEW_AUDIT}),
    Role.COORDINATOR: frozenset(),
    Role.TUTOR: frozenset(),
    Role.ASSESSOR: frozenset(),
    Role.VIEWER: frozenset(),
}


class PermissionDenied(Exception):
    """The acting user's role does not allow the action."""


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.username} ({self.role.value}) may not {permission.value}; "
                "ask an administrator."
            )


SYSTEM = Actor(user_id=None, username="system", role=Role.SYSTEM)
