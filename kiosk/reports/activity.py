"""What the township did in a span of days, counted from the data we keep: notices by category and
channel, their timeliness, screens and their display, comments and objections, visits to the public
pages and QR scans, the hall's tickets and ratings, the villages' disclosures. Section 一 of the
annual report is drafted from these numbers and the monthly and quarterly statements show them; all
over any set of units."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from kiosk.core import clock
from kiosk.disclosures.operations import live_unit_ids
from kiosk.disclosures.models import Audience, Category, CategoryGroup, Notice, NoticeVersion
from kiosk.disclosures.timeliness import LIMIT_WORKING_DAYS, working_days_to_show
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.proof.intervals import Interval, intersect, total
from kiosk.proof.operations import ROTATING_KINDS, certificate_of
from kiosk.public.models import Comment, CommentKind, PageVisit, VisitedPage
from kiosk.queue.models import Rating, Ticket, TicketStatus
from kiosk.screens import uptime
from kiosk.screens.models import DisplayReport, Screen
from kiosk.workdays.calendar import add_working_days, working_days_between


def local_span(first: date, last: date) -> Interval:
    """The UTC instants from local midnight of `first` to local midnight after `last`."""
    zone = clock.local_zone()
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def units_below(unit: Unit) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.path.startswith(unit.path)).order_by(Unit.id)))


# -- notices ---------------------------------------------------------------------------------

@dataclass
class NoticeFigures:
    published: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)   # most first
    township_wide: int = 0     # every screen of the township: hall and villages
    hall: int = 0              # the service hall's screens
    villages: int = 0          # chosen villages' screens
    with_documents: int = 0    # with the full document attached (QR to it)
    corrections: int = 0       # 更正 approved in the span
    pre_disclosures: int = 0   # 预公开 drafts for comment
    on_time: int = 0           # shown within 20 working days of being formed (条例 第二十六条)
    late: int = 0
    with_period: int = 0       # under a publicity period (公示期)
    period_honoured: int = 0   # ...whose display certificate shows every screen honoured it
    village_affairs: int = 0   # 村务公开 items


def published_notices(unit_ids: list[int], span: Interval) -> list[Notice]:
    """Public notices of these units that went live in the span."""
    return list(db.session.scalars(
        select(Notice).where(Notice.unit_id.in_(unit_ids), Notice.published_version_id.is_not(None),
                             Notice.live_from >= span[0], Notice.live_from < span[1])
        .options(selectinload(Notice.published_version), selectinload(Notice.attachments))
        .order_by(Notice.live_from)))


def is_on_time(notice: Notice) -> bool | None:
    days = working_days_to_show(notice)
    return None if days is None else days <= LIMIT_WORKING_DAYS


def notice_figures(unit_ids: list[int], span: Interval, certificates: bool = True) -> NoticeFigures:
    figures = NoticeFigures()
    categories = Counter()
    for notice in published_notices(unit_ids, span):
        version = notice.published_version
        if version.audience == Audience.internal:
            continue
        figures.published += 1
        categories[version.category.name] += 1
        figures.township_wide += version.audience == Audience.township
        figures.hall += version.audience == Audience.hall
        figures.villages += version.audience == Audience.villages
        figures.with_documents += bool(notice.attachments)
        figures.pre_disclosures += notice.pre_disclosure
        figures.village_affairs += version.category.group == CategoryGroup.village_affairs
        on_time = is_on_time(notice)
        figures.on_time += on_time is True
        figures.late += on_time is False
        if certificates and version.period_length is not None:
            figures.with_period += 1
            certificate = certificate_of(notice)
            figures.period_honoured += bool(certificate.rows) and certificate.honoured == len(certificate.rows)
    figures.by_category = sorted(categories.items(), key=lambda item: (-item[1], item[0]))
    figures.corrections = len(db.session.scalars(
        select(NoticeVersion.id).join(Notice, NoticeVersion.notice_id == Notice.id).where(
            Notice.unit_id.in_(unit_ids), NoticeVersion.is_correction.is_(True),
            NoticeVersion.approved_at >= span[0], NoticeVersion.approved_at < span[1])).all())
    return figures


# -- screens ---------------------------------------------------------------------------------

@dataclass
class ScreenFigures:
    screen: Screen
    on_hours: float        # its on-hours in the span (up to now): when it should have been showing
    heard_hours: float     # of those, heard from (kiosk/screens/uptime.py, as the display certificate counts)
    shown_hours: float     # showing slides (its display reports, as the display certificate reads them)

    @property
    def uptime_percent(self) -> float | None:
        return round(100 * self.heard_hours / self.on_hours, 1) if self.on_hours else None


def screens_in(unit_ids: list[int], span: Interval) -> list[Screen]:
    return list(db.session.scalars(select(Screen).where(
        Screen.unit_id.in_(unit_ids), Screen.kind.in_(ROTATING_KINDS), Screen.created_at < span[1],
        (Screen.revoked_at.is_(None)) | (Screen.revoked_at > span[0])).order_by(Screen.unit_id, Screen.name)))


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def screen_figures(unit_ids: list[int], span: Interval) -> list[ScreenFigures]:
    """Each rotating screen's on-hours in the span (up to now), the hours of them it was heard from,
    and the hours of them it showed slides (a screen left on at night is not counted twice over)."""
    now = clock.now()
    screens = screens_in(unit_ids, span)
    ids = [screen.id for screen in screens]
    uptimes = uptime.uptime(ids, span[0], span[1], now)
    on = uptime.on_spans(ids, span[0], span[1], now)
    rows = []
    for screen in screens:
        reports = db.session.execute(select(DisplayReport.started_at, DisplayReport.ended_at).where(
            DisplayReport.screen_id == screen.id, DisplayReport.started_at < span[1],
            DisplayReport.ended_at > span[0])).all()
        rows.append(ScreenFigures(screen, _hours(uptimes[screen.id].on), _hours(uptimes[screen.id].heard),
                                  _hours(total(intersect(reports, on[screen.id])))))
    return rows


# -- comments and objections -------------------------------------------------------------------

@dataclass
class CommentFigures:
    comments: int = 0
    objections: int = 0
    answered: int = 0
    answered_public: int = 0
    average_working_days: float | None = None   # from receipt to answer
    longest_working_days: int | None = None


def comment_figures(unit_ids: list[int], span: Interval) -> CommentFigures:
    rows = db.session.scalars(select(Comment).join(Notice, Comment.notice_id == Notice.id).where(
        Notice.unit_id.in_(unit_ids), Comment.created_at >= span[0], Comment.created_at < span[1])).all()
    figures = CommentFigures()
    days = []
    for comment in rows:
        figures.comments += comment.kind == CommentKind.comment
        figures.objections += comment.kind == CommentKind.objection
        if comment.answered_at is not None:
            figures.answered += 1
            figures.answered_public += comment.public
            days.append(working_days_between(clock.to_local(comment.created_at).date(),
                                             clock.to_local(comment.answered_at).date()))
    if days:
        figures.average_working_days = round(sum(days) / len(days), 1)
        figures.longest_working_days = max(days)
    return figures


# -- visits to the public pages (kiosk/public/visits.py) -------------------------------------------

@dataclass
class VisitFigures:
    catalogue: int = 0
    notices: int = 0
    guides: int = 0
    documents: int = 0
    scanned: int = 0      # of the pages' visits, those through a QR code

    @property
    def pages(self) -> int:
        """Visits of the catalogue, notice pages and guides (documents are opened from them)."""
        return self.catalogue + self.notices + self.guides


def visit_figures(unit_ids: list[int], first: date, last: date) -> VisitFigures:
    """The visits of these units' public pages from local day `first` to `last`."""
    rows = db.session.execute(
        select(PageVisit.page, PageVisit.scanned, func.sum(PageVisit.count))
        .where(PageVisit.unit_id.in_(unit_ids), PageVisit.day >= first, PageVisit.day <= last)
        .group_by(PageVisit.page, PageVisit.scanned)).all()
    figures = VisitFigures()
    fields = {VisitedPage.catalogue: "catalogue", VisitedPage.notice: "notices", VisitedPage.guide: "guides",
              VisitedPage.document: "documents"}
    for page, scanned, count in rows:
        setattr(figures, fields[page], getattr(figures, fields[page]) + count)
        figures.scanned += count if scanned and page != VisitedPage.document else 0
    return figures


# -- the hall ----------------------------------------------------------------------------------

@dataclass
class HallFigures:
    issued: int = 0
    served: int = 0
    average_wait_minutes: float | None = None
    ratings: int = 0
    satisfied: int = 0        # 非常满意, 满意 and 基本满意
    bad: int = 0              # 不满意 and 非常不满意 (差评)
    followed_up: int = 0      # bad ratings whose follow-up is closed
    followed_up_in_time: int = 0
    follow_up_open_overdue: int = 0
    follow_up_days: int = 0


def halls_in(unit_ids: list[int]) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids), Unit.kind == UnitKind.hall)
                                   .order_by(Unit.id)))


def follow_up_due(rating: Rating, days: int) -> date:
    """The last working day to close a bad rating's follow-up: `days` working days after the rating."""
    return add_working_days(clock.to_local(rating.at).date() + timedelta(days=1), days)


def hall_figures(unit_ids: list[int], first: date, last: date, follow_up_days: int) -> HallFigures:
    hall_ids = [hall.id for hall in halls_in(unit_ids)]
    figures = HallFigures(follow_up_days=follow_up_days)
    tickets = db.session.scalars(select(Ticket).where(Ticket.hall_id.in_(hall_ids), Ticket.day >= first,
                                                      Ticket.day <= last)).all()
    waits = [(t.called_at - t.queued_at).total_seconds() for t in tickets if t.called_at]
    figures.issued = len(tickets)
    figures.served = sum(1 for t in tickets if t.status == TicketStatus.done)
    figures.average_wait_minutes = round(sum(waits) / len(waits) / 60, 1) if waits else None
    span = local_span(first, last)
    ratings = db.session.scalars(select(Rating).where(Rating.hall_id.in_(hall_ids), Rating.at >= span[0],
                                                      Rating.at < span[1])
                                 .options(selectinload(Rating.follow_up))).all()
    today = clock.local_today()
    for rating in ratings:
        figures.ratings += 1
        if rating.level >= 3:
            figures.satisfied += 1
            continue
        figures.bad += 1
        due = follow_up_due(rating, follow_up_days)
        closed = rating.follow_up.closed_at if rating.follow_up else None
        if closed is not None:
            figures.followed_up += 1
            figures.followed_up_in_time += clock.to_local(closed).date() <= due
        elif today > due:
            figures.follow_up_open_overdue += 1
    return figures


# -- villages ----------------------------------------------------------------------------------

@dataclass
class VillageFigures:
    villages: int = 0
    disclosed: int = 0            # villages with village affairs shown in the span
    items: int = 0                # village-affairs notices shown in the span
    finances: int = 0             # of them, finances


def village_figures(unit_ids: list[int], span: Interval) -> VillageFigures:
    villages = db.session.scalars(select(Unit.id).where(Unit.id.in_(unit_ids), Unit.kind == UnitKind.village)).all()
    notices = db.session.scalars(select(Notice).join(Notice.category).where(
        Notice.unit_id.in_(unit_ids), Category.group == CategoryGroup.village_affairs,
        Notice.first_shown_at >= span[0], Notice.first_shown_at < span[1])).all()
    reached = {unit_id for notice in notices for unit_id in {notice.unit_id, *live_unit_ids(notice)}}
    return VillageFigures(villages=len(villages), disclosed=len(reached & set(villages)), items=len(notices),
                          finances=sum(1 for n in notices if n.category.code == "village_finances"))
