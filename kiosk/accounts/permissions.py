"""Permission rules, enforced on the server for pages and API alike.

A staff member acts within their unit and everything below it: a township editor on the
township and its villages, a village clerk on that village only.
"""
import functools

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.accounts.models import Role, User
from kiosk.core.errors import Forbidden
from kiosk.org.models import Unit


def can_act_on(user: User, unit: Unit) -> bool:
    return user.unit.contains(unit)


def ensure_can_act_on(user: User, unit: Unit) -> None:
    if not can_act_on(user, unit):
        raise Forbidden(_("Your account may not change anything of %(unit)s.", unit=unit.name))


def ensure_role(user: User, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise Forbidden(_("Your account does not have the role for this."))


def is_county_administrator(user: User) -> bool:
    """An administrator at the top of the unit tree: the only one who changes what every township
    shares (categories, the holiday table, global settings)."""
    return user.has_role(Role.administrator) and user.unit.parent_id is None


def ensure_county_administrator(user: User) -> None:
    if not is_county_administrator(user):
        raise Forbidden(_("Only a county administrator may change what every township shares."))


def staff_page(*roles: Role):
    """Decorator for staff pages: log in first, then (if given) one of `roles`."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if roles:
                ensure_role(current_user, *roles)
            return view(*args, **kwargs)
        return wrapper
    return decorate
