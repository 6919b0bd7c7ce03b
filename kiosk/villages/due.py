"""What each village owes on its disclosure list, and when: the one rule for due dates.

- monthly: due by `due_day` of the month; quarterly: by `due_day` (the 20th) of the quarter's first
  month. The day is a calendar date; when it is not a working day (a weekend, a holiday in the
  workdays table) the item is due on the next working day.
- public_day: due on each public day (政务公开日) that lists it, a fixed date that is not moved;
  it counts as overdue for GRACE_DAYS after the day.
- after_approval / at_once: each notice filed under the item is a matter of its own, due `due_day`
  calendar days after its date formed (the approval), moved to a working day in the same way.

A notice counts for a village when it is filed under the item, was published (first shown) and
shows to that village (or was published by it); for a periodic item it counts for the period in
which it was first shown. The list binds from the day an item was added to it (`since`): a period
due before then is owed only if something was published for it. A village is reminded REMIND_DAYS before the due date."""
import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core import clock
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.disclosures.operations import live_unit_ids
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.villages.items import list_items
from kiosk.villages.models import Cadence, ListItem, PublicDay
from kiosk.workdays.calendar import add_working_days

REMIND_DAYS = 5
GRACE_DAYS = 30
SHOWN_STATES = (NoticeState.showing, NoticeState.expired, NoticeState.archived)
OPEN_STATES = (NoticeState.draft, NoticeState.submitted, NoticeState.returned, NoticeState.approved,
               NoticeState.scheduled)


def due_on(day: date) -> date:
    """A due date falling on a day off moves to the next working day (the day itself if it works)."""
    return add_working_days(day, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date
    label: str
    key: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, month_calendar.monthrange(year, month)[1])


def public_day_dates(item: ListItem, around: date) -> list[date]:
    """The dates of the public days listing the item, from the year before `around` to the year after."""
    days = db.session.scalars(select(PublicDay).where(PublicDay.township_id == item.township_id))
    found = []
    for public_day in days:
        if item in public_day.items:
            for year in (around.year - 1, around.year, around.year + 1):
                try:
                    found.append(date(year, public_day.month, public_day.day))
                except ValueError:   # 2月29日 outside a leap year
                    continue
    return sorted(found)


def period_for(item: ListItem, today: date) -> Period | None:
    """The period of a periodic item that `today` falls in (None for matters and unlisted public-day items)."""
    if item.cadence == Cadence.monthly:
        due = due_on(date(today.year, today.month, item.due_day))
        return Period(today.replace(day=1), _month_end(today.year, today.month), due,
                      _("%(year)s-%(month)02d", year=today.year, month=today.month), f"{today:%Y-%m}")
    if item.cadence == Cadence.quarterly:
        quarter = (today.month - 1) // 3
        first = 3 * quarter + 1
        due = due_on(date(today.year, first, item.due_day))
        return Period(date(today.year, first, 1), _month_end(today.year, first + 2), due,
                      _("%(year)s Q%(quarter)s", year=today.year, quarter=quarter + 1), f"{today.year}-q{quarter + 1}")
    if item.cadence == Cadence.public_day:
        dates = public_day_dates(item, today)
        upcoming = [day for day in dates if day + timedelta(days=GRACE_DAYS) >= today]
        if not upcoming:
            return None
        day = upcoming[0]
        earlier = [d for d in dates if d < day]
        start = (earlier[-1] if earlier else day - timedelta(days=365)) + timedelta(days=1)
        return Period(start, day + timedelta(days=GRACE_DAYS), day, day.isoformat(), day.isoformat())
    return None


@dataclass
class ItemStatus:
    village: Unit
    item: ListItem
    state: str                     # "done", "due" or "overdue"
    due: date | None
    period: Period | None = None
    notices: list[Notice] = field(default_factory=list)   # what counts (or, for a matter, the one notice)
    today: date | None = None

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def overdue_days(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def key(self) -> str:
        which = self.period.key if self.period else f"n{self.notices[0].id}"
        return f"village-item:{self.village.id}:{self.item.id}:{which}"


def villages_in(scope: Unit) -> list[Unit]:
    if scope.kind == UnitKind.village:
        return [scope]
    return list(db.session.scalars(select(Unit).where(Unit.path.startswith(scope.path), Unit.kind == UnitKind.village)
                                   .order_by(Unit.path)))


def _filed_notices(township: Unit) -> list[Notice]:
    return list(db.session.scalars(select(Notice).join(Notice.unit).where(
        Notice.list_item_id.is_not(None), Unit.path.startswith(township.path)).order_by(Notice.id)))


def _villages_of(notice: Notice) -> set[int]:
    return set(live_unit_ids(notice)) | {notice.unit_id} | set(notice.audience_unit_ids or [])


def _shown_on(notice: Notice) -> date | None:
    if notice.state not in SHOWN_STATES or notice.first_shown_at is None:
        return None
    return clock.to_local(notice.first_shown_at).date()


def statuses(scope: Unit, today: date | None = None) -> list[ItemStatus]:
    """Every item each village in `scope` owes now: the periodic items' current periods, and the
    matters filed under the other items that are open or were published this quarter."""
    today = today or clock.local_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    villages = villages_in(scope)
    by_township: dict[int, list[Unit]] = {}
    for village in villages:
        if village.township is not None:
            by_township.setdefault(village.township.id, []).append(village)
    found = []
    for township_id, members in by_township.items():
        township = db.session.get(Unit, township_id)
        items = list_items(township)
        notices = [(notice, _villages_of(notice)) for notice in _filed_notices(township)]
        periods = {item.id: period_for(item, today) for item in items}
        for village in members:
            for item in items:
                filed = [n for n, shown_to in notices if n.list_item_id == item.id and village.id in shown_to]
                period = periods[item.id]
                if period is not None:
                    counted = [n for n in filed if (shown := _shown_on(n)) and period.start <= shown <= min(period.end, today)]
                    if not counted and period.due < item.since:
                        continue   # due before the list bound the village, and not published: not owed
                    state = "done" if counted else ("overdue" if today > period.due else "due")
                    found.append(ItemStatus(village, item, state, period.due, period, counted, today))
                elif item.cadence in (Cadence.after_approval, Cadence.at_once):
                    for notice in filed:
                        due = due_on(notice.formed_on + timedelta(days=item.due_day))
                        shown = _shown_on(notice)
                        shown = shown if shown is not None and shown <= today else None
                        if shown is not None and shown >= quarter_start:
                            found.append(ItemStatus(village, item, "done", due, None, [notice], today))
                        elif shown is None and notice.state in OPEN_STATES:
                            state = "overdue" if today > due else "due"
                            found.append(ItemStatus(village, item, state, due, None, [notice], today))
    return found


def overdue(scope: Unit, today: date | None = None) -> list[ItemStatus]:
    """The overdue items, longest overdue first."""
    late = [status for status in statuses(scope, today) if status.state == "overdue"]
    return sorted(late, key=lambda s: (-s.overdue_days, s.village.path, s.item.position))


def due_soon(scope: Unit, today: date | None = None) -> list[ItemStatus]:
    """Items not yet done whose due date is within REMIND_DAYS."""
    return [status for status in statuses(scope, today)
            if status.state == "due" and status.days_left is not None and status.days_left <= REMIND_DAYS]
