"""Failed-login throttling: only failures count, per address and username."""
from flask import current_app, request

from kiosk.extensions import limiter


def _login_key() -> str:
    username = (request.form.get("username") or (request.get_json(silent=True) or {}).get("username") or "")
    return f"{request.remote_addr}|{str(username).strip().lower()}"


def throttle_failed_logins(view):
    return limiter.limit(lambda: current_app.config["KIOSK_LOGIN_LIMIT"], key_func=_login_key,
                         methods=["POST"], deduct_when=lambda response: response.status_code == 401)(view)
