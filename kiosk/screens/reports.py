"""Proof of display, the screen's side: the player reports each slide it showed, from when to when.

Players batch reports, keep them while offline and send them again until acknowledged, so the
same report may arrive twice: (screen, slide, start) identifies it and repeats are ignored.
"""
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.disclosures.models import Notice
from kiosk.screens.models import DisplayReport, Screen, UrgentNotice

MAX_BATCH = 500
# A player's clock may run a little ahead; reports further in the future are wrong.
CLOCK_TOLERANCE = timedelta(minutes=5)
MAX_SLIDE_TIME = timedelta(hours=24)
# Milliseconds since the epoch from 2000-01-01 to 2999-12-31: anything else is no player's clock.
EARLIEST_MS, LATEST_MS = 946_684_800_000, 32_503_680_000_000


class ReportIn(BaseModel):
    key: str = Field(min_length=1, max_length=80)
    kind: str = Field(min_length=1, max_length=20)
    notice_id: int | None = Field(None, ge=1, le=2**63 - 1)
    urgent_id: int | None = Field(None, ge=1, le=2**63 - 1)
    start: int = Field(ge=EARLIEST_MS, le=LATEST_MS, description="ms since the epoch")
    end: int = Field(ge=EARLIEST_MS, le=LATEST_MS)
    offline: bool = False


class ReportBatch(BaseModel):
    reports: list[ReportIn] = Field(max_length=MAX_BATCH)


def _moment(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds // 1000, tz=timezone.utc) + timedelta(milliseconds=milliseconds % 1000)


def _refuse_unknown(model, ids: set[int]) -> None:
    known = set(db.session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()
    if ids - known:
        raise InvalidInput(_("A display report names a notice that does not exist."))


def record_reports(screen: Screen, payload) -> int:
    """Store a batch; returns how many were new. Rejects the batch if any entry is impossible."""
    try:
        batch = ReportBatch.model_validate(payload)
    except ValidationError as error:
        raise InvalidInput(_("The display reports are malformed: %(error)s", error=error.errors()[0]["msg"]))
    latest = clock.now() + CLOCK_TOLERANCE
    rows = []
    for report in batch.reports:
        start, end = _moment(report.start), _moment(report.end)
        if end < start or end - start > MAX_SLIDE_TIME or end > latest:
            raise InvalidInput(_("A display report has an impossible time span."))
        rows.append((report, start, end))
    if not rows:
        return 0
    _refuse_unknown(Notice, {report.notice_id for report, _s, _e in rows} - {None})
    _refuse_unknown(UrgentNotice, {report.urgent_id for report, _s, _e in rows} - {None})
    known = set(db.session.execute(select(DisplayReport.slide_key, DisplayReport.started_at).where(
        DisplayReport.screen_id == screen.id, DisplayReport.started_at.in_([start for _r, start, _e in rows]))).all())
    added = 0
    for report, start, end in rows:
        if (report.key, start) in known:
            continue
        known.add((report.key, start))
        db.session.add(DisplayReport(screen_id=screen.id, slide_key=report.key, slide_kind=report.kind,
                                     notice_id=report.notice_id, urgent_id=report.urgent_id, started_at=start,
                                     ended_at=end, offline=report.offline))
        added += 1
    return added
