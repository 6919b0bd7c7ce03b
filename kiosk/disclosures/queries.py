"""Reading notices for staff: lists by state, the review queue, and details as plain data."""
from sqlalchemy import or_, select

from kiosk.accounts.models import User
from kiosk.disclosures.feed import attachment_url
from kiosk.disclosures.models import Category, Notice, NoticeState, RevisionState
from kiosk.disclosures.operations import privacy_findings
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
    return list(db.session.scalars(query.order_by(Notice.updated_at.desc(), Notice.id.desc()).limit(limit)))


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
