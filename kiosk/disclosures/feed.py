"""What the screens of a unit show now: JSON-ready notices for the screens and kiosk features."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import exists, select

from kiosk.disclosures.audience import audience_units
from kiosk.core import clock
from kiosk.disclosures.models import Attachment, Audience, CheckState, Notice, NoticeState, NoticeVersion, PeriodUnit
from kiosk.disclosures.periods import days_left, is_last_day, period_end, period_text
from kiosk.disclosures.render import markdown_to_html
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.qr import public_url


def _iso(moment):
    return moment.isoformat() if moment else None


def publicity_end(notice: Notice):
    version = notice.published_version
    if version is None or not version.period_length or notice.live_from is None:
        return None
    return period_end(notice.live_from, version.period_length, version.period_unit)


@dataclass
class CommentPeriod:
    """When a draft for comment (预公开) takes comments: from `start` (not before it shows) until `end`."""
    start: datetime
    end: datetime
    days_left: int          # periods.days_left of `end` in calendar days: 1 on the last day, 0 once closed

    def is_open(self, now: datetime | None = None) -> bool:
        return self.start <= (now or clock.now()) < self.end

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or clock.now()) >= self.end


def comment_period(notice: Notice) -> CommentPeriod | None:
    """The published comment period of a draft for comment; None for other notices and for a draft
    without an end (it takes comments for as long as it shows)."""
    version = notice.published_version
    if version is None or not notice.pre_disclosure or version.comment_until is None or notice.live_from is None:
        return None
    start = max(version.comment_from or notice.live_from, notice.live_from)
    return CommentPeriod(start=start, end=version.comment_until,
                         days_left=days_left(version.comment_until, unit=PeriodUnit.calendar_days))


@dataclass
class Publicity:
    start: datetime
    end: datetime          # the instant it ends: local midnight after the last day
    length: int
    unit: PeriodUnit
    days_left: int

    @property
    def last_day(self) -> date:
        return (clock.to_local(self.end) - timedelta(days=1)).date()

    @property
    def period(self) -> str:
        return period_text(self.length, self.unit)

    @property
    def is_last_day(self) -> bool:
        return is_last_day(self.end)


def publicity(notice: Notice) -> Publicity | None:
    """The published publicity period of a notice with its days left now, for pages and certificates."""
    version = notice.published_version
    end = publicity_end(notice)
    if end is None:
        return None
    return Publicity(start=notice.live_from, end=end, length=version.period_length, unit=version.period_unit,
                     days_left=days_left(end, unit=version.period_unit))


def attachment_url(attachment: Attachment) -> str:
    return url_for("disclosure_files.attachment", slug=attachment.notice.slug, attachment_id=attachment.id,
                   stored_name=attachment.stored_name)


def notice_data(notice: Notice) -> dict:
    """The approved version of a notice as the public and the screens see it.

    Times are ISO 8601 UTC; `publicity_end` is when the publicity period ends (local midnight after
    its last day), counted in `period_unit`, and `days_left` is `periods.days_left` of it; `corrected_at` marks the last 更正.
    A draft for comment (`pre_disclosure`) takes comments from `comment_from` until `comment_until`.
    Titles and summaries are plain text (put them in with textContent); `body_html`
    is already sanitised."""
    version: NoticeVersion = notice.published_version
    category = version.category
    end = publicity_end(notice)
    comments = comment_period(notice)
    return {
        "id": notice.id,
        "slug": notice.slug,
        "index_number": notice.index_number,
        "title": version.title,
        "summary": version.summary,
        "body_html": markdown_to_html(version.body),
        "doc_number": version.doc_number,
        "category": {"code": category.code, "name": category.name, "colour": category.colour,
                     "icon": category.icon, "group": category.group.value},
        "unit": {"id": notice.unit_id, "code": notice.unit.code, "name": notice.unit.name},
        "formed_on": version.formed_on.isoformat(),
        "show_from": _iso(notice.live_from),
        "show_until": _iso(notice.live_until),
        "publicity_end": _iso(end),
        "period_unit": version.period_unit.value if end else None,
        "days_left": days_left(end, unit=version.period_unit),
        "pre_disclosure": notice.pre_disclosure,
        "signed_off": version.sign_off is not None,   # 经村务监督委员会审核 (kiosk/villages)
        "list_item": notice.list_item_id,             # the village disclosure list item it is filed under
        "comment_from": _iso(comments.start) if comments else None,
        "comment_until": _iso(comments.end) if comments else None,
        "corrected_at": _iso(notice.corrected_at),
        "url": public_url(f"n/{notice.slug}"),
        "qr": f"/qr/n/{notice.slug}.png",
        "images": [{"url": attachment_url(a), "width": a.width, "height": a.height}
                   for a in notice.public_attachments if a.is_image],
        "documents": [{"url": attachment_url(a), "name": a.display_name, "media_type": a.media_type,
                       "size": a.size} for a in notice.public_attachments if not a.is_image],
    }


def checks_clear():
    """SQL for Notice.checks_clear, in a query joined to the published version: none of the
    attachments the public sees waits for its privacy check or failed it."""
    return ~exists().where(Attachment.notice_id == Notice.id, Attachment.removed_at.is_(None),
                           Attachment.uploaded_at <= NoticeVersion.approved_at,
                           Attachment.check_state != CheckState.done)


def shows_to(notice: Notice, unit: Unit) -> bool:
    version = notice.published_version
    return unit.id in {u.id for u in audience_units(notice.unit, version.audience, version.audience_unit_ids)}


def showing_in_township(unit: Unit) -> list[Notice]:
    """Public notices showing now from the unit's township (or, outside a township, its own subtree)."""
    scope = unit.township or unit
    return list(db.session.scalars(
        select(Notice).join(Notice.unit).join(NoticeVersion, Notice.published_version_id == NoticeVersion.id)
        .where(Notice.state == NoticeState.showing, NoticeVersion.audience != Audience.internal,
               Unit.path.startswith(scope.path), checks_clear())
        .order_by(Notice.live_from.desc(), Notice.id.desc())))


def showing_notices(unit: Unit) -> list[dict]:
    """The notices now showing on this unit's screens, newest first."""
    return [notice_data(notice) for notice in showing_in_township(unit) if shows_to(notice, unit)]


def is_public(notice: Notice) -> bool:
    """Whether the public may open the notice's page and attachments now."""
    return (notice.published_version is not None and notice.published_version.audience != Audience.internal
            and notice.state in (NoticeState.showing, NoticeState.expired) and notice.checks_clear)


