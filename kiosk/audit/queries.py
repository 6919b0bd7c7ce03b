"""Reading the audit log, limited to what the reader's unit may see, filtered by person, unit,
kind of item and local dates."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.org.models import Unit


@dataclass
class AuditFilter:
    person: str | None = None      # account name
    unit: str | None = None        # unit code: that unit and the units under it
    kind: str | None = None        # object type: notice, screen, rotation, ...
    since: date | None = None      # local dates, both included
    until: date | None = None
    action: str | None = None


def _visible(user: User):
    visible = Unit.path.startswith(user.unit.path)
    if user.unit.parent_id is None:  # the top of the tree also sees entries that belong to no unit
        visible = visible | AuditEntry.unit_id.is_(None)
    return visible


def entries_visible_to(user: User, limit: int = 200, before_id: int | None = None,
                       action: str | None = None, filters: AuditFilter | None = None) -> list[AuditEntry]:
    filters = filters or AuditFilter(action=action)
    query = (select(AuditEntry).outerjoin(Unit, Unit.id == AuditEntry.unit_id).where(_visible(user))
             .order_by(AuditEntry.id.desc()).limit(limit))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.person:
        query = query.where(AuditEntry.actor_name == filters.person)
    if filters.kind:
        query = query.where(AuditEntry.object_type == filters.kind)
    if filters.unit:
        chosen = db.session.scalar(select(Unit).where(Unit.code == filters.unit))
        query = query.where(Unit.path.startswith(chosen.path) if chosen else False)
    if filters.since:
        query = query.where(AuditEntry.at >= clock.local_midnight_utc(filters.since))
    if filters.until:
        query = query.where(AuditEntry.at < clock.local_midnight_utc(filters.until + timedelta(days=1)))
    return list(db.session.scalars(query))


def people_visible_to(user: User) -> dict[str, str]:
    """Account name → the person's name, for the staff of the reader's units."""
    rows = db.session.execute(select(User.username, User.display_name).join(User.unit)
                              .where(Unit.path.startswith(user.unit.path)).order_by(User.username))
    return {username: name or username for username, name in rows}


def units_visible_to(user: User) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.path.startswith(user.unit.path)).order_by(Unit.path)))


def kinds_visible_to(user: User) -> list[str]:
    """The kinds of item that appear in the reader's part of the log."""
    return list(db.session.scalars(select(AuditEntry.object_type).outerjoin(Unit, Unit.id == AuditEntry.unit_id)
                                   .where(_visible(user)).distinct().order_by(AuditEntry.object_type)))
