"""Drafts for comment (预公开) from the draft's end to the decision: the comments received, the
decision linked to the draft (a notice with `supersedes`), and how it handled each kind of comment.

A draft for comment is an ordinary notice with `pre_disclosure` and a comment period
(`disclosures.feed.comment_period`); comments come in through the public side's comment form
(`public.operations.create_comment`), which refuses them once the period has closed.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk import privacy
from kiosk.accounts.models import User
from kiosk.accounts.permissions import ensure_role
from kiosk.audit.operations import record_change
from kiosk.consultation.models import CommentHandling, Outcome
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.disclosures import operations as notices
from kiosk.disclosures.feed import comment_period, is_public
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.public.models import Comment, CommentKind
from kiosk.public.operations import COMMENT_ROLES

OUTCOME_LABELS = {Outcome.adopted: _l("Adopted"), Outcome.partly: _l("Partly adopted"),
                  Outcome.not_adopted: _l("Not adopted")}
MAX_ROWS, MAX_TOPIC, MAX_REASON, MAX_COUNT = 30, 200, 2000, 100_000
# The decision's summary is part of what its reviewer approves: it is edited before the decision is submitted.
EDITABLE_STATES = (NoticeState.draft, NoticeState.returned)
ENDED_STATES = (NoticeState.withdrawn, NoticeState.archived)


def outcome_label(outcome: Outcome) -> str:
    return str(OUTCOME_LABELS[outcome])


@dataclass
class Received:
    """What came in on a draft: every comment, and how many of each kind."""
    total: int
    objections: int
    comments: int


def received(draft: Notice) -> Received:
    counts = dict(db.session.execute(select(Comment.kind, func.count()).where(Comment.notice_id == draft.id)
                                     .group_by(Comment.kind)).all())
    objections, comments = counts.get(CommentKind.objection, 0), counts.get(CommentKind.comment, 0)
    return Received(total=objections + comments, objections=objections, comments=comments)


def draft_of(notice: Notice) -> Notice | None:
    """The draft for comment a notice is, or the one it decides."""
    if notice.pre_disclosure:
        return notice
    return notice.supersedes


def decision_of(draft: Notice) -> Notice | None:
    """The newest decision written for a draft (withdrawn and archived ones left out)."""
    return db.session.scalar(select(Notice).where(Notice.supersedes_id == draft.id, Notice.state.not_in(ENDED_STATES))
                             .order_by(Notice.id.desc()).limit(1))


def handling(decision: Notice) -> list[CommentHandling]:
    return list(db.session.scalars(select(CommentHandling).where(CommentHandling.decision_id == decision.id)
                                   .order_by(CommentHandling.position, CommentHandling.id)))


def public_handling(notice: Notice) -> tuple[Notice, list[CommentHandling], Received] | None:
    """For the public page of a draft or of its decision: the public decision, how it handled the
    comments and what was received; None while there is no public decision."""
    draft = draft_of(notice)
    if draft is None:
        return None
    decision = notice if notice.supersedes_id == draft.id else None
    if decision is None:
        decision = next((final for final in db.session.scalars(
            select(Notice).where(Notice.supersedes_id == draft.id).order_by(Notice.id.desc())) if is_public(final)), None)
    if decision is None or not is_public(decision):
        return None
    return decision, handling(decision), received(draft)


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def _clean_rows(rows: list[dict]) -> list[dict]:
    if len(rows) > MAX_ROWS:
        raise _field_error("rows", _("At most %(count)s kinds of comment.", count=MAX_ROWS))
    cleaned = []
    for number, row in enumerate(rows, start=1):
        topic, reason = str(row.get("topic") or "").strip(), str(row.get("reason") or "").strip()
        if not topic:
            raise _field_error(f"rows.{number}.topic", _("Row %(n)s: say what the comments were about.", n=number))
        if len(topic) > MAX_TOPIC or len(reason) > MAX_REASON:
            raise _field_error(f"rows.{number}.topic", _("Row %(n)s is too long.", n=number))
        try:
            outcome = Outcome(row.get("outcome"))
        except ValueError:
            raise _field_error(f"rows.{number}.outcome", _("Row %(n)s: choose adopted, partly adopted or not "
                                                           "adopted.", n=number)) from None
        count = row.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
            raise _field_error(f"rows.{number}.count", _("Row %(n)s: give the number of comments.", n=number))
        if outcome != Outcome.adopted and len(reason) < 4:
            raise _field_error(f"rows.{number}.reason", _("Row %(n)s: give the reason why it was not (fully) "
                                                          "adopted.", n=number))
        cleaned.append({"topic": topic, "count": count, "outcome": outcome, "reason": reason})
    return cleaned


def save_handling(user: User, decision: Notice, rows: list[dict]) -> list[CommentHandling]:
    """Replace how the decision handled each kind of comment on its draft. Only a decision of a
    draft whose comment period has ended, and only before it is submitted (its reviewer approves it
    with the text); every topic and reason passes the privacy gate (they are shown in public)."""
    notices.ensure_editor(user, decision)
    draft = decision.supersedes
    if draft is None:
        raise Conflict(_("This notice decides no draft for comment. Link it to the draft first."), code="no_draft")
    if decision.state not in EDITABLE_STATES:
        raise Conflict(_("The summary of comments is part of the decision: it can be changed only before the "
                         "decision is submitted."), code="submitted")
    period = comment_period(draft)
    if draft.state == NoticeState.showing and period is not None and not period.has_ended():
        raise Conflict(_("The draft still takes comments. Summarise them once its comment period has ended."),
                       code="still_open")
    cleaned = _clean_rows(rows)
    privacy.ensure_clean({_("Row %(n)s", n=number): f"{row['topic']}\n{row['reason']}"
                          for number, row in enumerate(cleaned, start=1)})
    before = [_row_dict(row) for row in handling(decision)]
    for old in handling(decision):
        db.session.delete(old)
    saved = [CommentHandling(decision=decision, position=position, **row) for position, row in enumerate(cleaned)]
    db.session.add_all(saved)
    db.session.flush()
    record_change("comment_handling.save", decision, before={"handling": before},
                  after={"handling": [_row_dict(row) for row in saved]})
    return saved


def _row_dict(row: CommentHandling) -> dict:
    return {"topic": row.topic, "count": row.count, "outcome": row.outcome.value, "reason": row.reason}


def visible(user: User, notice_id: int) -> Notice:
    """A draft for comment or a decision of the user's units."""
    ensure_role(user, *COMMENT_ROLES)
    notice = notices.visible_notice(user, notice_id)
    if draft_of(notice) is None:
        raise NotFound(_("This notice is not a draft for comment nor a decision on one."))
    return notice


def start_decision(user: User, draft: Notice) -> Notice:
    """A new notice deciding the draft: its text copied to start from, linked by `supersedes`."""
    if not draft.pre_disclosure:
        raise Conflict(_("Only a draft for comment gets a decision."))
    existing = decision_of(draft)
    if existing is not None:
        raise Conflict(_("This draft already has a decision being written."), code="exists",
                       details={"notice_id": existing.id})
    source = draft.published_version or draft
    title = source.title.replace("（征求意见稿）", "").replace("(征求意见稿)", "").strip() or source.title
    return notices.create_notice(user, {
        "unit": draft.unit.code, "category": source.category.code, "title": title, "summary": source.summary,
        "body": source.body, "formed_on": clock.local_today(), "audience": source.audience,
        "villages": [unit.code for unit in _villages(source.audience_unit_ids)], "supersedes": draft.slug})


def _villages(unit_ids: list[int]) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids or []))))
