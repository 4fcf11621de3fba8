"""Read-only: what the unit choice editor needs about one apprentice.

The qualification of the apprentice's cohort, the optional units chosen now, the
units already signed off (which a choice should not drop) and the record's
version for the optimistic check when the choice is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from assessor_app.domain.catalogue import Qualification
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, UnitSignOff


@dataclass(frozen=True)
class UnitChoice:
    qualification: Qualification
    chosen: tuple[str, ...]  # in the qualification's unit order
    signed_off: frozenset[str]
    version: int
    apprentice_name: str


def unit_choice(db: Database, actor: Actor, apprentice_id: int) -> UnitChoice:
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        apprentice = session.get(Apprentice, apprentice_id)
        if apprentice is None:
            raise NotFound("That apprentice no longer exists.")
        qual_row = load_qualification_row(session, apprentice.cohort.qualification.code)
        assert qual_row is not None
        qual = to_domain(qual_row)
        chosen = {c.unit.ref for c in apprentice.chosen_units}
        signed_off = frozenset(
            s.unit.ref
            for s in session.scalars(
                select(UnitSignOff).where(
                    UnitSignOff.apprentice_id == apprentice_id, UnitSignOff.revoked_on.is_(None)
                )
            )
        )
        return UnitChoice(
            qualification=qual,
            chosen=tuple(u.ref for u in qual.units if u.ref in chosen),
            signed_off=signed_off,
            version=apprentice.version,
            apprentice_name=apprentice.full_name,
        )
