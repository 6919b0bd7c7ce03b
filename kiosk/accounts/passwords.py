"""Passwords (GB/T 22239-2019 level 2, identity authentication): argon2id hashes, the rules a new
password meets, the last few kept so none comes back, expiry, and the change forced after an
administrator set the password. Demo accounts (their password is printed) are exempt."""
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from kiosk.accounts.models import PasswordHistory, User
from kiosk.core import clock
from kiosk.core.errors import InvalidInput

_STRONG = PasswordHasher()  # argon2id with the library's recommended parameters
# Tests create hundreds of accounts on a busy 2-core machine; they check behaviour, not strength.
_CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
CLASSES_NEEDED = 3  # of lower-case letters, capitals, digits, anything else


def hasher() -> PasswordHasher:
    return _CHEAP if current_app.testing else _STRONG


def matches(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=2)
def _dummy_hash(chosen: PasswordHasher) -> str:
    return chosen.hash("not-a-real-password")


def dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as long as a wrong password."""
    return _dummy_hash(hasher())


def _classes(password: str) -> int:
    kinds = {"lower" if c.islower() else "upper" if c.isupper() else "digit" if c.isdigit() else "other"
             for c in password}
    return len(kinds)


def check_rules(username: str, password: str, history: list[PasswordHistory] = ()) -> None:
    """Refuse (InvalidInput, field "password") a password that breaks a rule."""
    config = current_app.config
    minimum = config["KIOSK_PASSWORD_MIN_LENGTH"]
    problem = None
    if len(password) < minimum:
        problem = _("A password needs at least %(n)d characters.", n=minimum)
    elif _classes(password) < CLASSES_NEEDED:
        problem = _("A password mixes at least three of: lower-case letters, capitals, digits, other signs.")
    elif username.strip() and username.strip().lower() in password.lower():
        problem = _("A password may not contain the username.")
    elif any(matches(old.password_hash, password) for old in history[:config["KIOSK_PASSWORD_HISTORY"]]):
        problem = _("Choose a password you have not used for your last %(n)d passwords.",
                    n=config["KIOSK_PASSWORD_HISTORY"])
    if problem:
        raise InvalidInput(problem, details={"field": "password"})


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """Give `user` this password (rules checked unless a demo account) and remember its hash."""
    if not user.demo:
        check_rules(user.username, password, user.password_history)
    user.password_hash = hasher().hash(password)
    user.password_changed_at = clock.now()
    user.must_change_password = must_change and not user.demo
    user.password_history.insert(0, PasswordHistory(password_hash=user.password_hash))
    del user.password_history[current_app.config["KIOSK_PASSWORD_HISTORY"]:]


def password_change_due(user: User) -> bool:
    """Whether `user` must choose a new password before doing anything else."""
    if user.demo:
        return False
    if user.must_change_password:
        return True
    max_age = current_app.config["KIOSK_PASSWORD_MAX_AGE_DAYS"]
    changed = user.password_changed_at or user.created_at
    return bool(max_age) and changed is not None and clock.now() - changed >= timedelta(days=max_age)
