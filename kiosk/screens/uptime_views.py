"""The uptime page of the screens: per screen and per village, per day and for the month, a CSV for
Excel, and a small bar chart drawn here as SVG (no chart library)."""
import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from kiosk.accounts.permissions import staff_page
from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.org.models import Unit
from kiosk.screens import operations as screens
from kiosk.screens.models import Screen
from kiosk.screens.operations import MANAGERS
from kiosk.screens.uptime import NOTHING, Uptime, combined, daily, month_bounds
from kiosk.screens.views import screens_bp

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
GOOD = 0.95   # below this share a day's bar is drawn as a warning


@dataclass
class Row:
    screen: Screen | None
    unit: Unit
    days: dict[date, Uptime]
    month: Uptime


def _month() -> str:
    month = request.args.get("month") or clock.local_now().strftime("%Y-%m")
    if not MONTH.match(month):
        raise InvalidInput(_("Give a month like 2026-11."), details={"field": "month"})
    return month


def uptime_rows(user, month: str) -> tuple[list[date], list[Row], list[Row]]:
    """The month's days, a row per screen the user sees, and a row per place (village) adding its screens."""
    start, end = month_bounds(month)
    visible = [s for s in screens.screens_visible_to(user) if s.created_at < end]
    per_day = daily([s.id for s in visible], start, end)
    days = sorted({day for found in per_day.values() for day in found})
    rows = [Row(s, s.unit, per_day[s.id], combined(per_day[s.id].values())) for s in visible]
    by_unit: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit.id].append(row)
    places = []
    for unit_rows in sorted(by_unit.values(), key=lambda found: found[0].unit.path):
        unit_days = {day: combined(row.days.get(day, NOTHING) for row in unit_rows) for day in days}
        places.append(Row(None, unit_rows[0].unit, unit_days, combined(unit_days.values())))
    return days, rows, places


def percent(value: Uptime) -> str:
    return "" if value.ratio is None else f"{value.ratio * 100:.1f}%"


def chart(days: list[date], values: dict[date, Uptime], width: int = 310, height: int = 80) -> Markup:
    """A bar per day, its height the day's uptime; grey when the screen was not meant to be on."""
    if not days:
        return Markup("")
    slot = width / len(days)
    bars = []
    for index, day in enumerate(days):
        value = values.get(day, NOTHING)
        x = index * slot + 1
        if value.ratio is None:
            bars.append(f'<rect x="{x:.1f}" y="{height - 2}" width="{max(slot - 2, 1):.1f}" height="2" class="none"/>')
            continue
        bar = max(value.ratio * (height - 12), 1)
        kind = "good" if value.ratio >= GOOD else "bad"
        label = escape(f"{day.isoformat()} {percent(value)}")
        bars.append(f'<rect x="{x:.1f}" y="{height - bar:.1f}" width="{max(slot - 2, 1):.1f}" height="{bar:.1f}" '
                    f'class="{kind}"><title>{label}</title></rect>')
    return Markup(f'<svg class="uptime-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'role="img" aria-label="{escape(_("Uptime per day"))}">'
                  f'<line x1="0" y1="12" x2="{width}" y2="12" class="full"/>{"".join(bars)}</svg>')


@screens_bp.get("/uptime")
@staff_page(*MANAGERS)
def uptime_page():
    month = _month()
    days, rows, places = uptime_rows(current_user, month)
    first, _following = month_bounds(month)
    previous = (first.date() - timedelta(days=1)).strftime("%Y-%m")
    return render_template("screens/uptime.html", month=month, previous=previous, days=days, rows=rows,
                           places=places, chart=chart, percent=percent)


@screens_bp.get("/uptime.csv")
@staff_page(*MANAGERS)
def uptime_csv():
    month = _month()
    days, rows, places = uptime_rows(current_user, month)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Place"), _("Screen"), _("Day"), _("On-hours (h)"), _("Heard from (h)"), _("Uptime")])
    for row in places + rows:
        name = row.screen.name if row.screen else _("all screens")
        for day in days:
            value = row.days.get(day, NOTHING)
            writer.writerow([row.unit.name, name, day.isoformat(), f"{value.on.total_seconds() / 3600:.2f}",
                             f"{value.heard.total_seconds() / 3600:.2f}", percent(value)])
        writer.writerow([row.unit.name, name, month, f"{row.month.on.total_seconds() / 3600:.2f}",
                         f"{row.month.heard.total_seconds() / 3600:.2f}", percent(row.month)])
    # A byte-order mark so Excel opens the Chinese names correctly.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="uptime-{month}.csv"'})


def uptime_card():
    """The screens page's card: this month's uptime per place with its chart."""
    month = clock.local_now().strftime("%Y-%m")
    days, _rows, places = uptime_rows(current_user, month)
    return {"month": month, "days": days, "places": places, "chart": chart, "percent": percent}
