import enum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db


class UnitKind(str, enum.Enum):
    county = "county"
    township = "township"
    hall = "hall"
    village = "village"


class Unit(db.Model):
    """A place that owns notices, screens, services and accounts.

    `path` is the materialised chain of ids ("/1/4/17/") so that "this unit and
    everything below it" is one indexed prefix match.
    """

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[UnitKind] = mapped_column(Enum(UnitKind, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(80))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    # 行政区划代码 (GB/T 2260 and its township/village extension, up to 12 digits): official warnings
    # (kiosk/broadcast) name their areas by it. Set by an administrator of the unit.
    division_code: Mapped[str | None] = mapped_column(String(12), index=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.id")

    def contains(self, other: "Unit") -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    @property
    def township(self) -> "Unit | None":
        unit = self
        while unit is not None and unit.kind != UnitKind.township:
            unit = unit.parent
        return unit

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"
