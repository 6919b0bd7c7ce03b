"""What a decision says about the comments on its draft (预公开): for each kind of comment, how
many there were, whether it was adopted, partly adopted or not, and why."""
import enum

from sqlalchemy import Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.disclosures.models import Notice
from kiosk.extensions import db


class Outcome(str, enum.Enum):
    adopted = "adopted"            # 采纳
    partly = "partly"              # 部分采纳
    not_adopted = "not_adopted"    # 未采纳


class CommentHandling(db.Model):
    """One kind of comment on a draft and how the decision (the notice superseding the draft)
    handled it. Edited with the decision before it is submitted; public once the decision is."""

    __tablename__ = "comment_handling"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    topic: Mapped[str] = mapped_column(String(200))      # the kind of comment, in the staff's words
    count: Mapped[int] = mapped_column(Integer, default=1)
    outcome: Mapped[Outcome] = mapped_column(Enum(Outcome, native_enum=False, length=16))
    reason: Mapped[str] = mapped_column(Text, default="")

    decision: Mapped[Notice] = relationship()

    @property
    def unit_id(self) -> int:
        """The audit log files it under the decision's unit."""
        return self.decision.unit_id
