"""The public side's API: a visitor's comment (no login) and the staff's comment moderation."""
from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.extensions import db
from kiosk.public import operations as ops
from kiosk.public.models import Comment, CommentKind
from kiosk.public.views import comment_limit


class CommentBody(BaseModel):
    kind: CommentKind = CommentKind.comment
    message: str = Field(..., max_length=ops.MAX_MESSAGE)
    name: str = Field("", max_length=ops.MAX_NAME)
    phone: str = Field("", max_length=ops.MAX_PHONE, description="never shown publicly")


class CommentReceipt(BaseModel):
    id: int
    kind: CommentKind
    created_at: datetime
    status: str = Field(description="held: staff read it first; it is public only once answered and published")


class CommentOut(BaseModel):
    id: int
    notice_id: int
    notice_slug: str
    notice_title: str
    version_number: int
    kind: CommentKind
    name: str
    phone: str
    message: str
    created_at: datetime
    answer: str
    answered_at: datetime | None
    answered_by: str | None
    public: bool


class CommentList(BaseModel):
    comments: list[CommentOut]


class CommentQuery(BaseModel):
    pending: bool = Field(False, description="only comments without an answer")
    notice_id: int | None = None
    limit: int = Field(100, ge=1, le=500)


class AnswerBody(BaseModel):
    answer: str = Field("", max_length=ops.MAX_ANSWER)
    public: bool = Field(False, description="show the question and answer on the notice page (phone never shown)")


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut(id=comment.id, notice_id=comment.notice_id, notice_slug=comment.notice.slug,
                      notice_title=comment.notice.published_version.title, version_number=comment.version_number,
                      kind=comment.kind, name=comment.name, phone=comment.phone, message=comment.message,
                      created_at=comment.created_at, answer=comment.answer, answered_at=comment.answered_at,
                      answered_by=comment.answered_by.display_name if comment.answered_by else None,
                      public=comment.public)


@operation("/public/notices/<slug>/comments", method="POST", operation_id="createComment",
           summary="Comment on or object to a notice under publicity (no login; rate-limited per address)",
           tag="public", body=CommentBody, response=CommentReceipt, status=201, public=True,
           errors=(400, 404, 409, 429))
@comment_limit
def create_comment(slug: str, body: CommentBody):
    comment = ops.create_comment(ops.public_notice(slug), body.kind, body.message, body.name, body.phone)
    db.session.commit()
    return CommentReceipt(id=comment.id, kind=comment.kind, created_at=comment.created_at, status="held")


@operation("/comments", method="GET", operation_id="listComments",
           summary="Comments on the notices of your units, unanswered first", tag="comments",
           query=CommentQuery, response=CommentList, roles=ops.COMMENT_ROLES, errors=(403,))
def list_comments(query: CommentQuery):
    comments = ops.comments_for(current_user, query.pending, query.notice_id, query.limit)
    return CommentList(comments=[comment_out(comment) for comment in comments])


@operation("/comments/<int:comment_id>/answer", method="POST", operation_id="answerComment",
           summary="Answer a comment and choose whether question and answer are public", tag="comments",
           body=AnswerBody, response=CommentOut, roles=ops.COMMENT_ROLES, errors=(400, 403, 404))
def answer_comment(comment_id: int, body: AnswerBody):
    comment = ops.answer_comment(current_user, ops.comment_for(current_user, comment_id), body.answer, body.public)
    db.session.commit()
    return comment_out(comment)
