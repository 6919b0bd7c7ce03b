"""Timeliness: days from forming to showing (条例 第二十六条: within 20 working days), village
disclosure cadence (finances monthly, general affairs quarterly), and stale notices."""
import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.disclosures.operations import live_unit_ids
from kiosk.disclosures.models import (DEFAULT_CADENCE_MONTHS, CadenceKind, Category, CategoryGroup,
                                      DisclosureCadence, Notice, NoticeState)
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.workdays.calendar import working_days_between

LIMIT_WORKING_DAYS = 20
FINANCE_CATEGORY = "village_finances"
SHOWN_STATES = (NoticeState.showing, NoticeState.expired, NoticeState.archived)


def working_days_to_show(notice: Notice) -> int | None:
    """Working days from the date formed to the first day on a screen (None until shown)."""
    if notice.first_shown_at is None:
        return None
    return working_days_between(notice.formed_on, clock.to_local(notice.first_shown_at).date())


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass
class CadenceStatus:
    village: Unit
    kind: CadenceKind
    every_months: int
    last_shown: date | None
    due_on: date | None

    @property
    def overdue_days(self) -> int | None:
        """Days past due; None when never disclosed at all."""
        if self.due_on is None:
            return None
        return max(0, (clock.local_today() - self.due_on).days)

    @property
    def overdue(self) -> bool:
        return self.due_on is None or clock.local_today() > self.due_on


def cadence_months(village: Unit) -> dict[CadenceKind, int]:
    months = dict(DEFAULT_CADENCE_MONTHS)
    for row in db.session.scalars(select(DisclosureCadence).where(DisclosureCadence.unit_id == village.id)):
        months[row.kind] = row.every_months
    return months


def _last_shown_dates(scope: Unit) -> dict[tuple[int, CadenceKind], date]:
    """The last day each village had village affairs (and finances) shown to it, whoever published
    them: the village itself, or the township on its behalf."""
    township = scope.township or scope
    notices = db.session.scalars(select(Notice).join(Notice.unit).join(Notice.category).where(
        Notice.state.in_(SHOWN_STATES), Notice.first_shown_at.is_not(None),
        Category.group == CategoryGroup.village_affairs, Unit.path.startswith(township.path)))
    last: dict[tuple[int, CadenceKind], date] = {}
    for notice in notices:
        shown = clock.to_local(notice.first_shown_at).date()
        kinds = [CadenceKind.general] + ([CadenceKind.finances] if notice.category.code == FINANCE_CATEGORY else [])
        for unit_id in set(live_unit_ids(notice)) | {notice.unit_id}:
            for kind in kinds:
                if shown > last.get((unit_id, kind), date.min):
                    last[(unit_id, kind)] = shown
    return last


def cadence_statuses(scope: Unit) -> list[CadenceStatus]:
    villages = db.session.scalars(select(Unit).where(Unit.path.startswith(scope.path),
                                                     Unit.kind == UnitKind.village).order_by(Unit.id))
    last_shown = _last_shown_dates(scope)
    statuses = []
    for village in villages:
        for kind, months in cadence_months(village).items():
            last = last_shown.get((village.id, kind))
            statuses.append(CadenceStatus(village, kind, months, last, add_months(last, months) if last else None))
    return statuses


def overdue_villages(scope: Unit) -> list[CadenceStatus]:
    """Overdue cadences, the never-disclosed first, then the longest overdue."""
    late = [status for status in cadence_statuses(scope) if status.overdue]
    return sorted(late, key=lambda s: (s.overdue_days is not None, -(s.overdue_days or 0), s.village.id))


def set_cadence(village: Unit, kind: CadenceKind, every_months: int) -> DisclosureCadence:
    row = db.session.scalar(select(DisclosureCadence).where(DisclosureCadence.unit_id == village.id,
                                                            DisclosureCadence.kind == kind))
    if row is None:
        row = DisclosureCadence(unit=village, kind=kind, every_months=every_months)
        db.session.add(row)
    row.every_months = every_months
    db.session.flush()
    return row


@dataclass
class StaleNotice:
    notice: Notice
    showing_days: int
    limit_days: int


def stale_notices(user: User, now: datetime | None = None) -> list[StaleNotice]:
    """Notices showing longer than their category's freshness limit (公开内容长期不更新)."""
    now = now or clock.now()
    rows = db.session.scalars(select(Notice).join(Notice.unit).join(Notice.category)
                              .where(Notice.state == NoticeState.showing, Unit.path.startswith(user.unit.path),
                                     Category.freshness_days.is_not(None)))
    stale = []
    for notice in rows:
        shown = notice.first_shown_at or notice.live_from
        limit = notice.category.freshness_days
        if shown and now - shown > timedelta(days=limit):
            stale.append(StaleNotice(notice, (now - shown).days, limit))
    return sorted(stale, key=lambda s: -s.showing_days)


def slow_notices(user: User, limit: int = 200) -> list[tuple[Notice, int]]:
    """Shown notices with the working days they took, slowest first."""
    rows = db.session.scalars(select(Notice).join(Notice.unit).where(
        Unit.path.startswith(user.unit.path), Notice.first_shown_at.is_not(None))
        .order_by(Notice.first_shown_at.desc()).limit(limit))
    measured = [(notice, working_days_to_show(notice)) for notice in rows]
    return sorted(measured, key=lambda pair: -pair[1])
