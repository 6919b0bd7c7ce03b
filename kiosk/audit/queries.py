"""Reading the audit log, limited to what the reader's unit may see."""
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.audit.models import AuditEntry
from kiosk.extensions import db
from kiosk.org.models import Unit


def entries_visible_to(user: User, limit: int = 200, before_id: int | None = None,
                       action: str | None = None) -> list[AuditEntry]:
    visible = Unit.path.startswith(user.unit.path)
    if user.unit.parent_id is None:  # the top of the tree also sees entries that belong to no unit
        visible = visible | AuditEntry.unit_id.is_(None)
    query = (select(AuditEntry).outerjoin(Unit, Unit.id == AuditEntry.unit_id).where(visible)
             .order_by(AuditEntry.id.desc()).limit(limit))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))
