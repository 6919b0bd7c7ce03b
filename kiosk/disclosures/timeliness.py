"""Timeliness: days from forming to showing (条例 第二十六条: within 20 working days) and stale
notices. What each village owes and when (finances monthly, general affairs quarterly) is the
village disclosure list's rule: kiosk/villages/due.py."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.disclosures.models import Category, Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.workdays.calendar import working_days_between

LIMIT_WORKING_DAYS = 20


def working_days_to_show(notice: Notice) -> int | None:
    """Working days from the date formed to the first day on a screen (None until shown)."""
    if notice.first_shown_at is None:
        return None
    return working_days_between(notice.formed_on, clock.to_local(notice.first_shown_at).date())


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
