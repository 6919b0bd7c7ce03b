"""Urgent notices (紧急通知): full screen on the chosen groups until cleared or until their end."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import User
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.locking import upsert
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.models import Screen, ScreenGroup, ScreenGroupMember, UrgentDelivery, UrgentNotice, UrgentTarget
from kiosk.screens.operations import ensure_manager, tell_groups
from kiosk.screens.state import urgent_payload


def urgent_visible_to(user: User, limit: int = 50) -> list[UrgentNotice]:
    return list(db.session.scalars(select(UrgentNotice).join(Unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(UrgentNotice.id.desc()).limit(limit)))


def get_urgent_for(user: User, urgent_id: int) -> UrgentNotice:
    urgent = db.session.get(UrgentNotice, urgent_id)
    if urgent is None or not user.unit.contains(urgent.unit):
        raise NotFound(_("No such urgent notice."))
    return urgent


def create_urgent(user: User, unit: Unit, title: str, body: str, groups: list[ScreenGroup],
                  ends_at: datetime | None = None) -> UrgentNotice:
    ensure_manager(user, unit)
    title, body = title.strip(), body.strip()
    if not title:
        raise InvalidInput(_("An urgent notice needs a title."))
    if not groups:
        raise InvalidInput(_("Choose at least one screen group."))
    privacy.ensure_clean({_("Title"): title, _("Text"): body})
    for group in groups:
        if not unit.contains(group.unit) and not group.unit.contains(unit):
            raise InvalidInput(_("The group %(group)s is outside %(unit)s.", group=group.name, unit=unit.name))
        ensure_manager(user, group.unit)
    if ends_at is not None and ends_at <= clock.now():
        raise InvalidInput(_("The end time has already passed."))
    return push_urgent(unit, title, body, groups, ends_at, user.id)


def push_urgent(unit: Unit, title: str, body: str, groups: list[ScreenGroup], ends_at: datetime | None,
                created_by: int | None, reason: str = "") -> UrgentNotice:
    """Put an urgent notice on the groups' screens now (the callers checked who and what)."""
    urgent = UrgentNotice(unit=unit, title=title, body=body, starts_at=clock.now(), ends_at=ends_at,
                          created_by=created_by, targets=[UrgentTarget(group=g) for g in groups])
    db.session.add(urgent)
    db.session.flush()
    record_change("urgent.create", urgent, reason=reason)
    tell_groups([g.id for g in groups], "urgent", {"urgent": urgent_payload(urgent)})
    return urgent


def clear_urgent(user: User, urgent: UrgentNotice) -> UrgentNotice:
    ensure_manager(user, urgent.unit)
    if urgent.cleared_at is not None:
        raise Conflict(_("This urgent notice is already cleared."))
    end_urgent(urgent)
    return urgent


def end_urgent(urgent: UrgentNotice, reason: str = "") -> None:
    """Take an urgent notice off its screens now."""
    with audited("urgent.clear", urgent, reason):
        urgent.cleared_at = clock.now()
    tell_groups([t.group_id for t in urgent.targets], "urgent_cleared", {"cleared": urgent.id})


def _targets(urgent: UrgentNotice):
    """The ids of the screens an urgent notice is for (not revoked): a subquery."""
    # IN (subquery) rather than DISTINCT over a join: PostgreSQL cannot compare the JSON columns.
    members = select(ScreenGroupMember.screen_id).where(
        ScreenGroupMember.group_id.in_([t.group_id for t in urgent.targets]))
    return select(Screen.id).where(Screen.id.in_(members), Screen.revoked_at.is_(None))


def record_delivery(screen: Screen, urgent_id: int) -> None:
    """The player confirms the urgent notice is on its screen (first time only)."""
    urgent = db.session.get(UrgentNotice, urgent_id)
    if urgent is None or db.session.scalar(_targets(urgent).where(Screen.id == screen.id)) is None:
        return
    # One statement: a screen open in two tabs confirms twice at once, and the first one counts.
    db.session.execute(upsert(UrgentDelivery).values(urgent_id=urgent_id, screen_id=screen.id, shown_at=clock.now())
                       .on_conflict_do_nothing(index_elements=[UrgentDelivery.urgent_id, UrgentDelivery.screen_id]))


def arrival_status(urgent: UrgentNotice) -> list[dict]:
    """Per target screen: online or not, and when it showed the notice (the staff page polls this,
    and the answer to pushing or clearing it carries it). One query of plain rows: a county's
    thousands of screens as objects held up the serving process for seconds."""
    rows = db.session.execute(
        select(Screen.id, Screen.name, Unit.name, Screen.online, UrgentDelivery.shown_at)
        .join(Unit, Unit.id == Screen.unit_id)
        .outerjoin(UrgentDelivery, (UrgentDelivery.screen_id == Screen.id) & (UrgentDelivery.urgent_id == urgent.id))
        .where(Screen.id.in_(_targets(urgent))).order_by(Screen.name))
    return [{"screen": screen_id, "name": name, "unit": unit, "online": online,
             "shown_at": shown.isoformat() if shown else None,
             "seconds": round((shown - urgent.starts_at).total_seconds(), 2) if shown else None}
            for screen_id, name, unit, online, shown in rows]
