"""Administrators keep the holiday table: public holidays and 调休 make-up working days."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.accounts.permissions import ensure_county_administrator
from kiosk.audit.operations import audited, record_change, snapshot
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.workdays.models import DayKind, Holiday


def holidays_in(year: int) -> list[Holiday]:
    return list(db.session.scalars(select(Holiday).where(
        Holiday.day.between(date(year, 1, 1), date(year, 12, 31))).order_by(Holiday.day)))


def set_day(user: User, day: date, kind: DayKind, name: str) -> Holiday:
    """Mark a day as a holiday or a make-up working day (replacing what it was)."""
    ensure_county_administrator(user)
    row = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if row is None:
        row = Holiday(day=day, kind=kind, name=name)
        db.session.add(row)
        db.session.flush()
        record_change("holiday.set", row)
        return row
    with audited("holiday.set", row):
        row.kind, row.name = kind, name
    return row


def clear_day(user: User, day: date) -> None:
    """Make a day ordinary again (a weekday works, a weekend rests)."""
    ensure_county_administrator(user)
    row = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if row is None:
        raise NotFound(_("%(day)s is not in the holiday table.", day=day.isoformat()))
    record_change("holiday.clear", row, before=snapshot(row), after={})
    db.session.delete(row)
    db.session.flush()
