"""The two settings the reports need: the county's due date for its townships' annual reports, and
each township's deadline for following up a bad rating (local rules: 5, 7 or 15 working days)."""
from datetime import date

from flask_babel import gettext as _

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import ensure_can_act_on, ensure_role
from kiosk.audit.operations import record_change
from kiosk.core.errors import InvalidInput
from kiosk.core.settings import get_setting, set_setting
from kiosk.org.models import Unit, UnitKind

DEFAULT_DUE = (1, 31)           # 条例 第四十九条: departments report by 1月31日; the county sets its own
FOLLOW_UP_CHOICES = (5, 7, 15)
DEFAULT_FOLLOW_UP_DAYS = 5


def _county(unit: Unit) -> Unit:
    while unit.parent is not None:
        unit = unit.parent
    return unit


def due_date(unit: Unit, year: int) -> date:
    """The day the county wants its townships' reports for `year` by (in the following year)."""
    text = get_setting(f"reports.due.{_county(unit).id}")
    month, day = (int(part) for part in text.split("-")) if text else DEFAULT_DUE
    return date(year + 1, month, day)


def set_due_date(user: User, county: Unit, month: int, day: int) -> None:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, county)
    try:
        date(2001, month, day)
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose a real day of the year for the reports to be due."), details={"field": "due"})
    key = f"reports.due.{county.id}"
    before = get_setting(key)
    set_setting(key, f"{month:02d}-{day:02d}")
    record_change("reports.due_date", county, before={"due": before}, after={"due": f"{month:02d}-{day:02d}"})


def follow_up_days(township: Unit) -> int:
    return int(get_setting(f"reports.follow_up_days.{township.id}") or DEFAULT_FOLLOW_UP_DAYS)


def set_follow_up_days(user: User, township: Unit, days: int) -> None:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, township)
    if township.kind != UnitKind.township or days not in FOLLOW_UP_CHOICES:
        raise InvalidInput(_("A bad rating is followed up within 5, 7 or 15 working days."),
                           details={"field": "follow_up_days"})
    before = follow_up_days(township)
    set_setting(f"reports.follow_up_days.{township.id}", str(days))
    record_change("reports.follow_up_days", township, before={"days": before}, after={"days": days})
