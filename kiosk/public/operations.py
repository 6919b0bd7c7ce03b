"""The rules of the public side: when a notice takes comments, how staff answer and publish
them, and who edits a township's guide, supervision page and complaint channels."""
import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.disclosures.feed import comment_period, is_public, publicity_end
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.events import publish
from kiosk.events.sockets import STAFF_NAMESPACE, staff_rooms_for
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.public.models import ChannelKind, Comment, CommentKind, ContactChannel, PageKind, PublicPage
from kiosk.villages.questions import questions_open

# Who reads and answers the comments of a notice (within their unit and below).
COMMENT_ROLES = (Role.editor, Role.reviewer, Role.administrator)
COMMENT_EVENT = "comment.created"
MAX_NAME, MAX_PHONE, MAX_MESSAGE, MAX_ANSWER = 40, 20, 1000, 2000
MIN_MESSAGE = 2
CHANNEL_LABELS = {ChannelKind.hotline: _l("Government service hotline"),
                  ChannelKind.discipline: _l("Discipline inspection reporting line"),
                  ChannelKind.supervision: _l("Township supervision phone"),
                  ChannelKind.opinion_box: _l("Opinion box (where it hangs)")}
PAGE_LABELS = {PageKind.guide: _l("Disclosure guide"), PageKind.supervision: _l("Complaints and supervision")}
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


# -- the public notice --------------------------------------------------------------------------

def public_notice(slug: str) -> Notice:
    """A notice the public may open; anything else is simply not there."""
    notice = db.session.scalar(select(Notice).where(Notice.slug == slug))
    if notice is None or not is_public(notice):
        raise NotFound(_("There is no such notice, or it is no longer public."))
    return notice


def comments_open(notice: Notice, now: datetime | None = None) -> bool:
    """Comments are taken while a notice shows within its publicity period; a draft for comment
    (预公开) within its comment period, or, without one, for as long as it shows."""
    if notice.state != NoticeState.showing:
        return False
    period = comment_period(notice)
    if period is not None:
        return period.is_open(now)
    end = publicity_end(notice)
    if end is None:
        return notice.pre_disclosure
    return (now or clock.now()) < end


def open_kinds(notice: Notice) -> list[CommentKind]:
    """What a visitor may send on the notice now: comments and objections during its publicity period,
    questions (质询) on a village notice while it shows."""
    kinds = [CommentKind.objection, CommentKind.comment] if comments_open(notice) else []
    return kinds + [CommentKind.question] if questions_open(notice) else kinds


def create_comment(notice: Notice, kind: CommentKind, message: str, name: str = "", phone: str = "") -> Comment:
    """A visitor's comment, objection or question, held for moderation. No login: the route rate-limits it."""
    if kind not in open_kinds(notice):
        if kind == CommentKind.question:
            raise Conflict(_("Questions are taken on a village's notices while they show."), code="closed")
        period = comment_period(notice)
        if period is not None and period.has_ended():
            raise Conflict(_("The comment period of this draft ended at %(end)s; comments are no longer taken. "
                             "The decision will be published here with how the comments were handled.",
                             end=clock.to_local(period.end).strftime("%Y-%m-%d %H:%M")), code="closed")
        if period is not None:
            raise Conflict(_("The comment period of this draft begins at %(start)s.",
                             start=clock.to_local(period.start).strftime("%Y-%m-%d %H:%M")), code="closed")
        raise Conflict(_("This notice is not under publicity now, so it takes no comments."), code="closed")
    message, name, phone = (message or "").strip(), (name or "").strip(), (phone or "").strip()
    if len(message) < MIN_MESSAGE:
        raise _field_error("message", _("Please write your comment."))
    if len(message) > MAX_MESSAGE:
        raise _field_error("message", _("Please keep your comment under %(count)s characters.", count=MAX_MESSAGE))
    if len(name) > MAX_NAME:
        raise _field_error("name", _("The name is too long."))
    if phone and not _PHONE.match(phone):
        raise _field_error("phone", _("Please give a phone number of digits only, or leave it empty."))
    comment = Comment(notice=notice, version_number=notice.published_version.number, kind=kind, message=message,
                      name=name, phone=phone, created_at=clock.now())
    db.session.add(comment)
    db.session.flush()
    publish(COMMENT_EVENT, {"comment_id": comment.id, "notice_id": notice.id, "kind": kind.value,
                            "title": notice.published_version.title},
            staff_rooms_for(notice.unit), namespace=STAFF_NAMESPACE)
    return comment


def public_comments(notice: Notice) -> list[Comment]:
    """The answered comments staff chose to publish, oldest first."""
    return list(db.session.scalars(select(Comment).where(Comment.notice_id == notice.id, Comment.public.is_(True))
                                   .order_by(Comment.created_at, Comment.id)))


# -- staff: reading and answering ---------------------------------------------------------------

def comments_for(user: User, pending_only: bool = False, notice_id: int | None = None,
                 limit: int = 200) -> list[Comment]:
    """The comments on notices of the user's units, the unanswered first, newest first."""
    ensure_role(user, *COMMENT_ROLES)
    query = (select(Comment).join(Comment.notice).join(Notice.unit)
             .where(Unit.path.startswith(user.unit.path)))
    if pending_only:
        query = query.where(Comment.answered_at.is_(None))
    if notice_id is not None:
        query = query.where(Comment.notice_id == notice_id)
    query = query.order_by(Comment.answered_at.is_not(None), Comment.created_at.desc(), Comment.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def comment_for(user: User, comment_id: int) -> Comment:
    ensure_role(user, *COMMENT_ROLES)
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_act_on(user, comment.notice.unit):
        raise NotFound(_("There is no such comment."))
    return comment


def answer_comment(user: User, comment: Comment, answer: str, public: bool) -> Comment:
    """Answer (or change the answer to) a comment and choose whether question and answer are public."""
    ensure_role(user, *COMMENT_ROLES)
    ensure_can_act_on(user, comment.notice.unit)
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER:
        raise _field_error("answer", _("Please keep the answer under %(count)s characters.", count=MAX_ANSWER))
    if public and not answer:
        raise _field_error("answer", _("Write an answer before making the comment public."))
    with audited("comment.answer", comment):
        if answer != comment.answer:
            comment.answer = answer
            comment.answered_at = clock.now() if answer else None
            comment.answered_by = user if answer else None
        comment.public = public
    return comment


# -- a township's guide, supervision page and channels -----------------------------------------

def townships() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.id)))


def township_by_code(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code, Unit.kind == UnitKind.township))
    if unit is None:
        raise NotFound(_("There is no such township."))
    return unit


def page_body(township: Unit, kind: PageKind) -> str:
    return db.session.scalar(select(PublicPage.body).where(PublicPage.unit_id == township.id,
                                                           PublicPage.kind == kind)) or ""


CHANNEL_ORDER = (ChannelKind.hotline, ChannelKind.discipline, ChannelKind.supervision, ChannelKind.opinion_box)


def channels(township: Unit | None, shown_only: bool = True) -> list[ContactChannel]:
    """The township's channels in a fixed order; the public sees those with a number or place."""
    if township is None:
        return []
    rows = {row.kind: row for row in db.session.scalars(
        select(ContactChannel).where(ContactChannel.unit_id == township.id))}
    ordered = [rows[kind] for kind in CHANNEL_ORDER if kind in rows]
    return [row for row in ordered if row.value] if shown_only else ordered


def _ensure_township_admin(user: User, township: Unit) -> None:
    ensure_role(user, Role.administrator)
    ensure_can_act_on(user, township)


def save_page(user: User, township: Unit, kind: PageKind, body: str) -> PublicPage:
    _ensure_township_admin(user, township)
    body = (body or "").strip()
    if len(body) > 50_000:
        raise _field_error(kind.value, _("The page is too long."))
    privacy.ensure_clean({str(PAGE_LABELS[kind]): body})
    page = db.session.scalar(select(PublicPage).where(PublicPage.unit_id == township.id, PublicPage.kind == kind))
    if page is None:
        page = PublicPage(unit=township, kind=kind, body=body)
        db.session.add(page)
        db.session.flush()
        record_change("public_page.create", page)
        return page
    if page.body != body:
        with audited("public_page.update", page):
            page.body = body
    return page


def save_channel(user: User, township: Unit, kind: ChannelKind, label: str, value: str, note: str) -> ContactChannel:
    _ensure_township_admin(user, township)
    label, value, note = (label or "").strip(), (value or "").strip(), (note or "").strip()
    if not label or len(label) > 60:
        raise _field_error(f"{kind.value}.label", _("Give the channel a name of at most 60 characters."))
    if len(value) > 120 or len(note) > 200:
        raise _field_error(f"{kind.value}.value", _("The number, place or note is too long."))
    if value and kind != ChannelKind.opinion_box and not _PHONE.match(value):
        raise _field_error(f"{kind.value}.value", _("A phone number has digits only (a leading + and dashes are fine)."))
    # The number itself is the public line this channel exists to publish; its name and note are not.
    privacy.ensure_clean({str(CHANNEL_LABELS[kind]): f"{label} {note}"})
    channel = db.session.scalar(select(ContactChannel).where(ContactChannel.unit_id == township.id,
                                                             ContactChannel.kind == kind))
    if channel is None:
        channel = ContactChannel(unit=township, kind=kind, label=label, value=value, note=note)
        db.session.add(channel)
        db.session.flush()
        record_change("contact_channel.create", channel)
        return channel
    if (channel.label, channel.value, channel.note) != (label, value, note):
        with audited("contact_channel.update", channel):
            channel.label, channel.value, channel.note = label, value, note
    return channel
