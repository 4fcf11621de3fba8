"""Organisations (employers, hosts, providers, agencies) and their settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessor_app.domain.unit_map import SETTING_TYPES as DOMAIN_SETTING_TYPES
from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError
from assessor_app.services.records import assign, changes, load_for_edit, snapshot
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Organisation, Setting

SECTORS = ("health", "social_care", "pvi")
SECTOR_LABELS = {
    "health": "Health",
    "social_care": "Social care",
    "pvi": "Private, voluntary or independent",
}
SETTING_TYPES = DOMAIN_SETTING_TYPES  # one list: the unit map's affinity table uses it too

_ORG_FIELDS = (
    "name",
    "is_employer",
    "is_host",
    "is_training_provider",
    "is_training_agency",
    "sector",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "min_apprentice_age",
    "capacity",
)


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    sector: str
    is_employer: bool = False
    is_host: bool = False
    is_training_provider: bool = False
    is_training_agency: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    min_apprentice_age: int | None = None
    capacity: int | None = None

    def cleaned(self) -> dict[str, object]:
        if not (
            self.is_employer or self.is_host or self.is_training_provider or self.is_training_agency
        ):
            raise FieldError(
                "roles",
                "Say what the organisation is: employer, placement host, training provider "
                "or apprenticeship training agency (one or more).",
            )
        return {
            "name": validation.text(self.name, "name", "Name", max_length=200),
            "sector": validation.choice(self.sector, "sector", "Sector", SECTORS),
            "is_employer": self.is_employer,
            "is_host": self.is_host,
            "is_training_provider": self.is_training_provider,
            "is_training_agency": self.is_training_agency,
            "contact_name": validation.text(
                self.contact_name, "contact_name", "Contact name", max_length=200, required=False
            ),
            "contact_email": validation.email(self.contact_email, "contact_email", "Contact email"),
            "contact_phone": validation.text(
                self.contact_phone, "contact_phone", "Contact phone", max_length=50, required=False
            ),
            "address": validation.text(
                self.address, "address", "Address", max_length=1000, required=False
            ),
            "min_apprentice_age": validation.whole_number(
                self.min_apprentice_age,
                "min_apprentice_age",
                "Minimum apprentice age",
                minimum=16,
                maximum=25,
            ),
            "capacity": validation.whole_number(
                self.capacity, "capacity", "Apprentices at once", minimum=0, maximum=500
            ),
        }


def create_organisation(db: Database, actor: Actor, data: OrganisationInput) -> int:
    actor.require(Permission.MANAGE_ORGANISATIONS)
    values = data.cleaned()
    with db.transaction() as session:
        _refuse_duplicate_name(session, str(values["name"]), None)
        row = Organisation(**values)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "organisation.create",
            "organisation",
            row.id,
            after=snapshot(row, _ORG_FIELDS),
        )
        return row.id


def update_organisation(
    db: Database,
    actor: Actor,
    organisation_id: int,
    data: OrganisationInput,
    *,
    expected_version: int | None = None,
) -> int:
    actor.require(Permission.MANAGE_ORGANISATIONS)
    values = data.cleaned()
    with db.transaction() as session:
        row = load_for_edit(
            session, Organisation, organisation_id, "organisation", expected_version
        )
        _refuse_duplicate_name(session, str(values["name"]), organisation_id)
        before = snapshot(row, _ORG_FIELDS)
        assign(row, values)
        session.flush()
        audit.record(
            session,
            actor,
            "organisation.update",
            "organisation",
            row.id,
            changes=changes(before, snapshot(row, _ORG_FIELDS)),
        )
        return row.version


def _refuse_duplicate_name(session: Session, name: str, own_id: int | None) -> None:
    clash = session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    )
    if clash is not None and clash != own_id:
        raise FieldError("name", f"There is already an organisation called '{name}'.")


def add_setting(
    db: Database,
    actor: Actor,
    organisation_id: int,
    name: str,
    setting_type: str,
    location: str = "",
) -> int:
    """A ward, home, centre or unit where apprentices are placed."""
    actor.require(Permission.MANAGE_ORGANISATIONS)
    clean_name = validation.text(name, "name", "Setting name", max_length=200)
    clean_type = validation.choice(setting_type, "setting_type", "Setting type", SETTING_TYPES)
    clean_location = validation.text(
        location, "location", "Location", max_length=300, required=False
    )
    with db.transaction() as session:
        org = load_for_edit(session, Organisation, organisation_id, "organisation")
        same = [s for s in org.settings if s.name.lower() == clean_name.lower()]
        if same:
            raise FieldError("name", f"{org.name} already has a setting called '{same[0].name}'.")
        row = Setting(
            organisation=org, name=clean_name, setting_type=clean_type, location=clean_location
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "setting.create",
            "setting",
            row.id,
            organisation=org.name,
            after=snapshot(row, ("name", "setting_type", "location")),
        )
        return row.id
