"""Villagers' questions (质询, 村民委员会组织法 第三十条) on a village's notices: a comment of the kind
`question`, sent by the notice's QR page while the notice shows, held and answered by staff like
every comment (masked by the privacy gate when shown, public once answered and published), and
answered within ANSWER_DAYS calendar days of its arrival (the local rule: answered, or the matter
published again, within 10 days)."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from kiosk.core import clock
from kiosk.disclosures.models import Notice, NoticeState
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.public.models import Comment, CommentKind

ANSWER_DAYS = 10
REMIND_DAYS = 3


def is_village_notice(notice: Notice) -> bool:
    """A village's own notice, or one filed under an item of the village disclosure list."""
    return notice.unit.kind == UnitKind.village or notice.list_item_id is not None


def questions_open(notice: Notice) -> bool:
    """Villagers may question a village notice for as long as it shows."""
    return notice.state == NoticeState.showing and is_village_notice(notice)


def answer_due(comment: Comment) -> date:
    """The last day to answer: ANSWER_DAYS calendar days after the day the question arrived."""
    return clock.to_local(comment.created_at).date() + timedelta(days=ANSWER_DAYS)


@dataclass
class OpenQuestion:
    comment: Comment
    due: date
    today: date

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        return self.today > self.due


def open_questions(scope: Unit, today: date | None = None) -> list[OpenQuestion]:
    """Unanswered questions on the notices of `scope` and below, the most urgent first."""
    today = today or clock.local_today()
    rows = db.session.scalars(select(Comment).join(Comment.notice).join(Notice.unit).where(
        Comment.kind == CommentKind.question, Comment.answered_at.is_(None), Unit.path.startswith(scope.path))
        .order_by(Comment.created_at, Comment.id))
    return [OpenQuestion(comment, answer_due(comment), today) for comment in rows]
