"""What the year's report keeps: each township's annual report (the words and the figures staff
typed or corrected), and the register of normative documents (which notice is a 规章 or a
行政规范性文件, and when it was repealed)."""
import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.disclosures.models import Notice
from kiosk.extensions import db
from kiosk.org.models import Unit


class AnnualReport(db.Model):
    """A township's 政府信息公开工作年度报告 for one year.

    `sections` holds the saved words per section (a section not yet saved shows its draft);
    `typed` the figures nobody's data can give (table 二's decisions and fees, section 六's fee);
    `table_three` the figures of table 三 as saved (drafted from the applications register, then
    corrected by staff), `table_four` the 15 numbers of table 四. `notice_id` is the notice that
    publishes it through the normal review."""

    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    typed: Mapped[dict] = mapped_column(JSON, default=dict)
    table_three: Mapped[dict] = mapped_column(JSON, default=dict)
    table_four: Mapped[dict] = mapped_column(JSON, default=dict)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    unit: Mapped[Unit] = relationship()
    notice: Mapped[Notice | None] = relationship()


class NormativeKind(str, enum.Enum):
    rule = "rule"              # 规章 (a township normally has none)
    normative = "normative"    # 行政规范性文件


class NormativeDocument(db.Model):
    """A notice of the 规范性文件 category as table 二 counts it: its kind (行政规范性文件 unless
    staff say 规章) and the day it was repealed (废止), if it was."""

    __tablename__ = "normative_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[NormativeKind] = mapped_column(Enum(NormativeKind, native_enum=False, length=16),
                                                default=NormativeKind.normative)
    repealed_on: Mapped[date | None] = mapped_column(Date)

    notice: Mapped[Notice] = relationship()

    @property
    def unit_id(self) -> int:
        """The audit log files it under its notice's unit."""
        return self.notice.unit_id
