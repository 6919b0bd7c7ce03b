import enum
from datetime import date

from sqlalchemy import Date, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db


class DayKind(str, enum.Enum):
    holiday = "holiday"   # a public holiday (or a weekday given off for one)
    workday = "workday"   # 调休: a weekend day worked to make up for a holiday


class Holiday(db.Model):
    """An exception to the Monday–Friday working week, entered by administrators each year
    from the State Council's holiday notice."""

    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(Enum(DayKind, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(40), default="")
