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
    """What a role may do; the value completes "may not ..." in refusals."""

    VIEW_RECORDS = "view records"
    EDIT_CATALOGUE = "edit the catalogue"
    MANAGE_USERS = "manage user accounts"
    VIEW_AUDIT = "view the audit trail"
    CHANGE_SETTINGS = "change the provider's settings"
    MANAGE_ORGANISATIONS = "manage organisations and settings"
    MANAGE_COHORTS = "manage cohorts"
    MANAGE_APPRENTICES = "manage apprentice records"
    CHOOSE_UNITS = "choose an apprentice's units"
    SCHEDULE_PLACEMENTS = "schedule placements"
    RECORD_CARE_CERTIFICATE = "record Care Certificate progress"
    LOG_OFF_THE_JOB = "log off-the-job training"
    RECORD_REVIEWS = "record reviews and supervision"
    RECORD_EVIDENCE = "record assessment evidence"
    ASSESS_EVIDENCE = "assess evidence"
    SIGN_OFF_UNITS = "sign off units"
    SAMPLE_ASSESSMENTS = "record quality assurance sampling"
    # Erasure and legal holds are data-protection decisions: administrators only.
    MANAGE_RETENTION = "erase personal data or place a legal hold"


P = Permission
_COORDINATION = {
    P.MANAGE_ORGANISATIONS,
    P.MANAGE_COHORTS,
    P.MANAGE_APPRENTICES,
    P.SCHEDULE_PLACEMENTS,
}
_TEACHING = {P.CHOOSE_UNITS, P.RECORD_CARE_CERTIFICATE, P.LOG_OFF_THE_JOB, P.RECORD_REVIEWS}

GRANTS: dict[Role, frozenset[Permission]] = {
    # Assessing and sign-off are an assessor's professional judgement: not even an
    # admin makes them; sampling is the quality assurer's.
    Role.ADMIN: frozenset(Permission) - {P.ASSESS_EVIDENCE, P.SIGN_OFF_UNITS, P.SAMPLE_ASSESSMENTS},
    Role.SYSTEM: frozenset(Permission),
    Role.COORDINATOR: frozenset(
        {P.VIEW_RECORDS, *_COORDINATION, P.LOG_OFF_THE_JOB, P.RECORD_REVIEWS, P.CHOOSE_UNITS}
    ),
    Role.TUTOR: frozenset({P.VIEW_RECORDS, *_TEACHING, P.RECORD_EVIDENCE}),
    Role.ASSESSOR: frozenset(
        {P.VIEW_RECORDS, *_TEACHING, P.RECORD_EVIDENCE, P.ASSESS_EVIDENCE, P.SIGN_OFF_UNITS}
    ),
    Role.IQA: frozenset({P.VIEW_RECORDS, P.VIEW_AUDIT, P.SAMPLE_ASSESSMENTS}),
    Role.VIEWER: frozenset({P.VIEW_RECORDS}),
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
