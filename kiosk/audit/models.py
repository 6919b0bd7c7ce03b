from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db


class AuditEntry(db.Model):
    """Who changed what, when, with the values before and after.

    The migrations add database triggers that refuse UPDATE, DELETE, REPLACE and TRUNCATE on this
    table, and each entry carries a hash chained to the previous one (`chain.py`).
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    # The key entry_hash was made with: "hmac-sha256:<key id>" / "hmac-sm3:<key id>" (keys.py).
    key_id: Mapped[str] = mapped_column(String(40), default="", server_default="")

    unit: Mapped["Unit | None"] = relationship()  # noqa: F821  (kiosk.org.models.Unit)


class AuditHead(db.Model):
    """The chain's newest hash in one row. A writer locks this row (SELECT … FOR UPDATE on PostgreSQL,
    BEGIN IMMEDIATE on SQLite) from reading the head until its transaction ends, so entries are
    appended strictly one after another by every process."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditArchive(db.Model):
    """Entries moved out of the database into a signed file once older than the retention (archive.py).
    The delete trigger lets only entries up to the newest `through_id` go; the row's signature (keyed
    like the chain) makes a row forged to open that door show in `verify`."""

    __tablename__ = "audit_archive"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    first_id: Mapped[int]
    through_id: Mapped[int] = mapped_column(index=True)
    entries: Mapped[int]
    first_prev_hash: Mapped[str] = mapped_column(String(64))   # where the archived stretch joins the chain
    last_hash: Mapped[str] = mapped_column(String(64))         # the chain goes on from here in the database
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(40))
    signature: Mapped[str] = mapped_column(String(128))
