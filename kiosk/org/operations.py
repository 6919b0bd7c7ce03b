"""Creating and finding units."""
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk import privacy
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind

ALLOWED_PARENT = {
    UnitKind.county: {None},
    UnitKind.township: {None, UnitKind.county},
    UnitKind.hall: {UnitKind.township},
    UnitKind.village: {UnitKind.township},
}


def create_unit(kind: UnitKind, name: str, code: str, parent: Unit | None = None) -> Unit:
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENT[kind]:
        raise InvalidInput(_("A %(kind)s cannot be placed there.", kind=kind.value))
    privacy.ensure_clean({_("Unit name"): name})   # screens, pages and print sheets show it
    unit = Unit(kind=kind, name=name, code=code, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    return unit


def get_unit_by_code(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(_("No unit has the code %(code)s.", code=code))
    return unit


def subtree(unit: Unit):
    """A select of the unit and all units below it."""
    return select(Unit).where(Unit.path.startswith(unit.path)).order_by(Unit.path)


def villages_of(township: Unit) -> list[Unit]:
    return list(db.session.scalars(
        select(Unit).where(Unit.parent_id == township.id, Unit.kind == UnitKind.village).order_by(Unit.id)))
