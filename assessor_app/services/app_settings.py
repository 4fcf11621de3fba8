"""Provider-wide settings, declared once: key, default, type, label and limits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from assessor_app.services import audit
from assessor_app.services.errors import FieldError
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import AppSetting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: int
    label: str
    minimum: int
    maximum: int
    zero_means: str = ""  # what 0 stands for, when it is not a number of anything


# What "never" is called where a setting's form shows a 0 that means it.
NEVER = "Never"


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("placement_notice_weeks", 4, "Notice before a placement starts (weeks)", 0, 26),
        SettingSpec("care_certificate_weeks", 12, "Weeks to complete the Care Certificate", 1, 52),
        SettingSpec("review_interval_weeks", 12, "Weeks between progress reviews", 1, 52),
        SettingSpec("off_the_job_percent", 20, "Off-the-job training (% of paid hours)", 1, 100),
        SettingSpec("placement_gap_days", 7, "Longest gap between placements (days)", 0, 90),
        SettingSpec(
            "lock_after_minutes",
            10,
            "Lock the window after inactivity (minutes)",
            0,
            240,
            zero_means=NEVER,
        ),
        SettingSpec("max_attachment_mb", 50, "Largest evidence file (MB)", 1, 2000),
        SettingSpec("minimum_programme_months", 12, "Minimum programme length (months)", 1, 60),
        SettingSpec("backups_to_keep", 14, "Automatic backups to keep", 1, 365),
        SettingSpec(
            "retention_years", 6, "Keep records after completion or withdrawal (years)", 1, 50
        ),
    )
}


def get_settings(db: Database) -> dict[str, int]:
    """Every setting's current value (the default where none was saved)."""
    values = {key: spec.default for key, spec in SETTINGS.items()}
    with db.reading() as session:
        for row in session.scalars(select(AppSetting)):
            stored = _stored(row.value) if row.key in SETTINGS else None
            if stored is not None:
                values[row.key] = stored
    return values


def change_setting(db: Database, actor: Actor, key: str, value: int) -> None:
    change_settings(db, actor, {key: value})


def change_settings(db: Database, actor: Actor, values: dict[str, int]) -> list[str]:
    """Save several settings at once, all or none; each one that changed gets an
    audit entry. Returns the keys that changed."""
    actor.require(Permission.CHANGE_SETTINGS)
    for key, value in values.items():
        spec = SETTINGS.get(key)
        if spec is None:
            raise FieldError(key, f"There is no setting called '{key}'.")
        if not spec.minimum <= value <= spec.maximum:
            never = f" ({spec.zero_means.lower()})" if spec.zero_means else ""
            raise FieldError(
                key,
                f"{spec.label} must be between {spec.minimum}{never} and {spec.maximum}, "
                f"not {value}.",
            )
    changed: list[str] = []
    with db.transaction() as session:
        for key, value in values.items():
            row = session.get(AppSetting, key)
            before = _stored(row.value) if row is not None else None
            if before is None:
                before = SETTINGS[key].default
            if before == value:
                continue  # unchanged: nothing written, nothing to audit
            if row is None:
                session.add(AppSetting(key=key, value=str(value)))
            else:
                row.value = str(value)
            changed.append(key)
            audit.record(
                session,
                actor,
                "settings.change",
                "app_setting",
                key,
                changes={key: [before, value]},
            )
    return changed


def _stored(text: str) -> int | None:
    return int(text) if text.lstrip("-").isdigit() else None
