"""Tokens and staff accounts over the API."""
from datetime import datetime
from typing import ClassVar

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy import select

from kiosk.accounts.models import ApiToken, Role, User
from kiosk.accounts.operations import authenticate, change_own_password, create_token, create_user, revoke_token, \
    tokens_of, update_user, users_visible_to
from kiosk.accounts.throttle import throttle_failed_logins
from kiosk.api import operation
from kiosk.core.errors import NotFound
from kiosk.extensions import db
from kiosk.org.operations import get_unit_by_code


class TokenRequest(BaseModel):
    # What the login form calls each field (kiosk.core.validation names errors by these).
    field_labels: ClassVar[dict] = {"username": _l("Username"), "password": _l("Password")}
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenResponse(BaseModel):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime
    username: str
    roles: list[str]
    unit: str


@operation("/tokens", method="POST", operation_id="createToken", summary="Get a bearer token for the API",
           tag="accounts", body=TokenRequest, response=TokenResponse, status=201, public=True,
           errors=(401, 429))
@throttle_failed_logins
def create_token_view(body: TokenRequest):
    user = authenticate(body.username, body.password)
    token, row = create_token(user)
    db.session.commit()
    return TokenResponse(token=token, expires_at=row.expires_at, username=user.username,
                         roles=sorted(r.value for r in user.roles), unit=user.unit.code)


class TokenOut(BaseModel):
    id: int
    username: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    current: bool = Field(description="whether this token authenticated the request")


class TokenList(BaseModel):
    tokens: list[TokenOut]


class TokenQuery(BaseModel):
    username: str | None = Field(None, min_length=1, max_length=64,
                                 description="whose tokens (administrators); yours when left out")


def token_out(row: ApiToken) -> TokenOut:
    return TokenOut(id=row.id, username=row.user.username, created_at=row.created_at, expires_at=row.expires_at,
                    revoked_at=row.revoked_at, current=row.id == g.get("token_id"))


@operation("/tokens", method="GET", operation_id="listTokens", summary="Bearer tokens of your account (or, for "
           "administrators, of an account in your units)", tag="accounts", query=TokenQuery, response=TokenList,
           errors=(403, 404))
def list_tokens_view(query: TokenQuery):
    owner = current_user
    if query.username is not None:
        owner = db.session.scalar(select(User).where(User.username == query.username))
        if owner is None:
            raise NotFound(_("No such account."))
    return TokenList(tokens=[token_out(row) for row in tokens_of(current_user, owner)])


@operation("/tokens/<int:token_id>", method="DELETE", operation_id="revokeToken",
           summary="Revoke a bearer token: yours, or as administrator one of your units' accounts", tag="accounts",
           response=TokenOut, errors=(404,))
def revoke_token_view(token_id: int):
    row = revoke_token(current_user, token_id)
    db.session.commit()
    return token_out(row)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    unit: str
    roles: list[str]
    active: bool


class UserList(BaseModel):
    users: list[UserOut]


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=1, max_length=256, description="the rules: docs/security.md; its holder "
                          "must change it at the first login")
    display_name: str = Field("", max_length=80)
    unit: str = Field(min_length=1, max_length=40, description="unit code")
    roles: list[Role] = Field(min_length=1)


class UserUpdate(BaseModel):
    display_name: str | None = Field(None, max_length=80)
    roles: list[Role] | None = None
    active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=256,
                                 description="a reset: its holder must change it at the next login")


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, username=user.username, display_name=user.display_name, unit=user.unit.code,
                   roles=sorted(r.value for r in user.roles), active=user.active)


@operation("/users", method="GET", operation_id="listUsers", summary="Staff accounts of your units",
           tag="accounts", response=UserList, roles=(Role.administrator,))
def list_users_view():
    return UserList(users=[user_out(u) for u in users_visible_to(current_user)])


@operation("/users", method="POST", operation_id="createUser", summary="Create a staff account in one of your units",
           tag="accounts", body=UserCreate, response=UserOut, status=201, roles=(Role.administrator,),
           errors=(404, 409))
def create_user_view(body: UserCreate):
    user = create_user(body.username, body.password, set(body.roles), get_unit_by_code(body.unit),
                       body.display_name, actor=current_user)
    db.session.commit()
    return user_out(user)


@operation("/users/<int:user_id>", method="PATCH", operation_id="updateUser",
           summary="Change an account's roles, name, password or whether it may log in", tag="accounts",
           body=UserUpdate, response=UserOut, roles=(Role.administrator,), errors=(404, 409))
def update_user_view(user_id: int, body: UserUpdate):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such account."))
    update_user(current_user, user, roles=set(body.roles) if body.roles is not None else None, active=body.active,
                display_name=body.display_name, password=body.password)
    db.session.commit()
    return user_out(user)


class PasswordChange(BaseModel):
    field_labels: ClassVar[dict] = {"current_password": _l("Current password"), "new_password": _l("New password")}
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


@operation("/account/password", method="POST", operation_id="changeOwnPassword",
           summary="Change your own password (the only operation open while a change is due)", tag="accounts",
           body=PasswordChange, response=UserOut)
def change_own_password_view(body: PasswordChange):
    change_own_password(current_user._get_current_object(), body.current_password, body.new_password)
    db.session.commit()
    return user_out(current_user)
