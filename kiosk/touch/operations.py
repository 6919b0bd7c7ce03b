"""The rules of the touch kiosk: which hall a kiosk serves, what a visitor may browse and search
(the public catalogue's rules, limited to the kiosk's township), document pages as pictures,
service guides staff edit, and the messages visitors leave."""
import re
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, NotFound
from kiosk import privacy
from kiosk.disclosures.feed import notice_data
from kiosk.disclosures.models import Attachment, CategoryGroup, Notice
from kiosk.disclosures.operations import public_copy
from kiosk.extensions import db
from kiosk.files.pages import page_count, page_png
from kiosk.org.models import Unit, UnitKind
from kiosk.public.catalogue import Filters, choices, in_pinyin, search
from kiosk.public.operations import public_notice
from kiosk.queue.models import QueueService
from kiosk.screens.models import Screen, ScreenKind
from kiosk.screens.state import _hall_for
from kiosk.touch.models import KioskMessage, MessageStatus, ServiceGuide

GUIDE_ROLES = (Role.administrator,)
MESSAGE_ROLES = (Role.administrator, Role.reviewer)
# A visitor's message: what it is about (one touch), optional words and a phone for a call back.
TOPICS = {"waiting": _l("Long waiting time"), "attitude": _l("Staff attitude"),
          "materials": _l("Unclear requirements"), "facilities": _l("Hall facilities"),
          "suggestion": _l("A suggestion"), "other": _l("Something else")}
MAX_MESSAGE, MAX_GUIDE_LINES = 500, 4000
_PHONE = re.compile(r"^[0-9]{7,12}$")
# Document pages are drawn this wide: sharp on a 1080-pixel-wide portrait panel.
PAGE_WIDTH = 1080
GUIDE_FIELDS = {"title": 120, "office": 120, "time_limit": 120, "fee": 120, "window": 120, "hours": 200,
                "materials": MAX_GUIDE_LINES, "steps": MAX_GUIDE_LINES}


# -- the kiosk and its hall ---------------------------------------------------------------------

def kiosk_hall(screen: Screen | None) -> Unit | None:
    """The hall a touch-kiosk screen serves: its own unit, or its township's hall."""
    if screen is None or screen.kind != ScreenKind.touch_kiosk:
        return None
    return screen.unit if screen.unit.kind == UnitKind.hall else _hall_for(screen, None)


def villages_of(township: Unit) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == township.id, Unit.kind == UnitKind.village)
                                   .order_by(Unit.id)))


def government_categories() -> list:
    """The categories of 政务公开 showing something now (Art. 20 and 21), in catalogue order."""
    return [c for c in choices()["categories"] if c.group != CategoryGroup.village_affairs]


def quick_words(limit: int = 8) -> list[str]:
    """Words a visitor searches with one touch: the names of the kinds of notice showing now."""
    return [category.name for category in choices()["categories"]][:limit]


# -- browsing and searching: the public catalogue, held to the kiosk's township --------------------

def browse(township: Unit, *, category: str = "", village: str = "", q: str = "") -> list[dict]:
    """Notices showing now, newest first, as the feed gives them (days left from periods.py)."""
    if village:
        found = search(Filters(village=village, category=category, q=q)).notices
        found = [n for n in found if n.unit.township is not None and n.unit.township.id == township.id]
    else:
        found = search(Filters(unit=township.code, category=category, q=q)).notices
        if not q:   # 政务公开: the township's own, not the villages' 村务
            found = [n for n in found if n.published_version.category.group != CategoryGroup.village_affairs]
    return [notice_data(notice) for notice in found]


def readable_notice(township: Unit, notice_id: int) -> dict:
    """A notice of this township the public may read now, with its documents' page counts."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.unit.township is None or notice.unit.township.id != township.id:
        raise NotFound(_("There is no such notice, or it is no longer public."))
    notice = public_notice(notice.slug)
    data = notice_data(notice)
    data["pages"] = [{"attachment": a.id, "name": a.display_name, "count": page_count(_document(a))}
                     for a in notice.public_attachments if a.media_type == "application/pdf"]
    return data


def _document(attachment: Attachment) -> Path:
    return public_copy(attachment)


def document_page_png(township: Unit, attachment_id: int, index: int) -> bytes:
    """Page `index` of a public PDF of this township as a PNG."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.media_type != "application/pdf" or attachment.removed_at is not None:
        raise NotFound(_("No such document."))
    readable_pdf = {a.id for a in public_notice(attachment.notice.slug).public_attachments}
    if attachment.id not in readable_pdf or attachment.notice.unit.township.id != township.id:
        raise NotFound(_("No such document."))
    try:
        return page_png(_document(attachment), index, PAGE_WIDTH)
    except IndexError:
        raise NotFound(_("The document has no such page."))


# -- service guides ------------------------------------------------------------------------------

def guides_of(hall: Unit) -> list[ServiceGuide]:
    return list(db.session.scalars(select(ServiceGuide).where(ServiceGuide.hall_id == hall.id)
                                   .order_by(ServiceGuide.position, ServiceGuide.id)))


def search_guides(hall: Unit, q: str) -> list[int]:
    """The hall's guides holding every word typed, as the catalogue searches notices: in the text,
    or for a word of Latin letters in the pinyin or initials of the title or office (ylbx: 养老保险)."""
    words = Filters(q=q).words

    def holds(guide: ServiceGuide, word: str) -> bool:
        texts = (guide.title, guide.office, guide.materials, guide.steps)
        return (any(word.lower() in (text or "").lower() for text in texts)
                or (word.isascii() and word.isalpha() and in_pinyin(word, guide.title, guide.office)))
    return [guide.id for guide in guides_of(hall) if words and all(holds(guide, word) for word in words)]


def get_guide(guide_id: int) -> ServiceGuide:
    guide = db.session.get(ServiceGuide, guide_id)
    if guide is None:
        raise NotFound(_("There is no such service guide."))
    return guide


def guide_json(guide: ServiceGuide) -> dict:
    service = guide.service if guide.service and guide.service.active else None
    return {"id": guide.id, "title": guide.title, "office": guide.office, "time_limit": guide.time_limit,
            "fee": guide.fee, "window": guide.window, "hours": guide.hours,
            "materials": ServiceGuide.lines(guide.materials), "steps": ServiceGuide.lines(guide.steps),
            "service": {"prefix": service.prefix, "name": service.name} if service else None,
            "qr": f"/qr/service-guides/{guide.id}.svg"}


def _ensure_hall_admin(user: User, hall: Unit) -> None:
    ensure_role(user, *GUIDE_ROLES)
    ensure_can_act_on(user, hall)


def save_guide(user: User, hall: Unit, fields: dict, service_id: int | None,
               guide: ServiceGuide | None = None) -> ServiceGuide:
    """Create or change a guide. Every text is public, so the privacy gate checks it first."""
    _ensure_hall_admin(user, hall)
    values = {name: (fields.get(name) or "").strip() for name in GUIDE_FIELDS}
    if not values["title"]:
        raise InvalidInput(_("Please give the guide a title."), details={"field": "title"})
    for name, limit in GUIDE_FIELDS.items():
        if len(values[name]) > limit:
            raise InvalidInput(_("This text is too long (at most %(count)s characters).", count=limit),
                               details={"field": name})
        if privacy.find_in_text(values[name], name):
            raise InvalidInput(_("This text holds personal data (an ID, bank card or mobile number, or an address); "
                                 "a guide is public, please remove it."), details={"field": name})
    if service_id is not None:
        service = db.session.get(QueueService, service_id)
        if service is None or service.hall_id != hall.id:
            raise InvalidInput(_("Choose a service of this hall."), details={"field": "service"})
    if guide is None:
        guide = ServiceGuide(hall_id=hall.id, service_id=service_id, position=len(guides_of(hall)), **values)
        db.session.add(guide)
        record_change("touch.guide.created", guide)
        return guide
    with audited("touch.guide.updated", guide):
        for name, value in values.items():
            setattr(guide, name, value)
        guide.service_id = service_id
        guide.updated_at = clock.now()
    return guide


def delete_guide(user: User, guide: ServiceGuide) -> None:
    _ensure_hall_admin(user, guide.hall)
    record_change("touch.guide.deleted", guide, after={})
    db.session.delete(guide)


def guide_halls(user: User) -> list[Unit]:
    return [hall for hall in db.session.scalars(select(Unit).where(Unit.kind == UnitKind.hall).order_by(Unit.path))
            if can_act_on(user, hall)]


# -- visitors' messages ----------------------------------------------------------------------------

def leave_message(hall: Unit, topic: str, message: str, phone: str) -> KioskMessage:
    """A message from the kiosk, held for staff. Personal data the visitor typed into the text is
    masked before it is stored (the kiosk is a public device); the phone is kept apart, for staff."""
    if topic not in TOPICS:
        raise InvalidInput(_("Please touch what your message is about."), details={"field": "topic"})
    message, phone = (message or "").strip(), (phone or "").strip()
    if len(message) > MAX_MESSAGE:
        raise InvalidInput(_("Please keep your message under %(count)s characters.", count=MAX_MESSAGE),
                           details={"field": "message"})
    if phone and not _PHONE.match(phone):
        raise InvalidInput(_("A phone number is 7 to 12 digits, or leave it empty."), details={"field": "phone"})
    row = KioskMessage(hall_id=hall.id, topic=topic, message=privacy.mask_text(message), phone=phone,
                       created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def messages_for(user: User, pending_only: bool = True) -> list[KioskMessage]:
    ensure_role(user, *MESSAGE_ROLES)
    query = select(KioskMessage).join(Unit, KioskMessage.hall_id == Unit.id).where(
        Unit.path.startswith(user.unit.path)).order_by(KioskMessage.created_at.desc())
    if pending_only:
        query = query.where(KioskMessage.status == MessageStatus.pending)
    return list(db.session.scalars(query.limit(200)))


def handle_message(user: User, message_id: int, status: MessageStatus, reply: str) -> KioskMessage:
    """Staff close a message: answered (with what they did) or dismissed."""
    ensure_role(user, *MESSAGE_ROLES)
    row = db.session.get(KioskMessage, message_id)
    if row is None or not can_act_on(user, row.hall):
        raise NotFound(_("There is no such message."))
    reply = (reply or "").strip()
    if status == MessageStatus.answered and len(reply) < 2:
        raise InvalidInput(_("Please write down how the message was answered."), details={"field": "reply"})
    with audited("touch.message.handled", row):
        row.status, row.reply, row.handled_at, row.handled_by_id = status, reply[:2000], clock.now(), user.id
    return row
