"""Monthly and quarterly statements for a township: disclosures on time and late per unit, villages
overdue, the screens' online and showing hours, the hall's volume, waiting and service times per
service and window, and 好差评 with the bad ratings' follow-up within the township's deadline.

Screens' hours: there is no uptime function on this branch yet, so a screen's online time is read
from its connections and its showing time from its display reports, as the display certificate
(kiosk/proof) reads them."""
import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from kiosk.core.errors import InvalidInput
from kiosk.villages import due as village_items
from kiosk.org.models import Unit
from kiosk.queue.stats import queue_stats
from kiosk.reports import activity
from kiosk.reports.settings import follow_up_days

PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


@dataclass(frozen=True)
class Period:
    code: str      # "2026-11" or "2026-Q4"
    first: date
    last: date

    @property
    def label(self) -> str:
        year, part = self.code.split("-")
        return f"{year}年第{part[1]}季度" if part.startswith("Q") else f"{year}年{int(part)}月"


def parse_period(code: str) -> Period:
    match = PERIOD.match(code or "")
    if not match:
        raise InvalidInput(_("Give the period as a month (2026-11) or a quarter (2026-Q4)."), details={"field": "period"})
    year = int(match.group(1))
    if not 2008 <= year <= 2100:
        raise InvalidInput(_("Give the period as a month (2026-11) or a quarter (2026-Q4)."), details={"field": "period"})
    if match.group(2):
        month = int(match.group(2))
        first_month = last_month = month
    else:
        first_month = 3 * int(match.group(3)) - 2
        last_month = first_month + 2
    return Period(code, date(year, first_month, 1),
                  date(year, last_month, calendar.monthrange(year, last_month)[1]))


def period_of(day: date, quarter: bool = False) -> Period:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}" if quarter else f"{day.year}-{day.month:02d}")


@dataclass
class UnitTimeliness:
    unit: Unit
    on_time: int
    late: int
    not_shown: int


@dataclass
class Statement:
    township: Unit
    period: Period
    timeliness: list[UnitTimeliness]
    overdue: list                 # villages.due.ItemStatus overdue, as of today
    screens: list[activity.ScreenFigures]
    halls: list[tuple[Unit, dict]]   # queue.stats.queue_stats per hall
    ratings: activity.HallFigures
    visits: activity.VisitFigures


def statement(township: Unit, period: Period) -> Statement:
    units = activity.units_below(township)
    unit_ids = [unit.id for unit in units]
    span = activity.local_span(period.first, period.last)
    per_unit = {unit.id: UnitTimeliness(unit, 0, 0, 0) for unit in units}
    for notice in activity.published_notices(unit_ids, span):
        on_time = activity.is_on_time(notice)
        row = per_unit[notice.unit_id]
        row.on_time += on_time is True
        row.late += on_time is False
        row.not_shown += on_time is None
    timeliness = [row for row in per_unit.values() if row.on_time or row.late or row.not_shown]
    halls = [(hall, queue_stats(hall, period.first, period.last)) for hall in activity.halls_in(unit_ids)]
    return Statement(township, period, timeliness, village_items.overdue(township),
                     activity.screen_figures(unit_ids, span), halls,
                     activity.hall_figures(unit_ids, period.first, period.last, follow_up_days(township)),
                     activity.visit_figures(unit_ids, period.first, period.last))


HALL_COLUMNS = ("issued", "served", "no_shows", "wait_avg_min", "wait_p90_min", "service_avg_min",
                "service_p90_min", "ratings", "rating_avg", "bad_ratings")


def statement_rows(st: Statement) -> list[tuple[str, str, str, object]]:
    """The statement as (part, item, measure, value) rows: the CSV, and what a test reads."""
    rows = []
    for row in st.timeliness:
        rows += [("disclosures", row.unit.name, "on_time", row.on_time), ("disclosures", row.unit.name, "late", row.late),
                 ("disclosures", row.unit.name, "not_shown", row.not_shown)]
    for status in st.overdue:
        rows.append(("villages_overdue", status.village.name, status.item.name, status.overdue_days))
    for screen in st.screens:
        name = f"{screen.screen.unit.name} {screen.screen.name}"
        rows += [("screens", name, "on_hours", screen.on_hours), ("screens", name, "heard_hours", screen.heard_hours),
                 ("screens", name, "uptime_percent", "" if screen.uptime_percent is None else screen.uptime_percent),
                 ("screens", name, "shown_hours", screen.shown_hours)]
    for hall, stats in st.halls:
        for breakdown in ("service", "window"):
            for item in stats[breakdown]:
                rows += [(f"hall_{breakdown}", f"{hall.name} {item['label']}", column,
                          "" if item[column] is None else item[column]) for column in HALL_COLUMNS]
    r = st.ratings
    rows += [("ratings", st.township.name, name, value) for name, value in (
        ("ratings", r.ratings), ("satisfied", r.satisfied), ("bad", r.bad), ("followed_up", r.followed_up),
        ("followed_up_in_time", r.followed_up_in_time), ("open_overdue", r.follow_up_open_overdue),
        ("deadline_working_days", r.follow_up_days))]
    v = st.visits
    rows += [("visits", st.township.name, name, value) for name, value in (
        ("catalogue", v.catalogue), ("notices", v.notices), ("guides", v.guides), ("pages", v.pages),
        ("scanned", v.scanned), ("documents", v.documents))]
    return rows


def statement_csv(st: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("period", "part", "item", "measure", "value"))
    for row in statement_rows(st):
        writer.writerow((st.period.code, *row))
    # A BOM so that Excel, what the township office opens CSVs with, reads the Chinese correctly.
    return "\ufeff" + buffer.getvalue()
