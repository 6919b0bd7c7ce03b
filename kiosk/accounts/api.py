"""createToken: trade a username and password for a bearer token."""
from datetime import datetime

from pydantic import BaseModel, Field

from kiosk.accounts.operations import authenticate, create_token
from kiosk.accounts.throttle import throttle_failed_logins
from kiosk.api import operation
from kiosk.extensions import db


class TokenRequest(BaseModel):
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
