"""Queue statistics per day, service, window and clerk: issued, served, no-shows, wait and
service times (average and 90th percentile) and ratings."""
import csv
import io
import math
from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.queue.models import Ticket, TicketStatus

BREAKDOWNS = ("day", "service", "window", "clerk")


def stats_range(first: date | None, last: date | None) -> tuple[date, date]:
    """The days to report: the last seven by default, at most a year."""
    last = last or clock.local_today()
    first = first or last - timedelta(days=6)
    if first > last or (last - first).days > 366:
        raise InvalidInput(_("Choose a range of at most a year, the first day before the last."))
    return first, last


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


class _Bucket:
    def __init__(self):
        self.issued = self.served = self.no_shows = 0
        self.waits, self.services, self.ratings = [], [], []

    def add(self, ticket: Ticket) -> None:
        self.issued += 1
        if ticket.status == TicketStatus.done:
            self.served += 1
        if ticket.status == TicketStatus.no_show:
            self.no_shows += 1
        if ticket.called_at:
            self.waits.append((ticket.called_at - ticket.queued_at).total_seconds())
        if ticket.started_at and ticket.finished_at:
            self.services.append((ticket.finished_at - ticket.started_at).total_seconds())
        if ticket.rating:
            self.ratings.append(ticket.rating.level)

    def row(self) -> dict:
        average = lambda values: sum(values) / len(values) if values else None  # noqa: E731
        satisfied = sum(1 for level in self.ratings if level >= 3)
        return {
            "issued": self.issued, "served": self.served, "no_shows": self.no_shows,
            "wait_avg_min": _minutes(average(self.waits)), "wait_p90_min": _minutes(percentile(self.waits, 0.9)),
            "service_avg_min": _minutes(average(self.services)),
            "service_p90_min": _minutes(percentile(self.services, 0.9)),
            "ratings": len(self.ratings),
            "rating_avg": round(average(self.ratings), 2) if self.ratings else None,
            "satisfied_share": round(satisfied / len(self.ratings), 3) if self.ratings else None,
            "bad_ratings": sum(1 for level in self.ratings if level <= 2),
        }


def queue_stats(hall: Unit, first: date, last: date) -> dict:
    """{"total": row, "day": [...], "service": [...], "window": [...], "clerk": [...]}, each row
    with a `key` and a `label`."""
    tickets = db.session.scalars(
        select(Ticket).where(Ticket.hall_id == hall.id, Ticket.day >= first, Ticket.day <= last)
        .options(selectinload(Ticket.rating))).all()
    clerks = {user.id: user.display_name or user.username for user in db.session.scalars(
        select(User).where(User.id.in_({t.clerk_id for t in tickets if t.clerk_id})))}
    total, buckets, labels = _Bucket(), {name: defaultdict(_Bucket) for name in BREAKDOWNS}, {}
    for ticket in tickets:
        total.add(ticket)
        keys = {"day": ticket.day.isoformat(), "service": ticket.service.prefix,
                "window": ticket.window.number if ticket.window else None, "clerk": ticket.clerk_id}
        labels[("day", keys["day"])] = keys["day"]
        labels[("service", keys["service"])] = f"{ticket.service.prefix} {ticket.service.name}"
        labels[("window", keys["window"])] = (_("Window %(number)s", number=keys["window"])
                                              if keys["window"] else _("not called"))
        labels[("clerk", keys["clerk"])] = clerks.get(keys["clerk"], _("not called"))
        for name in BREAKDOWNS:
            buckets[name][keys[name]].add(ticket)
    result = {"first": first.isoformat(), "last": last.isoformat(), "total": total.row()}
    for name in BREAKDOWNS:
        ordered = sorted(buckets[name].items(), key=lambda item: (item[0] is None, str(item[0])))
        result[name] = [{"key": key, "label": labels[(name, key)], **bucket.row()} for key, bucket in ordered]
    return result


CSV_COLUMNS = ("issued", "served", "no_shows", "wait_avg_min", "wait_p90_min", "service_avg_min",
               "service_p90_min", "ratings", "rating_avg", "satisfied_share", "bad_ratings")


def stats_csv(stats: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("breakdown", "key", "label") + CSV_COLUMNS)
    for name in BREAKDOWNS:
        for row in stats[name]:
            writer.writerow((name, row["key"], row["label"]) + tuple(
                "" if row[column] is None else row[column] for column in CSV_COLUMNS))
    writer.writerow(("total", "", "") + tuple("" if stats["total"][c] is None else stats["total"][c]
                                                for c in CSV_COLUMNS))
    # A BOM so that Excel, what the township office opens CSVs with, reads the Chinese correctly.
    return "\ufeff" + buffer.getvalue()
