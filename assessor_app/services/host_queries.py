"""Read-only questions about organisations and their settings: the list for the
Organisations page, the settings a placement can go to, and the host view (who is
placed where in a period, and each host's busiest day against its capacity)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Organisation, Placement, Setting


@dataclass(frozen=True)
class SettingRow:
    id: int
    name: str
    setting_type: str
    location: str
    active: bool


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    is_employer: bool
    is_host: bool
    is_training_provider: bool
    is_training_agency: bool
    sector: str
    contact_name: str
    contact_email: str
    contact_phone: str
    address: str
    min_apprentice_age: int | None
    capacity: int | None
    active: bool
    version: int
    settings: tuple[SettingRow, ...]  # by name


@dataclass(frozen=True)
class SettingChoice:
    id: int
    host: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.host} – {self.name}"


@dataclass(frozen=True)
class PlacedApprentice:
    placement_id: int
    apprentice_id: int
    name: str
    cohort: str
    start: date
    end: date


@dataclass(frozen=True)
class SettingOccupancy:
    setting_id: int
    name: str
    setting_type: str
    placed: tuple[PlacedApprentice, ...]  # by start date, then name


@dataclass(frozen=True)
class HostOccupancy:
    organisation_id: int
    name: str
    sector: str
    capacity: int | None  # None: no limit recorded
    busiest: int  # most apprentices there on any one day of the period
    busiest_on: date | None  # the first such day
    settings: tuple[SettingOccupancy, ...]

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.busiest > self.capacity


def organisation_rows(db: Database, actor: Actor) -> list[OrganisationRow]:
    """Every organisation with its settings, by name."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        rows = session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.settings))
            .order_by(Organisation.name)
        ).all()
        return [
            OrganisationRow(
                id=o.id,
                name=o.name,
                is_employer=o.is_employer,
                is_host=o.is_host,
                is_training_provider=o.is_training_provider,
                is_training_agency=o.is_training_agency,
                sector=o.sector,
                contact_name=o.contact_name,
                contact_email=o.contact_email,
                contact_phone=o.contact_phone,
                address=o.address,
                min_apprentice_age=o.min_apprentice_age,
                capacity=o.capacity,
                active=o.active,
                version=o.version,
                settings=tuple(
                    SettingRow(s.id, s.name, s.setting_type, s.location, s.active)
                    for s in sorted(o.settings, key=lambda s: s.name.casefold())
                ),
            )
            for o in rows
        ]


def setting_choices(db: Database, actor: Actor) -> list[SettingChoice]:
    """The settings a placement can be scheduled at: active ones of active hosts."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        rows = session.execute(
            select(Setting.id, Organisation.name, Setting.name)
            .join(Setting.organisation)
            .where(Organisation.is_host, Organisation.active, Setting.active)
            .order_by(Organisation.name, Setting.name)
        ).all()
    return [SettingChoice(i, host, name) for i, host, name in rows]


def _busiest(spans: list[tuple[date, date]], first: date, last: date) -> tuple[int, date | None]:
    """The most spans covering any one day in [first, last], and the first such day."""
    changes: dict[date, int] = {}
    for start, end in spans:
        start, end = max(start, first), min(end, last)
        if start > end:
            continue
        changes[start] = changes.get(start, 0) + 1
        after = end + timedelta(days=1)
        changes[after] = changes.get(after, 0) - 1
    best, best_on, running = 0, None, 0
    for day in sorted(changes):
        running += changes[day]
        if running > best:
            best, best_on = running, day
    return best, best_on


def host_occupancy(
    db: Database, actor: Actor, first: date, last: date | None = None
) -> list[HostOccupancy]:
    """Every active host with who is placed at each of its settings on any day from
    `first` to `last` (one day when `last` is None), by host name."""
    actor.require(Permission.VIEW_RECORDS)
    last = first if last is None else last
    if last < first:
        raise ServiceError("The end of the period is before its start; choose a later end date.")
    with db.reading() as session:
        hosts = session.scalars(
            select(Organisation)
            .where(Organisation.is_host, Organisation.active)
            .options(selectinload(Organisation.settings))
            .order_by(Organisation.name)
        ).all()
        placements = session.scalars(
            select(Placement)
            .join(Placement.setting)
            .where(Placement.start_date <= last, Placement.end_date >= first)
            .options(
                selectinload(Placement.apprentice).selectinload(Apprentice.cohort),
                selectinload(Placement.setting),
            )
        ).all()
        by_setting: dict[int, list[PlacedApprentice]] = {}
        for p in placements:
            by_setting.setdefault(p.setting_id, []).append(
                PlacedApprentice(
                    p.id,
                    p.apprentice_id,
                    p.apprentice.full_name,
                    p.apprentice.cohort.name,
                    p.start_date,
                    p.end_date,
                )
            )
        result = []
        for org in hosts:
            settings = tuple(
                SettingOccupancy(
                    s.id,
                    s.name,
                    s.setting_type,
                    tuple(
                        sorted(by_setting.get(s.id, []), key=lambda r: (r.start, r.name.casefold()))
                    ),
                )
                for s in sorted(org.settings, key=lambda s: s.name.casefold())
                if s.active or s.id in by_setting
            )
            spans = [(r.start, r.end) for s in settings for r in s.placed]
            busiest, busiest_on = _busiest(spans, first, last)
            result.append(
                HostOccupancy(
                    org.id, org.name, org.sector, org.capacity, busiest, busiest_on, settings
                )
            )
        return result
