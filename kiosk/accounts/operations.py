"""Account rules: creating staff, checking passwords, issuing and resolving tokens."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g
from flask_login import login_user
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.accounts.models import ApiToken, Role, User, UserRole
from kiosk.accounts.passwords import dummy_hash, matches, set_password
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_roles_separated
from kiosk.audit.operations import record_change, snapshot
from kiosk.core import clock
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.extensions import db
from kiosk.org.models import Unit



def create_user(username: str, password: str, roles: set[Role], unit: Unit, display_name: str = "",
                actor: User | None = None, demo: bool = False) -> User:
    """Create a staff account; `actor` (None for the operator's CLI) must be able to act on `unit`.
    A password an administrator chose must be changed at the first login; the operator's own (CLI)
    is not; a `demo` account's printed password follows no rule."""
    if actor is not None:
        ensure_can_act_on(actor, unit)
    username = username.strip()
    if not username or len(username) > 64:
        raise InvalidInput(_("A username is 1 to 64 characters."))
    if not roles:
        raise InvalidInput(_("An account needs at least one role."))
    ensure_roles_separated(roles)
    if db.session.scalar(select(User).where(User.username == username)):
        raise Conflict(_("The username %(name)s is taken.", name=username))
    user = User(username=username, display_name=display_name or username, unit=unit, demo=demo,
                role_rows=[UserRole(role=role) for role in sorted(roles)])
    set_password(user, password, must_change=actor is not None)
    db.session.add(user)
    db.session.flush()
    record_change("user.create", user, after={"username": username, "unit": unit.code,
                                              "roles": sorted(r.value for r in roles)})
    return user


def authenticate(username: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if not matches(user.password_hash if user else dummy_hash(), password):
        user = None
    if user is None or not user.active:
        raise Unauthorized(_("Wrong username or password."), code="bad_credentials")
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(days=current_app.config["KIOSK_TOKEN_LIFETIME_DAYS"])
    row = ApiToken(user=user, token_hash=_digest(token), expires_at=clock.now() + lifetime)
    db.session.add(row)
    db.session.flush()
    return token, row


def token_row(token: str) -> ApiToken | None:
    """The live (unrevoked, unexpired, active owner) token row for `token`, or None."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= clock.now() or not row.user.active:
        return None
    return row


def _may_manage_tokens_of(actor: User, owner: User) -> bool:
    return actor.id == owner.id or (actor.has_role(Role.administrator) and can_act_on(actor, owner.unit))


def tokens_of(actor: User, owner: User) -> list[ApiToken]:
    """`owner`'s tokens, newest first: for the owner, or an administrator of the owner's unit."""
    if not _may_manage_tokens_of(actor, owner):
        raise Forbidden(_("Only the account itself or its administrators see its tokens."))
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == owner.id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(actor: User, token_id: int) -> ApiToken:
    row = db.session.get(ApiToken, token_id)
    if row is None or not _may_manage_tokens_of(actor, row.user):
        raise NotFound(_("No such token."))
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        record_change("token.revoke", row.user, before=None, after={"token": row.id})
    return row


def end_every_session(user: User, keep_current: bool = False) -> None:
    """Log the account out everywhere: its cookie sessions and its bearer tokens. With
    `keep_current` (someone changing their own account) the credential of this request stays valid."""
    user.end_sessions()
    revoke = (ApiToken.__table__.update().where(ApiToken.user_id == user.id)
              .where(ApiToken.revoked_at.is_(None)).values(revoked_at=clock.now()))
    if keep_current and g.get("token_id"):
        revoke = revoke.where(ApiToken.id != g.token_id)
    db.session.execute(revoke)
    if keep_current and not g.get("token_id"):
        login_user(user)  # a fresh cookie with the new generation


# Rules other features hold on the roles an account may take: f(user, new roles) raises to refuse
# (kiosk/villages: a village committee member cannot join the same village's supervision committee).
ROLE_RULES: list = []


def users_visible_to(actor: User) -> list[User]:
    query = (select(User).join(Unit, Unit.id == User.unit_id)
             .where(Unit.path.startswith(actor.unit.path)).order_by(Unit.path, User.username))
    return list(db.session.scalars(query))


def update_user(actor: User, user: User, *, roles: set[Role] | None = None, active: bool | None = None,
                display_name: str | None = None, password: str | None = None) -> User:
    ensure_can_act_on(actor, user.unit)
    if user.id == actor.id and (active is False or (roles is not None and Role.administrator not in roles)):
        raise Conflict(_("You cannot lock yourself out: ask another administrator."))
    before = snapshot(user) | {"roles": sorted(r.value for r in user.roles)}
    ends_sessions = False
    if roles is not None and roles != user.roles:
        if not roles:
            raise InvalidInput(_("An account needs at least one role."))
        ensure_roles_separated(roles)
        for rule in ROLE_RULES:
            rule(user, roles)
        # Change the rows as a set: keep the roles that stay, so the unique (user, role) holds.
        user.role_rows = [row for row in user.role_rows if row.role in roles] + [
            UserRole(role=role) for role in sorted(roles - user.roles)]
        ends_sessions = True
    if active is not None and active != user.active:
        user.active = active
        ends_sessions = ends_sessions or not active
    if display_name is not None:
        user.display_name = display_name.strip() or user.username
    if password is not None:
        # A password set for someone else is a reset: its holder chooses their own at once.
        set_password(user, password, must_change=user.id != actor.id)
        ends_sessions = True
    if ends_sessions:
        end_every_session(user, keep_current=user.id == actor.id)
    db.session.flush()
    after = snapshot(user) | {"roles": sorted(r.value for r in user.roles)}
    record_change("user.update", user, before=before, after=after,
                  reason="password reset" if password is not None else "")
    return user


def change_own_password(user: User, current_password: str, new_password: str) -> User:
    """The holder changes their password (also how a forced change is done); other sessions end."""
    if not matches(user.password_hash, current_password):
        raise InvalidInput(_("The current password is wrong."), details={"field": "current_password"})
    set_password(user, new_password, must_change=False)
    end_every_session(user, keep_current=True)
    record_change("user.update", user, reason="password changed by its holder")
    return user
