"""Public days (政务公开日): fixed dates per township (e.g. 3月1日, when last year's finances and the
budget are shown, and 8月31日) with the list items due on them. Staff see a checklist with a
countdown for COUNTDOWN_DAYS before the day; on the day the screens put the notices filed under
the day's items first under a banner (kiosk/screens/state.py asks `screen_public_days`)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.villages.due import ItemStatus, statuses
from kiosk.villages.models import ListItem, PublicDay

COUNTDOWN_DAYS = 30


def public_days(township: Unit) -> list[PublicDay]:
    return list(db.session.scalars(select(PublicDay).where(PublicDay.township_id == township.id)
                                   .order_by(PublicDay.month, PublicDay.day)))


def get_public_day(public_day_id: int) -> PublicDay:
    found = db.session.get(PublicDay, public_day_id)
    if found is None:
        raise NotFound(_("There is no such public day."))
    return found


def _field(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def save_public_day(user: User, township: Unit, month, day, name: str, item_ids: list[int],
                    public_day: PublicDay | None = None) -> PublicDay:
    """Add or change a township's public day (its administrator)."""
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, township)
    if township.kind != UnitKind.township:
        raise _field("township", _("Public days are kept per township."))
    if public_day is not None and public_day.township_id != township.id:
        raise NotFound(_("There is no such public day."))
    try:
        date(2028, int(month), int(day))      # a leap year: 2月29日 is a date
    except (TypeError, ValueError):
        raise _field("day", _("Give a month and a day that exist, such as 3 and 1.")) from None
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise _field("name", _("Give the public day a name of at most 40 characters."))
    privacy.ensure_clean({_("Name"): name})
    items = list(db.session.scalars(select(ListItem).where(ListItem.id.in_(item_ids or [0]),
                                                           ListItem.township_id == township.id)))
    if len(items) != len(set(item_ids or [])):
        raise _field("items", _("Choose items of the township's list."))
    clash = db.session.scalar(select(PublicDay.id).where(PublicDay.township_id == township.id,
                                                         PublicDay.month == int(month), PublicDay.day == int(day)))
    if clash is not None and (public_day is None or clash != public_day.id):
        raise _field("day", _("The township already has a public day on that date."))
    if public_day is None:
        public_day = PublicDay(township_id=township.id, month=int(month), day=int(day), name=name, items=items)
        db.session.add(public_day)
        db.session.flush()
        record_change("village_public_day.create", public_day, after=_shown(public_day))
        return public_day
    before = _shown(public_day)
    public_day.month, public_day.day, public_day.name, public_day.items = int(month), int(day), name, items
    db.session.flush()
    record_change("village_public_day.update", public_day, before=before, after=_shown(public_day))
    return public_day


def _shown(public_day: PublicDay) -> dict:
    return {"month": public_day.month, "day": public_day.day, "name": public_day.name,
            "items": [item.name for item in public_day.items]}


def delete_public_day(user: User, public_day: PublicDay) -> None:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, db.session.get(Unit, public_day.township_id))
    record_change("village_public_day.delete", public_day, before=_shown(public_day), after={})
    db.session.delete(public_day)
    db.session.flush()


def occurrence(public_day: PublicDay, today: date) -> date | None:
    """The public day's next date on or after `today` (None for 2月29日 until a leap year comes)."""
    for year in range(today.year, today.year + 5):
        try:
            day = date(year, public_day.month, public_day.day)
        except ValueError:
            continue
        if day >= today:
            return day
    return None


@dataclass
class ChecklistRow:
    item: ListItem
    villages: list[ItemStatus]

    @property
    def done(self) -> int:
        return sum(1 for status in self.villages if status.state == "done")


@dataclass
class Checklist:
    township: Unit
    public_day: PublicDay
    day: date
    days_left: int
    rows: list[ChecklistRow]


def checklists(scope: Unit, today: date | None = None, within: int = COUNTDOWN_DAYS) -> list[Checklist]:
    """The public days of the scope's township coming within `within` days (today included), each
    with its items and where every village of the scope stands with them."""
    today = today or clock.local_today()
    township = scope.township if scope.kind != UnitKind.township else scope
    if township is None:
        return []
    found = []
    for public_day in public_days(township):
        day = occurrence(public_day, today)
        if day is None or (day - today).days > within:
            continue
        # Where each village stands with the periods the day falls in, with what was published until now.
        owed = [status for status in statuses(scope, day) if status.item in public_day.items]
        rows = [ChecklistRow(item, [status for status in owed if status.item.id == item.id])
                for item in public_day.items]
        found.append(Checklist(township, public_day, day, (day - today).days, rows))
    return sorted(found, key=lambda checklist: checklist.day)


def screen_public_days(unit: Unit, start: datetime, until: datetime) -> tuple[list[dict], set[int]]:
    """For a screen's state from `start` (a local midnight) to `until`: the banners of the public days
    in that time (name and the instants of the day), and the items due on `start`'s day, whose
    notices the screen puts first."""
    township = unit.township
    if township is None:
        return [], set()
    first_day = clock.to_local(start).date()
    banners, first = [], set()
    for public_day in public_days(township):
        day = occurrence(public_day, first_day)
        if day is None:
            continue
        begins = clock.local_midnight_utc(day)
        if begins >= until:
            continue
        banners.append({"name": public_day.name, "day": day.isoformat(), "from": begins,
                        "until": clock.local_midnight_utc(day + timedelta(days=1))})
        if day == first_day:
            first |= {item.id for item in public_day.items}
    return banners, first
