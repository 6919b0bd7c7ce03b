"""The rules of a notice's life. Views and the API call these; they raise kiosk.core.errors."""
import io
import secrets
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_role
from kiosk.audit.operations import audited, record_change, snapshot
from kiosk.core import clock
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.disclosures.audience import audience_units, resolve_villages
from kiosk.disclosures.models import (CONTENT_FIELDS, LIVE_STATES, Attachment, Audience, Category, CheckState,
                                      IndexCounter, Notice, NoticeState, NoticeVersion, PeriodUnit, RevisionState)
from kiosk.disclosures.periods import minimum_end, period_end, period_text
from kiosk.disclosures.render import markdown_to_html
from kiosk.disclosures.schemas import REQUIRED_ON_CREATE, NoticeFields
from kiosk.events import publish
from kiosk.extensions import db
from kiosk.files import CheckedFile, check_upload, discard_on_commit, store, stored_path
from kiosk.org.models import Unit
from kiosk.privacy import redact

EDITOR_ROLES = (Role.editor, Role.administrator)
REVIEWER_ROLES = (Role.reviewer,)
UPLOAD_AREA = "notices"
EVENT = "notice.changed"
_SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"   # no 0/o, 1/l/i: read aloud or typed from paper
MIN_REASON = 4
# Steps a submitted notice takes before the township's reviewer: each f(notice) returns why the
# reviewer cannot take it yet, or None (kiosk/villages: the supervision committee's sign-off).
REVIEW_GATES: list = []


# -- looking up -------------------------------------------------------------------------------

def get_notice(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(_("There is no such notice."))
    return notice


def get_notice_by_slug(slug: str) -> Notice:
    notice = db.session.scalar(select(Notice).where(Notice.slug == slug))
    if notice is None:
        raise NotFound(_("There is no such notice."))
    return notice


def visible_notice(user: User, notice_id: int) -> Notice:
    """A notice the user's unit may see (its own and those of units below it)."""
    notice = get_notice(notice_id)
    if not can_act_on(user, notice.unit):
        raise NotFound(_("There is no such notice."))
    return notice


def category_by_code(code: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.code == code, Category.active.is_(True)))
    if category is None:
        raise InvalidInput(_("There is no category %(code)s.", code=code), details={"field": "category"})
    return category


# -- the working copy -------------------------------------------------------------------------

def _aware(moment: datetime | None) -> datetime | None:
    """Naive times come from forms and mean local time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.local_zone())
    return moment.astimezone(timezone.utc)


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def _apply_fields(user: User, notice: Notice, fields: dict) -> None:
    fields = dict(fields)
    if "unit" in fields and fields["unit"]:
        unit = db.session.scalar(select(Unit).where(Unit.code == fields["unit"]))
        if unit is None:
            raise _field_error("unit", _("There is no unit %(code)s.", code=fields["unit"]))
        ensure_can_act_on(user, unit)
        notice.unit = unit
    if fields.get("category"):
        notice.category = category_by_code(fields["category"])
    for name in ("title", "summary", "body", "doc_number", "formed_on", "audience", "period_length",
                 "period_unit", "pre_disclosure"):
        if name in fields and fields[name] is not None:
            setattr(notice, name, fields[name])
    for name in ("show_from", "show_until", "comment_from", "comment_until"):
        if name in fields:
            setattr(notice, name, _aware(fields[name]))
    if "period_length" in fields and fields["period_length"] is None:
        notice.period_length = notice.period_unit = None
    if "villages" in fields and fields["villages"] is not None:
        notice.audience_unit_ids = [unit.id for unit in resolve_villages(notice.unit, fields["villages"])]
    if "supersedes" in fields:
        notice.supersedes = _superseded_draft(user, notice, fields["supersedes"])
    if "list_item" in fields and fields["list_item"] is not None:
        from kiosk.villages.items import filing_item   # the village disclosure list builds on notices
        notice.list_item = filing_item(notice.unit, fields["list_item"])
    _check_audience(notice)
    _check_schedule(notice)


def _superseded_draft(user: User, notice: Notice, slug: str | None) -> Notice | None:
    if not slug:
        return None
    draft = db.session.scalar(select(Notice).where(Notice.slug == slug))
    if draft is None or not draft.pre_disclosure or not can_act_on(user, draft.unit) or draft.id == notice.id:
        raise _field_error("supersedes", _("Only a pre-disclosure draft of your units can be superseded."))
    return draft


def _check_audience(notice: Notice) -> None:
    if notice.audience == Audience.villages and not notice.audience_unit_ids:
        raise _field_error("villages", _("Choose at least one village."))
    if notice.audience != Audience.villages:
        notice.audience_unit_ids = []
    if notice.audience not in audiences_for(notice.unit):
        if notice.unit.kind.value == "village":
            raise _field_error("audience", _("A village publishes to its own village only."))
        raise _field_error("audience", _("Only a township or its units can publish to a whole township or hall."))


def audiences_for(unit: Unit) -> list[Audience]:
    """Where a unit's notices may show (the edit form offers only these)."""
    if unit.kind.value == "village" or unit.township is None:
        return [Audience.villages, Audience.internal]
    return list(Audience)


def _check_comment_period(notice: Notice) -> None:
    """A draft for comment (预公开) takes comments from `comment_from` (default: when it shows) until
    `comment_until`, and shows at least until then; other notices have no comment period."""
    if not notice.pre_disclosure:
        notice.comment_from = notice.comment_until = None
        return
    if notice.comment_until is None:
        raise _field_error("comment_until", _("A draft for comment needs the end of its comment period."))
    start = notice.comment_from or notice.show_from
    if start and notice.comment_until <= start:
        raise _field_error("comment_until", _("The comment period must end after it starts."))
    if notice.show_until and notice.show_until < notice.comment_until:
        raise _field_error("show_until", _("The draft cannot stop showing before its comment period ends (%(end)s).",
                                           end=clock.to_local(notice.comment_until).strftime("%Y-%m-%d %H:%M")))


def _check_schedule(notice: Notice) -> None:
    if notice.show_from and notice.show_until and notice.show_until <= notice.show_from:
        raise _field_error("show_until", _("The end must be after the start."))
    _check_comment_period(notice)
    if (notice.period_length is None) != (notice.period_unit is None):
        raise _field_error("period_length", _("Give both the length and the unit of the publicity period."))
    category = notice.category
    if category.min_period_length and notice.period_length is None:
        # The category demands a publicity period: its minimum is the default.
        notice.period_length, notice.period_unit = category.min_period_length, category.min_period_unit
    if notice.period_length is None:
        return
    start = notice.show_from or clock.now()
    end = period_end(start, notice.period_length, notice.period_unit)
    required = minimum_end(category, start)
    if required and end < required:
        raise _field_error("period_length", _(
            "%(category)s needs a publicity period of at least %(period)s.", category=category.name,
            period=period_text(category.min_period_length, category.min_period_unit)))
    if notice.show_until and notice.show_until < end:
        raise _field_error("show_until", _(
            "The notice cannot stop showing before its publicity period ends (%(end)s).",
            end=clock.to_local(end).strftime("%Y-%m-%d %H:%M")))


def unit_label(unit: PeriodUnit) -> str:
    return _("working days") if unit == PeriodUnit.working_days else _("days")


def _new_slug() -> str:
    while True:
        slug = "".join(secrets.choice(_SLUG_ALPHABET) for _unused in range(8))
        if db.session.scalar(select(Notice.id).where(Notice.slug == slug)) is None:
            return slug


def ensure_editor(user: User, notice: Notice) -> None:
    ensure_role(user, *EDITOR_ROLES)
    ensure_can_act_on(user, notice.unit)


def _ensure_reviewer(user: User, notice: Notice) -> None:
    ensure_role(user, *REVIEWER_ROLES)
    ensure_can_act_on(user, notice.unit)
    pending = pending_version(notice)
    authors = {notice.created_by_id, *(pending.editor_ids if pending else ()),
               pending.submitted_by_id if pending else None}
    if user.id in authors:
        raise Forbidden(_("You cannot review a notice you wrote, edited or submitted yourself."))
    waiting = review_gate(notice)
    if waiting:
        raise Conflict(waiting, code="not_ready_for_review")


def review_gate(notice: Notice) -> str | None:
    """Why the township's reviewer cannot take the submitted notice yet (None: it is theirs)."""
    return next((reason for reason in (gate(notice) for gate in REVIEW_GATES) if reason), None)


def _note_editor(notice: Notice, user: User) -> None:
    """Remember who changed the working copy since its last approval, whatever roles they hold."""
    if user.id not in (notice.editor_ids or []):
        notice.editor_ids = [*(notice.editor_ids or []), user.id]


def _mark_edited(notice: Notice, user: User) -> None:
    """A change of the text or the attachments: what was submitted is no longer what would be approved."""
    _note_editor(notice, user)
    if notice.state in LIVE_STATES:
        # The public keeps the approved version until this edit is approved.
        notice.revision_state = RevisionState.draft
    elif notice.state in (NoticeState.submitted, NoticeState.returned):
        notice.state = NoticeState.draft


def create_notice(user: User, fields: dict) -> Notice:
    ensure_role(user, *EDITOR_ROLES)
    missing = [name for name in REQUIRED_ON_CREATE if not fields.get(name)]
    if missing:
        labels = [str(NoticeFields.field_labels[name]) for name in missing]
        raise InvalidInput(_("Fill in: %(fields)s.", fields=_(", ").join(labels)), details={
            "field": missing[0], "errors": [{"field": name, "label": label, "message": _("This must be filled in.")}
                                            for name, label in zip(missing, labels)]})
    notice = Notice(slug=_new_slug(), unit=user.unit, created_by=user, state=NoticeState.draft,
                    audience_unit_ids=[], summary="", body="", doc_number="")
    with db.session.no_autoflush:
        _apply_fields(user, notice, fields)
    ensure_can_act_on(user, notice.unit)
    _note_editor(notice, user)
    db.session.add(notice)
    db.session.flush()
    record_change("notice.create", notice)
    return notice


def update_notice(user: User, notice: Notice, fields: dict) -> Notice:
    ensure_editor(user, notice)
    if notice.state in (NoticeState.expired, NoticeState.withdrawn, NoticeState.archived):
        raise Conflict(_("A notice that is %(state)s can no longer be edited.", state=state_label(notice.state)))
    with audited("notice.update", notice):
        with db.session.no_autoflush:
            _apply_fields(user, notice, fields)
        _mark_edited(notice, user)
    return notice


# -- review -----------------------------------------------------------------------------------

def pending_version(notice: Notice) -> NoticeVersion | None:
    """The version waiting for review, if any."""
    if not notice.under_review or not notice.versions:
        return None
    return notice.versions[-1]


TEXT_FIELDS = ("title", "summary", "body", "doc_number")   # every text of a notice the public sees


def shown_together(fields: dict[str, str]) -> list[privacy.Part]:
    """What the public surfaces show one after the other: the catalogue and the screens the title and
    then the summary, the page the summary and then the body as rendered (the document number stands alone)."""
    return [privacy.Part("title", fields["title"], fields["title"]),
            privacy.Part("summary", fields["summary"], fields["summary"]),
            privacy.Part("body", fields["body"], privacy.visible_text(markdown_to_html(fields["body"])))]


def public_contacts(unit: Unit) -> list[str]:
    """The unit's own published numbers and places (its township's channels): they pass the gate."""
    township = unit.township if unit else None
    if township is None:
        return []
    from kiosk.public.models import ContactChannel   # the public side builds on disclosures
    return [text for channel in db.session.scalars(select(ContactChannel).where(ContactChannel.unit_id == township.id))
            for text in (channel.value, channel.note) if text]


def _texts(source) -> dict[str, str]:
    return {field: getattr(source, field) or "" for field in TEXT_FIELDS}


def privacy_findings(notice: Notice, version: NoticeVersion | None = None) -> list[privacy.Finding]:
    """Findings in the notice's texts (the working copy, or a version) as typed and as the public surfaces
    show them, and in every attachment: its name and everything read from the file (pages, metadata,
    annotations, form fields, OCR)."""
    fields = _texts(version or notice)
    findings = privacy.find_on_page(fields, shown_together(fields), public_contacts(notice.unit))
    for attachment in notice.attachments:
        findings += privacy.find_in_text(attachment.display_name, f"attachment_name:{attachment.id}")
        findings += privacy.find_in_pieces(attachment.check_pieces, f"attachment:{attachment.id}")
    return findings


def unchecked_attachments(notice: Notice) -> list[Attachment]:
    """Attachments whose privacy check is still running or failed: the notice waits for them."""
    return [attachment for attachment in notice.attachments if attachment.check_state != CheckState.done]


def _ensure_checked(notice: Notice) -> None:
    unchecked = unchecked_attachments(notice)
    if any(attachment.check_state == CheckState.failed for attachment in unchecked):
        raise Conflict(_("An attachment could not be read for the privacy check. Replace it, or check it again."),
                       code="privacy_check_failed", details={"attachments": [a.id for a in unchecked]})
    if unchecked:
        raise Conflict(_("The attachments are still being checked for personal data (%(count)s). Approve the "
                         "notice when the check has finished.", count=len(unchecked)),
                       code="privacy_check_pending", details={"attachments": [a.id for a in unchecked]})


def submit_notice(user: User, notice: Notice, privacy_note: str = "") -> Notice:
    ensure_editor(user, notice)
    can_submit_new = notice.state in (NoticeState.draft, NoticeState.returned)
    can_submit_revision = notice.state in LIVE_STATES and notice.revision_state in (RevisionState.draft,
                                                                                     RevisionState.returned)
    if not (can_submit_new or can_submit_revision):
        raise Conflict(_("Only a draft or an edited notice can be submitted."))
    findings = privacy_findings(notice)
    if findings and len(privacy_note.strip()) < MIN_REASON:
        raise privacy.findings_conflict(findings, _(
            "The notice contains personal data (%(count)s findings). Mask them, or explain why they may stay.",
            count=len(findings)))
    with audited("notice.submit", notice, reason=privacy_note.strip()):
        _check_schedule(notice)
        version = NoticeVersion(notice=notice, number=len(notice.versions) + 1, submitted_by=user,
                                submitted_at=clock.now())
        for name in CONTENT_FIELDS:
            setattr(version, name, getattr(notice, name))
        version.editor_ids = sorted({*(notice.editor_ids or []), user.id})
        db.session.add(version)
        notice.privacy_note = privacy_note.strip() if findings else ""
        if can_submit_new:
            notice.state = NoticeState.submitted
        else:
            notice.revision_state = RevisionState.submitted
    return notice


def approve_notice(user: User, notice: Notice, override_reason: str = "") -> Notice:
    ensure_role(user, *REVIEWER_ROLES)
    version = pending_version(notice)
    if version is None:
        raise Conflict(_("Only a submitted notice can be approved."))
    _ensure_reviewer(user, notice)
    _ensure_checked(notice)
    findings = privacy_findings(notice, version)
    override_reason = override_reason.strip()
    if findings and len(override_reason) < MIN_REASON:
        raise privacy.findings_conflict(findings, _(
            "The notice still contains personal data (%(count)s findings). It cannot be approved unless you "
            "write why the findings may stay public.", count=len(findings)))
    now = clock.now()
    old_units = live_unit_ids(notice)
    with audited("notice.approve", notice, reason=override_reason if findings else ""):
        version.approved_by, version.approved_at = user, now
        version.privacy_override = override_reason if findings else ""
        version.is_correction = notice.published_version_id is not None
        notice.published_version = version
        if notice.state != NoticeState.showing:
            notice.live_from = max(_aware(version.show_from) or now, now)
        start = notice.live_from
        notice.live_until = _live_until(version, start)
        if version.is_correction:
            notice.corrected_at = now
            notice.revision_state = None
        else:
            notice.index_number = claim_index_number(notice.unit, clock.local_today().year)
            notice.state = NoticeState.approved
        notice.return_reason = ""
        notice.editor_ids = []
    if notice.supersedes is not None:
        _end_superseded_draft(notice.supersedes, now)
    changed = advance(notice, now, extra_unit_ids=old_units)
    if version.is_correction and not changed:
        announce(notice, old_units)
    return notice


def _live_until(version: NoticeVersion, start: datetime) -> datetime | None:
    """The published end: never before the publicity period (counted from the real start) ends."""
    until = _aware(version.show_until)
    if version.period_length:
        required = period_end(start, version.period_length, version.period_unit)
        minimum = minimum_end(version.category, start)
        required = max(required, minimum) if minimum else required
        until = max(until, required) if until else required
    return until


def _end_superseded_draft(draft: Notice, now: datetime) -> None:
    if draft.state in LIVE_STATES:
        units = live_unit_ids(draft)
        with audited("notice.superseded", draft):
            draft.live_until = now
            draft.state = NoticeState.expired
        announce(draft, units)


def return_notice(user: User, notice: Notice, reason: str) -> Notice:
    ensure_role(user, *REVIEWER_ROLES)
    if pending_version(notice) is None:
        raise Conflict(_("Only a submitted notice can be sent back."))
    _ensure_reviewer(user, notice)
    return send_back(notice, reason, "notice.return")


def send_back(notice: Notice, reason: str, action: str) -> Notice:
    """Send the version under review back to its editors with the reason (the reviewer, or a step before)."""
    if len(reason.strip()) < MIN_REASON:
        raise _field_error("reason", _("Write why the notice is sent back."))
    with audited(action, notice, reason=reason.strip()):
        notice.return_reason = reason.strip()
        if notice.state == NoticeState.submitted:
            notice.state = NoticeState.returned
        else:
            notice.revision_state = RevisionState.returned
    return notice


def withdraw_notice(user: User, notice: Notice, reason: str) -> Notice:
    ensure_role(user, *EDITOR_ROLES, *REVIEWER_ROLES)
    ensure_can_act_on(user, notice.unit)
    if notice.state not in (NoticeState.submitted, *LIVE_STATES):
        raise Conflict(_("Only a submitted, approved, scheduled or showing notice can be withdrawn."))
    if len(reason.strip()) < MIN_REASON:
        raise _field_error("reason", _("Write why the notice is withdrawn."))
    units = live_unit_ids(notice)
    with audited("notice.withdraw", notice, reason=reason.strip()):
        notice.state = NoticeState.withdrawn
        notice.revision_state = None
        notice.withdraw_reason = reason.strip()
    announce(notice, units)
    return notice


def archive_notice(user: User, notice: Notice) -> Notice:
    ensure_editor(user, notice)
    if notice.state not in (NoticeState.draft, NoticeState.returned, NoticeState.expired, NoticeState.withdrawn):
        raise Conflict(_("Only a draft, returned, expired or withdrawn notice can be archived."))
    with audited("notice.archive", notice):
        notice.state = NoticeState.archived
    return notice


def mask_findings(user: User, notice: Notice) -> int:
    """Mask every finding in the texts and the attachments' names in one action; returns how many."""
    ensure_editor(user, notice)
    findings = [finding for finding in privacy_findings(notice) if not finding.field.startswith("attachment:")]
    if not findings:
        return 0
    update_notice(user, notice, privacy.mask_page(_texts(notice), shown_together, markdown={"body"},
                                                  public=public_contacts(notice.unit)))
    for attachment in notice.attachments:   # the names the editor gave the files are shown in public too
        masked = privacy.mask_text(attachment.display_name)
        if masked != attachment.display_name:
            before = _audited_fields(attachment)
            attachment.display_name = masked
            record_change("notice.attachment.rename", attachment, before=before, after=_audited_fields(attachment))
    return len(findings)


# -- attachments ------------------------------------------------------------------------------

def add_attachment(user: User, notice: Notice, checked: CheckedFile) -> Attachment:
    ensure_editor(user, notice)
    if notice.state in (NoticeState.expired, NoticeState.withdrawn, NoticeState.archived):
        raise Conflict(_("Attachments can no longer be added to this notice."))
    attachment = Attachment(notice=notice, display_name=checked.display_name, uploaded_by_id=user.id)
    _store_file(attachment, checked)
    _mark_edited(notice, user)
    db.session.add(attachment)
    db.session.flush()
    record_change("notice.attachment.add", attachment, after=_audited_fields(attachment))
    return attachment


def _audited_fields(attachment: Attachment) -> dict:
    # What was read from the file may be personal data: the audit log keeps the file's identity only.
    return {k: v for k, v in snapshot(attachment).items() if k not in ("text_layer", "check_pieces")}


def _store_file(attachment: Attachment, checked: CheckedFile) -> None:
    """Store the file; its public copy is made and read by the `disclosures.checks` job in a
    process of its own (never here: a hostile file must not hold a server), and the notice waits."""
    if attachment.public_name:
        discard_on_commit(attachment.public_name, UPLOAD_AREA)
    attachment.stored_name = store(checked, UPLOAD_AREA)
    attachment.media_type, attachment.size, attachment.sha256 = checked.media_type, checked.size, checked.sha256
    attachment.width, attachment.height = checked.width, checked.height
    attachment.public_name, attachment.text_layer, attachment.check_pieces, attachment.ocr_pages = None, "", [], []
    attachment.check_state, attachment.check_error = CheckState.pending, ""
    attachment.check_claimed_at = attachment.checked_at = None


def redact_image(user: User, attachment: Attachment, boxes: list, max_bytes: int) -> Attachment:
    """Black out boxes of an image attachment (e.g. over a card number the OCR found). The painted
    image replaces the file, the original is deleted once this commits, and the check starts again."""
    notice = attachment.notice
    ensure_editor(user, notice)
    if not attachment.is_image:
        raise InvalidInput(_("Only images can be masked with boxes. Replace a PDF with a masked copy."),
                           details={"field": "boxes"})
    if notice.state in (NoticeState.expired, NoticeState.withdrawn, NoticeState.archived):
        raise Conflict(_("Attachments of this notice can no longer be changed."))
    original = stored_path(attachment.stored_name, UPLOAD_AREA)
    painted = redact.blacken(original.read_bytes(), boxes, attachment.media_type.split("/")[1].upper())
    checked = check_upload(io.BytesIO(painted), attachment.display_name, kinds={attachment.media_type},
                           max_bytes=max_bytes)
    discard_on_commit(attachment.stored_name, UPLOAD_AREA)
    before = _audited_fields(attachment)
    _store_file(attachment, checked)
    _mark_edited(notice, user)
    record_change("notice.attachment.redact", attachment, before=before, after=_audited_fields(attachment),
                  reason=f"{len(boxes)} boxes: {boxes}")
    if notice.state in LIVE_STATES:
        announce(notice, live_unit_ids(notice))
    return attachment


def public_copy(attachment: Attachment):
    """The only bytes of an attachment the public gets: the copy its privacy check made and read."""
    if attachment.check_state != CheckState.done or not attachment.public_name:
        raise NotFound(_("There is no such attachment."))
    return stored_path(attachment.public_name, UPLOAD_AREA)


def remove_attachment(user: User, attachment: Attachment) -> None:
    ensure_editor(user, attachment.notice)
    if attachment.removed_at is not None:
        raise NotFound(_("There is no such attachment."))
    _mark_edited(attachment.notice, user)
    attachment.removed_at = clock.now()
    record_change("notice.attachment.remove", attachment, after={"removed_at": attachment.removed_at.isoformat()})
    db.session.flush()
    db.session.expire(attachment.notice, ["attachments"])
    notice = attachment.notice
    if notice.state in LIVE_STATES:
        announce(notice, live_unit_ids(notice))


# -- index numbers ----------------------------------------------------------------------------

def claim_index_number(unit: Unit, year: int) -> str:
    """The next 索引号 of a unit for a year, claimed with one UPDATE so concurrent approvals never share one."""
    for _attempt in range(3):
        claimed = db.session.execute(
            update(IndexCounter).where(IndexCounter.unit_id == unit.id, IndexCounter.year == year)
            .values(last=IndexCounter.last + 1).returning(IndexCounter.last)).scalar()
        if claimed is not None:
            return f"{unit.code}-{year}-{claimed:05d}"
        try:
            with db.session.begin_nested():
                db.session.add(IndexCounter(unit_id=unit.id, year=year, last=1))
            return f"{unit.code}-{year}-00001"
        except IntegrityError:
            continue   # another approval created the counter first: claim through it
    raise Conflict(_("The index number could not be issued. Try again."))


# -- timed changes and events -----------------------------------------------------------------

def live_unit_ids(notice: Notice) -> list[int]:
    """The units whose screens show the approved version."""
    version = notice.published_version
    if version is None:
        return []
    return [unit.id for unit in audience_units(notice.unit, version.audience, version.audience_unit_ids)]


def announce(notice: Notice, extra_unit_ids=()) -> None:
    unit_ids = sorted(set(live_unit_ids(notice)) | set(extra_unit_ids))
    if unit_ids:
        publish(EVENT, {"notice_id": notice.id, "state": notice.state.value, "unit_ids": unit_ids},
                [f"unit:{unit_id}" for unit_id in unit_ids])


def target_state(notice: Notice, now: datetime) -> NoticeState:
    if notice.live_until is not None and now >= notice.live_until:
        return NoticeState.expired
    if notice.live_from is not None and now >= notice.live_from:
        return NoticeState.showing
    return NoticeState.scheduled


def advance(notice: Notice, now: datetime, extra_unit_ids=()) -> bool:
    """Move an approved notice to where its window says it is now; True if it changed."""
    if notice.state not in LIVE_STATES:
        return False
    target = target_state(notice, now)
    if target == notice.state:
        return False
    with audited(f"notice.{target.value}", notice):
        notice.state = target
        if target == NoticeState.showing and notice.first_shown_at is None:
            notice.first_shown_at = now
    announce(notice, extra_unit_ids)
    return True


def advance_due_notices(now: datetime | None = None) -> int:
    """Start and stop every notice whose time has come. Computed from the rows alone, so a run
    after a restart catches up on everything that fell due meanwhile."""
    now = now or clock.now()
    due = db.session.scalars(select(Notice).where(
        ((Notice.state.in_([NoticeState.approved, NoticeState.scheduled])) & (Notice.live_from <= now))
        | ((Notice.state.in_(LIVE_STATES)) & (Notice.live_until <= now))).order_by(Notice.id))
    return sum(1 for notice in due if advance(notice, now))


def next_notice_change(now: datetime | None = None) -> datetime | None:
    """When the next notice starts or stops after `now`: the advance job wakes up for it."""
    now = now or clock.now()
    starts = select(func.min(Notice.live_from)).where(
        Notice.state.in_([NoticeState.approved, NoticeState.scheduled]), Notice.live_from > now)
    ends = select(func.min(Notice.live_until)).where(Notice.state.in_(LIVE_STATES), Notice.live_until > now)
    return min((moment for moment in (db.session.scalar(starts), db.session.scalar(ends)) if moment), default=None)


def state_label(state: NoticeState) -> str:
    return STATE_LABELS[state]()


STATE_LABELS = {
    NoticeState.draft: lambda: _("draft"),
    NoticeState.submitted: lambda: _("submitted"),
    NoticeState.returned: lambda: _("sent back"),
    NoticeState.approved: lambda: _("approved"),
    NoticeState.scheduled: lambda: _("scheduled"),
    NoticeState.showing: lambda: _("showing"),
    NoticeState.expired: lambda: pgettext("notice state", "expired"),
    NoticeState.withdrawn: lambda: _("withdrawn"),
    NoticeState.archived: lambda: _("archived"),
}


def audience_label(audience: Audience) -> str:
    return {Audience.township: _("The whole township: hall and every village"),
            Audience.villages: _("Chosen villages"), Audience.hall: _("The service hall"),
            Audience.internal: _("Internal: staff only, never on a screen")}[audience]


def revision_label(state: RevisionState) -> str:
    return {RevisionState.draft: _("correction being edited"), RevisionState.submitted: _("correction waiting for review"),
            RevisionState.returned: _("correction sent back")}[state]
