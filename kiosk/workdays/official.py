"""The State Council's holiday arrangement, from the PyPI package `chinesecalendar` (updated each
year when the notice comes out, usually in November). `refresh()` copies it into the holiday table;
rows staff entered or changed on the holidays page win over it."""
import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.workdays.models import DayKind, DaySource, Holiday

log = logging.getLogger(__name__)

# The package names holidays in English; the table keeps the names the notice uses.
CHINESE_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def official_days() -> dict[date, tuple[DayKind, str]]:
    """Every day the arrangement changes: holidays (weekends inside a break included) and 调休 working days."""
    from chinese_calendar import constants
    days = {day: (DayKind.holiday, CHINESE_NAMES.get(name, name)) for day, name in constants.holidays.items()}
    days.update({day: (DayKind.workday, f"{CHINESE_NAMES.get(name, name)}调休")
                 for day, name in constants.workdays.items()})
    return days


@dataclass
class RefreshResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    kept_staff_edits: int = 0
    years: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        span = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
        return (f"holidays {span}: {self.added} added, {self.changed} changed, {self.removed} removed, "
                f"{self.kept_staff_edits} staff edits kept")


def refresh(days: dict[date, tuple[DayKind, str]] | None = None) -> RefreshResult:
    """Bring the official rows in line with the arrangement, for every year it covers."""
    days = official_days() if days is None else days
    result = RefreshResult(years=sorted({day.year for day in days}))
    if not days:
        return result
    rows = {row.day: row for row in db.session.scalars(select(Holiday).where(
        Holiday.day.between(date(result.years[0], 1, 1), date(result.years[-1], 12, 31))))}
    for day, (kind, name) in sorted(days.items()):
        row = rows.get(day)
        if row is None:
            db.session.add(Holiday(day=day, kind=kind, name=name, source=DaySource.official))
            result.added += 1
        elif row.source == DaySource.staff:
            result.kept_staff_edits += row.kind != kind or row.name != name
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            result.changed += 1
    for day, row in rows.items():
        if row.source == DaySource.official and day not in days and day.year in result.years:
            db.session.delete(row)   # the arrangement was corrected
            result.removed += 1
    db.session.flush()
    return result
