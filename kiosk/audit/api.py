from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.accounts.permissions import ensure_may_read_audit_log
from kiosk.api import operation
from kiosk.core.limits import MAX_DB_ID
from kiosk.audit.queries import entries_visible_to


class AuditQuery(BaseModel):
    limit: int = Field(100, ge=1, le=1000)
    before: int | None = Field(None, ge=1, le=MAX_DB_ID, description="entries older than this id")
    action: str | None = None


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    unit: str | None
    action: str
    object_type: str
    object_id: str
    before: dict | None
    after: dict | None
    reason: str


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]


@operation("/audit", method="GET", operation_id="listAuditEntries", summary="Read the audit log of your units",
           tag="audit", query=AuditQuery, response=AuditPage)
def list_audit_entries(query: AuditQuery):
    ensure_may_read_audit_log(current_user)
    entries = entries_visible_to(current_user, limit=query.limit, before_id=query.before, action=query.action)
    return AuditPage(entries=[AuditEntryOut(id=e.id, at=e.at, actor=e.actor_name, unit=e.unit.code if e.unit else None,
                                            action=e.action,
                                            object_type=e.object_type, object_id=e.object_id, before=e.before,
                                            after=e.after, reason=e.reason) for e in entries])
