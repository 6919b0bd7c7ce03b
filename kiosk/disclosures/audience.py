"""Which units' screens a notice reaches."""
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core.errors import InvalidInput
from kiosk.disclosures.models import Audience
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind


def township_units(publisher: Unit, kinds=None) -> list[Unit]:
    township = publisher.township
    if township is None:
        return []
    query = select(Unit).where(Unit.path.startswith(township.path))
    if kinds:
        query = query.where(Unit.kind.in_(kinds))
    return list(db.session.scalars(query.order_by(Unit.id)))


def audience_units(publisher: Unit, audience: Audience, village_ids: list[int]) -> list[Unit]:
    if audience == Audience.township:
        return township_units(publisher)
    if audience == Audience.hall:
        return township_units(publisher, [UnitKind.hall])
    if audience == Audience.villages:
        return list(db.session.scalars(select(Unit).where(Unit.id.in_(village_ids or [])).order_by(Unit.id)))
    return []


def resolve_villages(publisher: Unit, codes: list[str]) -> list[Unit]:
    """Villages by code, each one the publisher may address: within its township, or itself."""
    codes = list(dict.fromkeys(code for code in codes if code))
    units = {unit.code: unit for unit in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    township = publisher.township
    chosen = []
    for code in codes:
        unit = units.get(code)
        if unit is None or unit.kind != UnitKind.village:
            raise InvalidInput(_("%(code)s is not a village.", code=code), details={"field": "villages"})
        allowed = unit.id == publisher.id if publisher.kind == UnitKind.village else (
            township is not None and township.contains(unit))
        if not allowed:
            raise InvalidInput(_("%(name)s is outside the units you publish to.", name=unit.name),
                               details={"field": "villages"})
        chosen.append(unit)
    return chosen
