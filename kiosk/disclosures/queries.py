"""Reading notices for staff: lists by state, the review queue, details as plain data, and what a
version under review changes."""
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import or_, select

from kiosk.accounts.models import User
from kiosk.disclosures.feed import attachment_url
from kiosk.disclosures.models import Category, Notice, NoticeState, NoticeVersion, RevisionState
from kiosk.core import clock
from kiosk.disclosures.operations import audience_label, pending_version, privacy_findings, review_gate
from kiosk.disclosures.periods import period_text
from kiosk.disclosures.schemas import NoticeFields
from kiosk.disclosures.render import markdown_to_html
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.qr import public_url


def notices_visible_to(user: User, state: NoticeState | None = None, review: bool = False,
                       category: str | None = None, limit: int = 200) -> list[Notice]:
    query = select(Notice).join(Notice.unit).where(Unit.path.startswith(user.unit.path))
    if state is not None:
        query = query.where(Notice.state == state)
    if review:
        query = query.where(or_(Notice.state == NoticeState.submitted,
                                Notice.revision_state == RevisionState.submitted),
                            Notice.created_by_id != user.id)
    if category:
        query = query.join(Notice.category).where(Category.code == category)
    found = list(db.session.scalars(query.order_by(Notice.updated_at.desc(), Notice.id.desc()).limit(limit)))
    # A notice still at a step before the township's review (the supervision committee) is not in the queue.
    return [notice for notice in found if review_gate(notice) is None] if review else found


def returned_to(user: User) -> list[Notice]:
    """Notices (or edits of published ones) sent back and waiting for this editor to change them."""
    return list(db.session.scalars(
        select(Notice).join(Notice.unit).where(
            Unit.path.startswith(user.unit.path), Notice.created_by_id == user.id,
            or_(Notice.state == NoticeState.returned, Notice.revision_state == RevisionState.returned))
        .order_by(Notice.updated_at.desc(), Notice.id.desc())))


def attachment_details(attachment) -> dict:
    return {"id": attachment.id, "name": attachment.display_name, "media_type": attachment.media_type,
            "size": attachment.size, "width": attachment.width, "height": attachment.height,
            "url": attachment_url(attachment), "check_state": attachment.check_state.value,
            "check_error": attachment.check_error}


def notice_details(notice: Notice) -> dict:
    villages = db.session.scalars(select(Unit.code).where(Unit.id.in_(notice.audience_unit_ids or []))).all()
    return {
        "id": notice.id, "slug": notice.slug, "index_number": notice.index_number, "state": notice.state,
        "revision_state": notice.revision_state.value if notice.revision_state else None,
        "unit": notice.unit.code, "category": notice.category.code, "title": notice.title,
        "summary": notice.summary, "body": notice.body, "body_html": markdown_to_html(notice.body),
        "doc_number": notice.doc_number, "formed_on": notice.formed_on, "audience": notice.audience.value,
        "villages": list(villages), "show_from": notice.show_from, "show_until": notice.show_until,
        "period_length": notice.period_length, "period_unit": notice.period_unit,
        "pre_disclosure": notice.pre_disclosure, "supersedes": notice.supersedes.slug if notice.supersedes else None,
        "list_item": notice.list_item_id or 0, "waiting_for": review_gate(notice) if notice.under_review else None,
        "comment_from": notice.comment_from, "comment_until": notice.comment_until,
        "live_from": notice.live_from, "live_until": notice.live_until, "first_shown_at": notice.first_shown_at,
        "corrected_at": notice.corrected_at, "return_reason": notice.return_reason,
        "withdraw_reason": notice.withdraw_reason,
        "privacy_findings": [finding.public_dict() for finding in privacy_findings(notice)],
        "attachments": [attachment_details(a) for a in notice.attachments],
        "versions": [{"number": v.number, "title": v.title, "submitted_at": v.submitted_at,
                      "submitted_by": v.submitted_by.display_name, "approved_at": v.approved_at,
                      "approved_by": v.approved_by.display_name if v.approved_by else None,
                      "is_correction": v.is_correction, "privacy_override": v.privacy_override}
                     for v in notice.versions],
        "public_url": public_url(f"n/{notice.slug}"),
    }


# Beyond this many characters a field is compared line by line, not character by character.
_CHARACTER_DIFF_LIMIT = 20_000


def _shown(version: NoticeVersion) -> dict[str, str]:
    """A version's fields as the reviewer reads them (names, not codes; local times)."""
    def moment(value):
        return clock.to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""
    villages = db.session.scalars(select(Unit.name).where(Unit.id.in_(version.audience_unit_ids or []))
                                  .order_by(Unit.path)).all()
    return {"category": version.category.name, "title": version.title, "summary": version.summary,
            "body": version.body, "doc_number": version.doc_number, "formed_on": version.formed_on.isoformat(),
            "audience": audience_label(version.audience), "villages": _("、").join(villages),
            "show_from": moment(version.show_from), "show_until": moment(version.show_until),
            "period_length": period_text(version.period_length, version.period_unit) if version.period_length else ""}


def _marked(before: str, after: str) -> tuple[list, list]:
    """Both texts as [(text, changed?)] pieces, so the page can mark what was removed and added."""
    if len(before) + len(after) > _CHARACTER_DIFF_LIMIT:
        a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    else:
        a, b = list(before), list(after)
    left, right = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), tag != "equal"))
    return left, right


def review_changes(notice: Notice) -> dict | None:
    """What the version waiting for review changes against the version before it: the approved
    one for a correction, the one sent back for a resubmission. None for a first submission."""
    after = pending_version(notice)
    earlier = [v for v in notice.versions if after is not None and v.number < after.number]
    if not earlier:
        return None
    before = earlier[-1]
    old, new = _shown(before), _shown(after)
    rows = []
    for name, value in new.items():
        if value != old[name]:
            left, right = _marked(old[name], value)
            rows.append({"field": name, "label": str(NoticeFields.field_labels[name]), "before": left,
                         "after": right})
    return {"before": before, "after": after, "is_correction": before.approved_at is not None, "rows": rows}
