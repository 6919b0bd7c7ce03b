"""Cookies marked `Secure` whenever the request came over HTTPS, directly or through a trusted proxy
(ProxyFix has then set the scheme from `X-Forwarded-Proto`)."""
from flask import request
from flask.sessions import SecureCookieSessionInterface


class SessionCookies(SecureCookieSessionInterface):
    """The login session cookie; Flask's own interface only knows a fixed SESSION_COOKIE_SECURE."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def set_cookie(response, name: str, value: str, max_age: int, httponly: bool = True) -> None:
    """Every other cookie we set: same-site, and Secure when the request was."""
    response.set_cookie(name, value, max_age=max_age, httponly=httponly, samesite="Lax", secure=request.is_secure)
