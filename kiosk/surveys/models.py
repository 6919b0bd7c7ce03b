"""群众评议 surveys: a township's short questionnaire, open between two instants, answered at the
touch kiosk (once per visit) and on phones by QR (once per phone)."""
import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.accounts.models import User
from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class QuestionKind(str, enum.Enum):
    single = "single"       # one of the options
    multiple = "multiple"   # any of the options, at least one
    scale = "scale"         # 1 (非常不满意) … 5 (非常满意)
    text = "text"           # free text, optional; at most one per survey


class Channel(str, enum.Enum):
    kiosk = "kiosk"
    phone = "phone"


class Survey(db.Model):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(16), unique=True)     # the phone page /s/<slug>
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)   # a township
    title: Mapped[str] = mapped_column(String(120))
    intro: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published: Mapped[bool] = mapped_column(Boolean, default=False)   # False: a draft nobody sees
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User] = relationship()
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", order_by="SurveyQuestion.position", cascade="all, delete-orphan")

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or clock.now()
        return self.published and self.opens_at <= now < self.closes_at


class SurveyQuestion(db.Model):
    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[QuestionKind] = mapped_column(Enum(QuestionKind, native_enum=False, length=16))
    text: Mapped[str] = mapped_column(String(200))
    options: Mapped[list] = mapped_column(JSON, default=list)   # the choices of single and multiple

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyResponse(db.Model):
    """One answer to a survey. `respondent` is a digest of the phone's cookie or of the kiosk's
    visit, unique per survey: a second answer from the same phone or visit is refused."""

    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("survey_id", "respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(Enum(Channel, native_enum=False, length=8))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)   # question id (str) → option index(es) or 1–5
    free_text: Mapped[str] = mapped_column(Text, default="")     # shown masked by the privacy gate
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)

    survey: Mapped[Survey] = relationship()
