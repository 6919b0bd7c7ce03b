"""The API of drafts for comment: what came in, the decision and how it handled the comments."""
from datetime import datetime

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.consultation import operations as ops
from kiosk.consultation.models import Outcome
from kiosk.core.errors import Conflict
from kiosk.disclosures import operations as notices
from kiosk.disclosures.feed import comment_period
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.public.operations import COMMENT_ROLES

TAG = "notices"


class HandlingRow(BaseModel):
    topic: str = Field(min_length=1, max_length=ops.MAX_TOPIC, description="what the comments of this kind were about")
    count: int = Field(ge=0, le=ops.MAX_COUNT, description="how many comments")
    outcome: Outcome
    reason: str = Field("", max_length=ops.MAX_REASON, description="required unless adopted")


class HandlingIn(BaseModel):
    rows: list[HandlingRow] = Field(max_length=ops.MAX_ROWS)


class ReceivedOut(BaseModel):
    total: int
    objections: int
    comments: int


class ConsultationOut(BaseModel):
    draft_id: int
    draft_slug: str
    comment_from: datetime | None
    comment_until: datetime | None
    comments_open: bool
    received: ReceivedOut
    decision_id: int | None
    decision_slug: str | None
    rows: list[HandlingRow]


class DecisionOut(BaseModel):
    notice_id: int
    slug: str


def consultation_out(notice: Notice) -> ConsultationOut:
    draft = ops.draft_of(notice)
    decision = notice if notice.supersedes_id == draft.id else ops.decision_of(draft)
    period = comment_period(draft)
    received = ops.received(draft)
    return ConsultationOut(
        draft_id=draft.id, draft_slug=draft.slug, comment_from=period.start if period else None,
        comment_until=period.end if period else None, comments_open=bool(period and period.is_open()),
        received=ReceivedOut(total=received.total, objections=received.objections, comments=received.comments),
        decision_id=decision.id if decision else None, decision_slug=decision.slug if decision else None,
        rows=[HandlingRow(topic=r.topic, count=r.count, outcome=r.outcome, reason=r.reason)
              for r in (ops.handling(decision) if decision else [])])


@operation("/notices/<int:notice_id>/comment-handling", method="GET", operation_id="getCommentHandling",
           summary="A draft for comment (预公开) or its decision: the comment period, the comments received, the "
                   "decision and how it handled each kind of comment", tag=TAG, response=ConsultationOut,
           roles=COMMENT_ROLES, errors=(403, 404))
def get_comment_handling(notice_id: int):
    return consultation_out(ops.visible(current_user, notice_id))


@operation("/notices/<int:notice_id>/comment-handling", method="PUT", operation_id="saveCommentHandling",
           summary="Replace how a decision handled each kind of comment on its draft (adopted, partly, not "
                   "adopted, with reasons); before the decision is submitted", tag=TAG, body=HandlingIn,
           response=ConsultationOut, roles=COMMENT_ROLES, errors=(400, 403, 404, 409))
def save_comment_handling(notice_id: int, body: HandlingIn):
    notice = ops.visible(current_user, notice_id)
    notices.ensure_editor(current_user, notice)
    decision = notice if not notice.pre_disclosure else ops.decision_of(notice)
    if decision is None:
        raise Conflict(_("This draft has no decision yet. Start it first."), code="no_decision")
    ops.save_handling(current_user, decision, [row.model_dump() for row in body.rows])
    db.session.commit()
    return consultation_out(notice)


@operation("/notices/<int:notice_id>/decision", method="POST", operation_id="startDecision",
           summary="Start the decision of a draft for comment: a new notice with the draft's text, linked to it",
           tag=TAG, response=DecisionOut, status=201, roles=COMMENT_ROLES, errors=(403, 404, 409))
def start_decision(notice_id: int):
    decision = ops.start_decision(current_user, ops.draft_of(ops.visible(current_user, notice_id)))
    db.session.commit()
    return DecisionOut(notice_id=decision.id, slug=decision.slug)
