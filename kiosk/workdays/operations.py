"""The holiday table: the official arrangement (kiosk.workdays.official) and administrators' edits,
which win over it: public holidays, 调休 make-up working days, and days made ordinary again."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.accounts.permissions import ensure_county_administrator
from kiosk.audit.operations import audited, record_change, snapshot
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.core import clock
from kiosk.workdays.models import DayKind, DaySource, Holiday
from kiosk.workdays.official import official_days


def holidays_in(year: int) -> list[Holiday]:
    return list(db.session.scalars(select(Holiday).where(
        Holiday.day.between(date(year, 1, 1), date(year, 12, 31))).order_by(Holiday.day)))


def set_day(user: User, day: date, kind: DayKind, name: str) -> Holiday:
    """Mark a day as a holiday or a make-up working day (replacing what it was)."""
    ensure_county_administrator(user)
    row = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if row is None:
        row = Holiday(day=day, kind=kind, name=name, source=DaySource.staff)
        db.session.add(row)
        db.session.flush()
        record_change("holiday.set", row)
        return row
    with audited("holiday.set", row):
        row.kind, row.name, row.source = kind, name, DaySource.staff
    return row


def clear_day(user: User, day: date) -> None:
    """Make a day ordinary again (a weekday works, a weekend rests). A day the official arrangement
    lists keeps an `ordinary` row, so that a refresh does not bring it back; clearing that row
    returns the day to the official arrangement."""
    ensure_county_administrator(user)
    row = db.session.scalar(select(Holiday).where(Holiday.day == day))
    if row is None:
        raise NotFound(_("%(day)s is not in the holiday table.", day=day.isoformat()))
    official = official_days().get(day)
    if official is not None and row.kind != DayKind.ordinary:
        with audited("holiday.clear", row):
            row.kind, row.source = DayKind.ordinary, DaySource.staff
        return
    record_change("holiday.clear", row, before=snapshot(row), after={})
    db.session.delete(row)
    db.session.flush()
    if official is not None:
        kind, name = official
        db.session.add(Holiday(day=day, kind=kind, name=name, source=DaySource.official))
        db.session.flush()


def year_without_holidays(today: date | None = None) -> int | None:
    """From 1 November, next year when the table holds no holiday for it yet (the State Council's
    notice usually comes out in November; until it is in, 元旦 and 春节 would count as working days)."""
    today = today or clock.local_today()
    if today.month < 11:
        return None
    next_year = today.year + 1
    has_any = db.session.scalar(select(Holiday.id).where(
        Holiday.kind == DayKind.holiday, Holiday.day.between(date(next_year, 1, 1), date(next_year, 12, 31))).limit(1))
    return None if has_any else next_year
