import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.core import clock
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db
from kiosk.org.models import Unit


class Role(str, enum.Enum):
    administrator = "administrator"
    editor = "editor"
    reviewer = "reviewer"
    screen_manager = "screen_manager"
    window_clerk = "window_clerk"
    auditor = "auditor"  # 审计管理员: reads and exports the audit log, nothing else
    supervisor = "supervisor"  # 村务监督委员会成员 of their village: signs off its notices (kiosk/villages)


ROLE_LABELS = {
    Role.administrator: _l("Administrator"),
    Role.editor: _l("Editor"),
    Role.reviewer: _l("Reviewer"),
    Role.screen_manager: _l("Screen manager"),
    Role.window_clerk: _l("Window clerk"),
    Role.auditor: _l("Audit administrator"),
    Role.supervisor: _l("Supervision committee member"),
}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Part of every login session's id: raising it (logout, new password, new roles, disabling)
    # ends all of this account's sessions at once, on every server process.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the password was last set (expiry counts from here), and whether its holder must choose a
    # new one before anything else: set when an administrator creates the account or resets it.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A demo account (`kiosk demo`): its password is printed for everyone, so the password rules,
    # expiry and forced change do not apply to it.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    unit: Mapped[Unit] = relationship()
    role_rows: Mapped[list["UserRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    password_history: Mapped[list["PasswordHistory"]] = relationship(
        cascade="all, delete-orphan", order_by="PasswordHistory.id.desc()")

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session cookie keeps: the account and its session generation."""
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=32))


class PasswordHistory(db.Model):
    """The argon2 hashes of an account's recent passwords (the current one included), so a new
    password cannot be one of the last few."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a leaked database leaks no tokens."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
