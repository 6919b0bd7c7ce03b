"""Recording changes. Call inside the transaction that makes the change, so both land or neither."""
import enum
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import inspect

from kiosk.audit.chain import chain
from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.privacy.gate import mask_text

_SKIP = {"password_hash", "token_hash"}


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj) -> dict:
    """The column values of a model instance, JSON-ready, secrets left out."""
    return {attr.key: _plain(getattr(obj, attr.key))
            for attr in inspect(obj).mapper.column_attrs if attr.key not in _SKIP}


def _masked(value):
    """Personal data (ID, card, phone numbers...) masked as on the public side before it is kept: the
    log must not hold in full what the privacy gate refused to publish."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    return value


def _actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "system"


def _unit_id(obj):
    if getattr(obj, "__tablename__", "") == "unit":
        return obj.id
    return getattr(obj, "unit_id", None)


def record_change(action: str, obj, before: dict | None = None, after: dict | None = None,
                  reason: str = "") -> AuditEntry:
    actor_id, actor_name = _actor()
    if inspect(obj).identity is None:
        db.session.flush()
    if after is None:
        after = snapshot(obj)
    entry = AuditEntry(at=clock.now(), actor_id=actor_id, actor_name=actor_name, unit_id=_unit_id(obj),
                       action=action, object_type=obj.__tablename__, object_id=str(inspect(obj).identity[0]),
                       before=_masked(before), after=_masked(after), reason=_masked(reason))
    chain(entry)
    db.session.add(entry)
    return entry


@contextmanager
def audited(action: str, obj, reason: str = ""):
    """Snapshot `obj`, let the block change it, then record before and after."""
    before = snapshot(obj)
    yield obj
    db.session.flush()
    record_change(action, obj, before=before, after=snapshot(obj), reason=reason)
