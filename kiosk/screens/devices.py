"""Device authentication: which screen is this browser?

A screen proves itself with its device token, kept in the `kiosk_screen` cookie (set when the
player URL is opened) and in the player's localStorage, which it sends as `X-Screen-Token`
or in the Socket.IO `auth` payload. Only the token's SHA-256 is stored.
"""
import functools
import hashlib
import secrets

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import select

from kiosk.core.cookies import set_cookie
from kiosk.core.errors import Forbidden, Unauthorized
from kiosk.extensions import db
from kiosk.screens.models import Screen, ScreenKind

COOKIE = "kiosk_screen"
HEADER = "X-Screen-Token"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # a screen stays paired until revoked


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh device token and its digest."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def screen_for_token(token: str | None) -> Screen | None:
    """The registered (not revoked) screen holding `token`, or None."""
    if not token or len(token) > 128:
        return None
    screen = db.session.scalar(select(Screen).where(Screen.token_hash == token_digest(token)))
    return screen if screen is not None and screen.registered else None


def request_token() -> str | None:
    return request.headers.get(HEADER) or request.cookies.get(COOKIE)


def current_screen() -> Screen | None:
    """The screen making this request (header `X-Screen-Token` or the `kiosk_screen` cookie)."""
    if "kiosk_screen" not in g:
        g.kiosk_screen = screen_for_token(request_token())
    return g.kiosk_screen


def screen_required(*kinds: ScreenKind):
    """Decorator for routes only a registered screen may call, optionally only screens of `kinds`.
    The view gets the screen as the keyword argument `screen`."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            screen = current_screen()
            if screen is None:
                raise Unauthorized(_("This screen is not registered."), code="screen_not_registered")
            if kinds and screen.kind not in kinds:
                raise Forbidden(_("This kind of screen cannot open this page."))
            return view(*args, screen=screen, **kwargs)
        return wrapper
    return decorate


def set_token_cookie(response, token: str):
    set_cookie(response, COOKIE, token, max_age=COOKIE_MAX_AGE)
    return response
