"""The display certificate (公示证明) of a notice: every screen it was meant for and how it showed there.

Reads the screens feature's raw records (DisplayReport, ScreenConnection) and the notice's
window; the arithmetic is in `certificate.py`.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_role
from kiosk.audit.models import AuditEntry
from kiosk.core import clock
from kiosk.core.errors import Conflict, NotFound
from kiosk.disclosures.audience import audience_units
from kiosk.disclosures.feed import Publicity, publicity, publicity_end
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from kiosk.proof.certificate import ScreenHistory, ScreenProof, Showing, Status, find_gaps, prove
from kiosk.proof.intervals import Interval
from kiosk.screens.models import DisplayReport, Screen, ScreenKind
from kiosk.screens.hours import on_intervals_for
from kiosk.screens.uptime import heard_spans

CERTIFICATE_ROLES = (Role.reviewer, Role.editor, Role.administrator, Role.screen_manager)
# Touch kiosks show a notice when a visitor opens it, not in a rotation: nothing to prove there.
ROTATING_KINDS = (ScreenKind.noticeboard_portrait, ScreenKind.noticeboard_landscape, ScreenKind.hall_board,
                  ScreenKind.image_board)


@dataclass
class ScreenRow:
    screen: Screen
    proof: ScreenProof


@dataclass
class Certificate:
    notice: Notice
    window: Interval            # the publicity period (or the show window when there is none)
    open_ended: bool            # no end set: shown until withdrawn; evaluated up to now
    generated_at: datetime
    rows: list[ScreenRow]
    publicity: Publicity | None  # with the days left now, by the one rule every page uses

    @property
    def honoured(self) -> int:
        return sum(1 for row in self.rows if row.proof.status == Status.honoured)

    @property
    def short(self) -> list[ScreenRow]:
        """Screens where the period was not honoured (the office may extend it there)."""
        return [row for row in self.rows if row.proof.status not in (Status.honoured, Status.pending)]


def certificate_notice(user: User, notice_id: int) -> Notice:
    ensure_role(user, *CERTIFICATE_ROLES)
    notice = db.session.get(Notice, notice_id)
    if notice is None or not can_act_on(user, notice.unit):
        raise NotFound(_("There is no such notice."))
    return notice


def _withdrawn_at(notice: Notice) -> datetime | None:
    if notice.state != NoticeState.withdrawn:
        return None
    return db.session.scalar(select(AuditEntry.at).where(
        AuditEntry.object_type == Notice.__tablename__, AuditEntry.object_id == str(notice.id),
        AuditEntry.action == "notice.withdraw").order_by(AuditEntry.at.desc()).limit(1))


def notice_window(notice: Notice) -> tuple[Interval, bool]:
    """The period to prove: the publicity period if the notice has one, else its show window;
    cut short by a withdrawal. Open-ended windows are evaluated up to now."""
    if notice.live_from is None or notice.published_version is None:
        raise Conflict(_("This notice was never approved for the screens, so there is no display to prove."))
    end = publicity_end(notice) or notice.live_until
    withdrawn = _withdrawn_at(notice)
    if withdrawn is not None:
        end = min(end, withdrawn) if end else withdrawn
    return (notice.live_from, end or clock.now()), end is None


def target_screens(notice: Notice, window: Interval) -> list[Screen]:
    """The rotating screens of the notice's audience that existed during its window."""
    version = notice.published_version
    unit_ids = [u.id for u in audience_units(notice.unit, version.audience, version.audience_unit_ids)]
    if not unit_ids:
        return []
    screens = db.session.scalars(select(Screen).where(
        Screen.unit_id.in_(unit_ids), Screen.kind.in_(ROTATING_KINDS), Screen.created_at < window[1],
        or_(Screen.revoked_at.is_(None), Screen.revoked_at > window[0])))
    return sorted(screens, key=lambda s: (s.unit.path, s.name))


def _reports_between(screen: Screen, spans: list[Interval], notice_id: int | None = None):
    if not spans:
        return []
    query = select(DisplayReport).where(DisplayReport.screen_id == screen.id, or_(*(
        and_(DisplayReport.started_at < end, DisplayReport.ended_at > start) for start, end in spans)))
    if notice_id is not None:
        query = query.where(DisplayReport.notice_id == notice_id)
    return list(db.session.scalars(query))


def screen_history(screen: Screen, notice: Notice, window: Interval, now: datetime) -> ScreenHistory:
    showings = [Showing(r.started_at, r.ended_at, r.offline)
                for r in _reports_between(screen, [window], notice.id)]
    # Other slides matter only inside the gaps (to tell "running without it" from "off"), and a
    # week of a screen's reports is tens of thousands of rows: load just those.
    gaps = find_gaps(window, [(s.start, s.end) for s in showings])
    activity = [(r.started_at, r.ended_at) for r in _reports_between(screen, gaps)]
    return ScreenHistory(showings=showings, activity=activity, online=heard_spans([screen.id], window[0], window[1], now)[screen.id])


def display_certificate(user: User, notice_id: int) -> Certificate:
    return certificate_of(certificate_notice(user, notice_id))


def certificate_of(notice: Notice) -> Certificate:
    """The certificate of a published notice (rights checked by the caller: the year's report counts them)."""
    window, open_ended = notice_window(notice)
    now = clock.now()
    rows = []
    for screen in target_screens(notice, window):
        screen_window = (window[0], min(window[1], screen.revoked_at) if screen.revoked_at else window[1])
        evaluated = (screen_window[0], min(screen_window[1], now))
        history = screen_history(screen, notice, evaluated, now)
        # Only on-hours count: a screen switched off at night as scheduled has no gap then.
        on_hours = on_intervals_for([screen.id], *screen_window)[screen.id]
        rows.append(ScreenRow(screen, prove(history, screen_window, now, clock.local_zone(), on_hours)))
    return Certificate(notice=notice, window=window, open_ended=open_ended, generated_at=now, rows=rows,
                       publicity=publicity(notice))
