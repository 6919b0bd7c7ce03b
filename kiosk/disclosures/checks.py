"""The background half of an attachment's privacy check: OCR of images and of scanned PDF pages.

The state lives in the attachment's row, so it works with one scheduler and several server
processes: the `disclosures.checks` job (or `kiosk checks run`) claims one pending attachment
with a conditional UPDATE, reads it, and writes the result only if the file is still the one it
claimed (an editor may have replaced or masked it meanwhile). A claim older than STALE_AFTER
(a process killed mid-OCR) is taken over."""
import logging
import time
from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from kiosk.core import clock
from kiosk.disclosures.models import LIVE_STATES, Attachment, CheckState
from kiosk.disclosures.operations import UPLOAD_AREA, announce, live_unit_ids
from kiosk.extensions import db
from kiosk.files import stored_path
from kiosk.privacy.files import read_by_ocr

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)


def _claimable(now):
    return and_(Attachment.removed_at.is_(None), or_(
        Attachment.check_state == CheckState.pending,
        and_(Attachment.check_state == CheckState.running, Attachment.check_claimed_at < now - STALE_AFTER)))


def claim_next() -> Attachment | None:
    """Claim the oldest waiting check for this process; None if there is none."""
    now = clock.now()
    for attachment_id in db.session.scalars(select(Attachment.id).where(_claimable(now))
                                            .order_by(Attachment.id).limit(5)).all():
        claimed = db.session.execute(update(Attachment).where(Attachment.id == attachment_id, _claimable(now))
                                     .values(check_state=CheckState.running, check_claimed_at=now)).rowcount
        db.session.commit()
        if claimed:
            return db.session.get(Attachment, attachment_id)
    return None


def run_check(attachment: Attachment) -> CheckState:
    """OCR the claimed attachment and store what was read (or why it could not be read), in the
    caller's transaction."""
    stored_name = attachment.stored_name
    values = {"check_claimed_at": None, "checked_at": clock.now()}
    try:
        pieces = read_by_ocr(stored_path(stored_name, UPLOAD_AREA), attachment.media_type, attachment.ocr_pages)
        values.update(check_state=CheckState.done, check_error="",
                      check_pieces=[*attachment.check_pieces, *(piece.as_dict() for piece in pieces)])
    except Exception as error:    # noqa: BLE001  any failure to read holds the notice; it never passes it
        log.warning("privacy check of attachment %s failed: %s", attachment.id, error)
        values.update(check_state=CheckState.failed, check_error=f"{type(error).__name__}: {error}"[:500])
    finished = db.session.execute(update(Attachment).where(
        Attachment.id == attachment.id, Attachment.stored_name == stored_name,
        Attachment.check_state == CheckState.running).values(**values)).rowcount
    db.session.expire(attachment)
    if finished and attachment.notice.state in LIVE_STATES:
        announce(attachment.notice, live_unit_ids(attachment.notice))   # screens and pages may show it again
    return values["check_state"] if finished else attachment.check_state


def run_pending_checks(budget_seconds: float | None = None) -> int:
    """Check waiting attachments one by one until none is left (or the time budget is spent)."""
    started, count = time.monotonic(), 0
    while budget_seconds is None or time.monotonic() - started < budget_seconds:
        attachment = claim_next()
        if attachment is None:
            break
        run_check(attachment)
        db.session.commit()
        count += 1
    return count


def check_now(attachment: Attachment) -> CheckState:
    """Check a new attachment in this transaction, without the background job (the demo's story)."""
    if attachment.check_state != CheckState.pending:
        return attachment.check_state
    db.session.flush()
    db.session.execute(update(Attachment).where(Attachment.id == attachment.id)
                       .values(check_state=CheckState.running, check_claimed_at=clock.now()))
    db.session.expire(attachment)
    return run_check(attachment)


def check_again(attachment: Attachment) -> None:
    """A failed check (e.g. OCR models missing) is queued again once the cause is fixed."""
    if attachment.check_state == CheckState.failed:
        attachment.check_state, attachment.check_error = CheckState.pending, ""
