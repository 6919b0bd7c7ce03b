"""The notice API: the lifecycle, attachments, privacy findings, categories and the public feed."""
from datetime import date, datetime
from typing import ClassVar


from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field


from kiosk.accounts.models import Role
from kiosk.api import operation
from kiosk.core.errors import NotFound
from kiosk.disclosures import categories, operations as ops, queries
from kiosk.disclosures.checks import check_again
from kiosk.disclosures.feed import showing_notices
from kiosk.disclosures.models import Attachment, CategoryGroup, NoticeState, PeriodUnit
from kiosk.disclosures.schemas import NoticeCreate, NoticeFields
from kiosk.disclosures.uploads import upload_from_request
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code


class FindingOut(BaseModel):
    kind: str = Field(description="id_number, bank_card, mobile or address")
    field: str = Field(description="title, summary, body, doc_number, attachment_name:<id> or attachment:<id>")
    start: int = Field(description="where it starts in the field's text as typed (or in the piece of the file)")
    end: int
    masked: str
    where: str = Field("", description="inside a file: page 3, metadata Title, page 2 annotation, image ...")
    page: int | None = None
    box: list[int] | None = Field(None, description="left, top, right, bottom of the OCR line in the image")
    rule: str = Field("", description="a masked form showing too much: the masking rule it breaks")


class AttachmentOut(BaseModel):
    id: int
    name: str
    media_type: str
    size: int
    width: int | None
    height: int | None
    url: str
    check_state: str = Field(description="pending, running, done or failed: the notice waits unless done")
    check_error: str


class VersionOut(BaseModel):
    number: int
    title: str
    submitted_at: datetime
    submitted_by: str
    approved_at: datetime | None
    approved_by: str | None
    is_correction: bool
    privacy_override: str


class NoticeOut(BaseModel):
    id: int
    slug: str
    index_number: str | None
    state: NoticeState
    revision_state: str | None
    unit: str
    category: str
    title: str
    summary: str
    body: str
    body_html: str
    doc_number: str
    formed_on: date
    audience: str
    villages: list[str]
    show_from: datetime | None
    show_until: datetime | None
    period_length: int | None
    period_unit: PeriodUnit | None
    pre_disclosure: bool
    supersedes: str | None
    list_item: int = Field(description="the village disclosure list item it is filed under (0: none)")
    waiting_for: str | None = Field(description="why the township's reviewer cannot take it yet (the supervision "
                                    "committee's sign-off), while under review")
    comment_from: datetime | None
    comment_until: datetime | None
    live_from: datetime | None
    live_until: datetime | None
    first_shown_at: datetime | None
    corrected_at: datetime | None
    return_reason: str
    withdraw_reason: str
    privacy_findings: list[FindingOut]
    attachments: list[AttachmentOut]
    versions: list[VersionOut]
    public_url: str


class NoticeList(BaseModel):
    notices: list[NoticeOut]


class NoticeQuery(BaseModel):
    state: NoticeState | None = None
    review: bool = Field(False, description="only notices waiting for your review")
    category: str | None = None
    limit: int = Field(100, ge=1, le=500)


class ReasonBody(BaseModel):
    reason: str = Field("", max_length=2000)


class SubmitBody(BaseModel):
    privacy_note: str = Field("", max_length=2000, description="why findings may stay (else they block)")


class ApproveBody(BaseModel):
    privacy_override: str = Field("", max_length=2000, description="the reviewer's written reason to publish findings")


class PublicNoticesQuery(BaseModel):
    unit: str = Field(..., max_length=40, description="unit code whose screens' notices are wanted")


class CategoryOut(BaseModel):
    code: str
    name: str
    group: CategoryGroup
    colour: str
    icon: str
    freshness_days: int | None
    min_period_length: int | None
    min_period_unit: PeriodUnit | None
    active: bool


class CategoryList(BaseModel):
    categories: list[CategoryOut]


class CategoryBody(BaseModel):
    field_labels: ClassVar[dict] = {
        "code": _l("Code"), "name": _l("Name"), "group": _l("Group"), "colour": _l("Colour"), "icon": _l("Icon"),
        "freshness_days": _l("Stale after"), "min_period_length": _l("Minimum publicity"),
        "min_period_unit": _l("counted in"), "active": _l("Active")}
    code: str = Field(..., pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(..., min_length=1, max_length=60)
    group: CategoryGroup
    colour: str = Field("#b3261e", pattern=r"^#[0-9a-fA-F]{6}$")
    icon: str = Field("notice", pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    freshness_days: int | None = Field(None, ge=1, le=3660)
    min_period_length: int | None = Field(None, ge=1, le=366)
    min_period_unit: PeriodUnit | None = None
    active: bool = True


def notice_out(notice) -> NoticeOut:
    return NoticeOut(**queries.notice_details(notice))


def _mine(notice_id: int):
    return ops.visible_notice(current_user, notice_id)


@operation("/notices", method="POST", operation_id="createNotice", summary="Draft a notice", tag="notices",
           body=NoticeCreate, response=NoticeOut, status=201, roles=ops.EDITOR_ROLES, errors=(400, 403, 404))
def create_notice(body: NoticeCreate):
    notice = ops.create_notice(current_user, body.model_dump(exclude_unset=True))
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>", method="PATCH", operation_id="updateNotice",
           summary="Edit a notice (an approved one goes back to review; the public keeps the approved version)",
           tag="notices", body=NoticeFields, response=NoticeOut, roles=ops.EDITOR_ROLES, errors=(400, 403, 404, 409))
def update_notice(notice_id: int, body: NoticeFields):
    notice = ops.update_notice(current_user, _mine(notice_id), body.model_dump(exclude_unset=True))
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>", method="GET", operation_id="getNotice", summary="Read a notice",
           tag="notices", response=NoticeOut, errors=(404,))
def get_notice(notice_id: int):
    return notice_out(_mine(notice_id))


@operation("/notices", method="GET", operation_id="listNotices", summary="List the notices of your units",
           tag="notices", query=NoticeQuery, response=NoticeList)
def list_notices(query: NoticeQuery):
    notices = queries.notices_visible_to(current_user, state=query.state, review=query.review,
                                         category=query.category, limit=query.limit)
    return NoticeList(notices=[notice_out(notice) for notice in notices])


@operation("/notices/<int:notice_id>/submit", method="POST", operation_id="submitNotice",
           summary="Submit a notice for review (the privacy gate runs first)", tag="notices", body=SubmitBody,
           response=NoticeOut, roles=ops.EDITOR_ROLES, errors=(403, 404, 409))
def submit_notice(notice_id: int, body: SubmitBody):
    notice = ops.submit_notice(current_user, _mine(notice_id), body.privacy_note)
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/approve", method="POST", operation_id="approveNotice",
           summary="Approve the submitted version (not your own; findings need a written override)",
           tag="notices", body=ApproveBody, response=NoticeOut, roles=ops.REVIEWER_ROLES, errors=(403, 404, 409))
def approve_notice(notice_id: int, body: ApproveBody):
    notice = ops.approve_notice(current_user, _mine(notice_id), body.privacy_override)
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/return", method="POST", operation_id="returnNotice",
           summary="Send a submitted notice back with a reason", tag="notices", body=ReasonBody,
           response=NoticeOut, roles=ops.REVIEWER_ROLES, errors=(400, 403, 404, 409))
def return_notice(notice_id: int, body: ReasonBody):
    notice = ops.return_notice(current_user, _mine(notice_id), body.reason)
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/withdraw", method="POST", operation_id="withdrawNotice",
           summary="Take a notice off every screen at once, with a recorded reason", tag="notices",
           body=ReasonBody, response=NoticeOut, errors=(400, 403, 404, 409))
def withdraw_notice(notice_id: int, body: ReasonBody):
    notice = ops.withdraw_notice(current_user, _mine(notice_id), body.reason)
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/archive", method="POST", operation_id="archiveNotice",
           summary="Archive a draft, returned, expired or withdrawn notice", tag="notices", response=NoticeOut,
           roles=ops.EDITOR_ROLES, errors=(403, 404, 409))
def archive_notice(notice_id: int):
    notice = ops.archive_notice(current_user, _mine(notice_id))
    db.session.commit()
    return notice_out(notice)


@operation("/notices/<int:notice_id>/mask", method="POST", operation_id="maskNoticeFindings",
           summary="Mask every privacy finding in the texts of a notice and in its attachments' names",
           tag="notices",
           response=NoticeOut, roles=ops.EDITOR_ROLES, errors=(403, 404, 409))
def mask_notice(notice_id: int):
    notice = _mine(notice_id)
    ops.mask_findings(current_user, notice)
    db.session.commit()
    return notice_out(notice)


class AttachmentUpload(BaseModel):
    file: bytes = Field(description="the document: PDF, PNG, JPEG, GIF or WebP, judged by its content")


@operation("/notices/<int:notice_id>/attachments", method="POST", operation_id="uploadAttachment",
           summary="Attach the full document (multipart field `file`: PDF, PNG, JPEG, GIF or WebP)",
           tag="notices", response=AttachmentOut, status=201, roles=ops.EDITOR_ROLES, errors=(400, 403, 404, 409, 413, 415),
           form=AttachmentUpload)
def upload_attachment(notice_id: int):
    attachment = upload_from_request(current_user, _mine(notice_id))
    db.session.commit()
    return AttachmentOut(**queries.attachment_details(attachment))


@operation("/notices/<int:notice_id>/attachments/<int:attachment_id>", method="DELETE",
           operation_id="removeAttachment", summary="Remove an attachment", tag="notices",
           roles=ops.EDITOR_ROLES, status=204, errors=(403, 404))
def remove_attachment(notice_id: int, attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.notice_id != _mine(notice_id).id:
        raise NotFound(_("There is no such attachment."))
    ops.remove_attachment(current_user, attachment)
    db.session.commit()
    return "", 204


class RedactBody(BaseModel):
    boxes: list[list[int]] = Field(..., min_length=1, max_length=50,
                                   description="boxes to black out, each [left, top, right, bottom] in image pixels")


def _attachment_of(notice_id: int, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.removed_at or attachment.notice_id != _mine(notice_id).id:
        raise NotFound(_("There is no such attachment."))
    return attachment


@operation("/notices/<int:notice_id>/attachments/<int:attachment_id>/redact", method="POST",
           operation_id="redactAttachment", summary="Black out boxes of an image attachment; it is checked again",
           tag="notices", body=RedactBody, response=AttachmentOut, roles=ops.EDITOR_ROLES,
           errors=(400, 403, 404, 409, 413, 415))
def redact_attachment(notice_id: int, attachment_id: int, body: RedactBody):
    attachment = ops.redact_image(current_user, _attachment_of(notice_id, attachment_id), body.boxes,
                                  current_app.config["KIOSK_ATTACHMENT_MAX_MB"] * 1024 * 1024)
    db.session.commit()
    return AttachmentOut(**queries.attachment_details(attachment))


@operation("/notices/<int:notice_id>/attachments/<int:attachment_id>/check", method="POST",
           operation_id="checkAttachmentAgain", summary="Queue a failed privacy check of an attachment again",
           tag="notices", response=AttachmentOut, roles=ops.EDITOR_ROLES, errors=(403, 404))
def check_attachment_again(notice_id: int, attachment_id: int):
    attachment = _attachment_of(notice_id, attachment_id)
    ops.ensure_editor(current_user, attachment.notice)
    check_again(attachment)
    db.session.commit()
    return AttachmentOut(**queries.attachment_details(attachment))


@operation("/public/notices", method="GET", operation_id="listPublicNotices",
           summary="The notices now showing on a unit's screens (no login)", tag="public",
           query=PublicNoticesQuery, public=True, errors=(404,))
def list_public_notices(query: PublicNoticesQuery):
    return {"notices": showing_notices(get_unit_by_code(query.unit))}


@operation("/categories", method="GET", operation_id="listCategories", summary="Notice categories",
           tag="notices", response=CategoryList)
def list_categories():
    return CategoryList(categories=[CategoryOut.model_validate(c, from_attributes=True)
                                    for c in categories.all_categories(include_inactive=True)])


@operation("/categories", method="POST", operation_id="saveCategory",
           summary="Add or change a category (administrators)", tag="notices", body=CategoryBody,
           response=CategoryOut, roles=(Role.administrator,), errors=(400, 403))
def save_category(body: CategoryBody):
    category = categories.save_category(current_user, body.model_dump())
    db.session.commit()
    return CategoryOut.model_validate(category, from_attributes=True)


