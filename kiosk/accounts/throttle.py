"""Failed-login throttling that slows guessing without locking colleagues out (policy in the README).

Every failed login, from the login form or from createToken, counts against the user name (from
any address) and against the address (for any user name). While both budgets hold, attempts are
answered at once. Once either is spent, nobody is locked out: an attempt is answered only after
`KIOSK_LOGIN_DELAY` seconds, and one such slowed attempt is admitted per delay for each user name
and address pair (for each address, when the address's own budget is spent); others get 429 with
`Retry-After`. So a guesser gets one try per delay, and the right password from a fresh browser
logs in after that short wait.
"""
import functools
import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse

from kiosk.core.errors import KioskError, Unauthorized
from kiosk.extensions import limiter

_NAMESPACE = "login"


class LoginSlowedDown(KioskError):
    status, code = 429, "rate_limited"


def _pause(seconds: float) -> None:
    """The wait of a slowed attempt (tests replace it to see the delay without spending it)."""
    time.sleep(seconds)


def _attempted_username() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    name = request.form.get("username") or (body.get("username") if isinstance(body, dict) else "") or ""
    return str(name).strip().lower()[:64]


def _budgets(username: str, address: str):
    config = current_app.config
    return (
        (parse(config["KIOSK_LOGIN_LIMIT"]), ("user", username)),
        (parse(config["KIOSK_LOGIN_ADDRESS_LIMIT"]), ("address", address)),
    )


def _slot_key(username: str, address: str, address_spent: bool) -> tuple[str, ...]:
    return ("slot", address) if address_spent else ("slot", address, username)


def _admit_slowed_attempt(username: str, address: str, spent: list[tuple[str, str]]) -> None:
    delay = current_app.config["KIOSK_LOGIN_DELAY"]
    slot = parse(f"1 per {max(1, int(delay))} second")
    key = _slot_key(username, address, ("address", address) in spent)
    if not limiter.limiter.hit(slot, _NAMESPACE, *key):
        raise LoginSlowedDown(_("Too many failed logins for this account or address. Wait a few seconds "
                                "and try again."), headers={"Retry-After": str(max(1, int(delay)))})
    _pause(delay)


def throttle_failed_logins(view):
    """Wrap a login view (form or API): slow it down once a budget is spent, count its failures (401)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        username, address = _attempted_username(), request.remote_addr or ""
        budgets = _budgets(username, address)
        spent = [key for rate, key in budgets if not limiter.limiter.test(rate, _NAMESPACE, *key)]
        if spent:
            _admit_slowed_attempt(username, address, spent)
        try:
            result = view(*args, **kwargs)
        except Unauthorized:
            _count_failure(budgets)
            raise
        if isinstance(result, tuple) and result[1] == 401:  # the form shows its error with a 401
            _count_failure(budgets)
        return result
    return wrapper


def _count_failure(budgets) -> None:
    for rate, key in budgets:
        limiter.limiter.hit(rate, _NAMESPACE, *key)
