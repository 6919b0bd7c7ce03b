"""The background half of an attachment's privacy check: its public copy made and read whole.

The state lives in the attachment's row, so it works with one scheduler and several server
processes: the `disclosures.checks` job (or `kiosk checks run`) claims one pending attachment
with a conditional UPDATE, has it checked in a process of its own with limits on memory, time and
pages (`kiosk.privacy.sandbox`), and writes the result only if the file is still the one it
claimed (an editor may have replaced or masked it meanwhile); removing or replacing the file
stops its check at once. Claims go round the notices (each notice's first waiting file, then each
one's second...), so a notice with many files holds nobody else's. A claim older than STALE_AFTER
(a process killed mid-check) is taken over."""
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import aliased

from kiosk.core import clock
from kiosk.core.errors import NotFound
from kiosk.disclosures.models import LIVE_STATES, Attachment, CheckState
from kiosk.disclosures.operations import UPLOAD_AREA, announce, live_unit_ids
from kiosk.extensions import db
from kiosk.files import discard_on_commit, fresh_path, stored_path
from kiosk.privacy.sandbox import Limits, Outcome, check_file
from kiosk.scheduling import drain

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)


def _claimable(now):
    return and_(Attachment.removed_at.is_(None), or_(
        Attachment.check_state == CheckState.pending,
        and_(Attachment.check_state == CheckState.running, Attachment.check_claimed_at < now - STALE_AFTER)))


def claim_next() -> Attachment | None:
    """Claim a waiting check for this process, going round the notices; None if there is none."""
    now = clock.now()
    # A file's turn within its notice (files being checked count), then notices served longest ago.
    turn = func.row_number().over(partition_by=Attachment.notice_id, order_by=Attachment.id)
    other = aliased(Attachment)
    served = select(func.max(other.checked_at)).where(other.notice_id == Attachment.notice_id).scalar_subquery()
    queue = select(Attachment.id, turn.label("turn"), served.label("served"),
                   _claimable(now).label("claimable")).where(
        Attachment.removed_at.is_(None), Attachment.check_state.in_([CheckState.pending, CheckState.running])).subquery()
    for attachment_id in db.session.scalars(select(queue.c.id).where(queue.c.claimable).order_by(
            queue.c.turn, queue.c.served.is_not(None), queue.c.served, queue.c.id).limit(5)).all():
        claimed = db.session.execute(update(Attachment).where(Attachment.id == attachment_id, _claimable(now))
                                     .values(check_state=CheckState.running, check_claimed_at=now)).rowcount
        db.session.commit()
        if claimed:
            return db.session.get(Attachment, attachment_id)
    return None


def limits() -> Limits:
    config = current_app.config
    return Limits(config["KIOSK_CHECK_MEMORY_MB"], config["KIOSK_CHECK_SECONDS"], config["KIOSK_CHECK_MAX_PAGES"])


def failure_reason(outcome: Outcome, limit: Limits) -> str:
    """Why a file failed its check, in words the clerk who uploaded it can act on."""
    return {
        "pages": _("The file has %(pages)s pages or frames; at most %(limit)s can be checked. Split it into "
                   "smaller files.", pages=outcome.pages, limit=limit.pages),
        "time": _("Reading the file took longer than %(seconds)s seconds. Split it into smaller files, or "
                  "upload a simpler copy (print it to PDF again).", seconds=limit.seconds),
        "memory": _("Reading the file needed more than %(memory)s MB of memory: it may be damaged or built to "
                    "overload the checker. Upload a fresh copy (print it to PDF again).", memory=limit.memory_mb),
        "unreadable": _("The file could not be read: it may be damaged. Upload a fresh copy."),
    }[outcome.failure]


def run_check(attachment: Attachment) -> CheckState:
    """Make and read the claimed attachment's public copy in a limited process of its own, and store
    what was read (or why it could not be), in the caller's transaction."""
    attachment_id, stored_name, media_type = attachment.id, attachment.stored_name, attachment.media_type
    old_copy = attachment.public_name
    db.session.commit()    # no transaction held open while the child works
    public_copy = fresh_path(stored_name.rsplit(".", 1)[1], UPLOAD_AREA)

    def still_wanted() -> bool:
        with db.engine.connect() as connection:
            return connection.execute(select(Attachment.id).where(
                Attachment.id == attachment_id, Attachment.removed_at.is_(None),
                Attachment.stored_name == stored_name, Attachment.check_state == CheckState.running)).first() is not None

    limit = limits()
    try:
        source = stored_path(stored_name, UPLOAD_AREA)
    except NotFound:     # the file is gone: the check fails, the notice stays held
        outcome = Outcome("unreadable")
    else:
        outcome = check_file(source, media_type, public_copy, limit, cancelled=lambda: not still_wanted())
    if outcome.failure == "cancelled":
        return db.session.get(Attachment, attachment_id).check_state
    values = {"check_claimed_at": None, "checked_at": clock.now()}
    if outcome.failure:
        log.warning("privacy check of attachment %s failed: %s", attachment_id, outcome.failure)
        values.update(check_state=CheckState.failed, check_error=failure_reason(outcome, limit), public_name=None)
    else:
        values.update(check_state=CheckState.done, check_error="", check_pieces=outcome.pieces,
                      public_name=public_copy.name, ocr_pages=list(range(1, outcome.pages + 1)),
                      text_layer="\n".join(p["text"] for p in outcome.pieces
                                           if p["source"] == "text" and p["where"].startswith("page")))
    finished = db.session.execute(update(Attachment).where(
        Attachment.id == attachment_id, Attachment.stored_name == stored_name,
        Attachment.check_state == CheckState.running).values(**values)).rowcount
    attachment = db.session.get(Attachment, attachment_id)
    db.session.expire(attachment)
    if not finished:
        public_copy.unlink(missing_ok=True)
        return attachment.check_state
    if old_copy:
        discard_on_commit(old_copy, UPLOAD_AREA)
    if attachment.notice.state in LIVE_STATES:
        announce(attachment.notice, live_unit_ids(attachment.notice))   # screens and pages may show it again
    return values["check_state"]


def run_pending_checks(budget_seconds: float | None = None) -> int:
    """Check waiting attachments one by one until none is left (or the time budget is spent)."""
    return drain(claim_next, run_check, budget_seconds)


def check_now(attachment: Attachment) -> CheckState:
    """Check a new attachment now, without the background job (the demo's story)."""
    if attachment.check_state != CheckState.pending:
        return attachment.check_state
    db.session.flush()
    db.session.execute(update(Attachment).where(Attachment.id == attachment.id)
                       .values(check_state=CheckState.running, check_claimed_at=clock.now()))
    return run_check(attachment)


def check_again(attachment: Attachment) -> None:
    """A failed check (e.g. a file lost, or over a limit that was raised) is queued again."""
    if attachment.check_state == CheckState.failed:
        attachment.check_state, attachment.check_error = CheckState.pending, ""
