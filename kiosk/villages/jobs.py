"""The public day's push: when a public day begins or ends, the screens of its township get their
new state (the day's notices first, or back to the usual order) without waiting for a change."""
from datetime import timedelta

from sqlalchemy import select

from kiosk.core import clock
from kiosk.events import publish
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.scheduling import job
from kiosk.villages.public_days import occurrence, public_days

_last_day = None   # the local day this scheduler last looked at


def townships_turning(today) -> list[Unit]:
    """The townships whose public day is today or was yesterday: their screens' order changes today."""
    yesterday = today - timedelta(days=1)
    turning = []
    for township in db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.id)):
        if any(occurrence(day, yesterday) in (today, yesterday) for day in public_days(township)):
            turning.append(township)
    return turning


@job("villages.public_day", "interval", minutes=1)
def push_public_days() -> str | None:
    global _last_day
    from kiosk.screens.operations import NAMESPACE
    today = clock.local_today()
    if today == _last_day:
        return None
    _last_day = today
    turning = townships_turning(today)
    for township in turning:
        publish("changed", {"reason": "public_day"}, [f"unit:{township.id}"], namespace=NAMESPACE)
    db.session.commit()
    return f"public day: screens of {len(turning)} townships told" if turning else None
