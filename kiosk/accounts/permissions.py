"""Permission rules, enforced on the server for pages and API alike.

A staff member acts within their unit and everything below it: a township editor on the
township and its villages, a village clerk on that village only.
"""
import functools

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.accounts.models import Role, User
from kiosk.core.errors import Forbidden, InvalidInput
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


# --- the audit administrator (审计管理员) and 三员分立 (KIOSK_SEPARATION_OF_DUTIES) ---------------------

# What an account holding only the auditor role may reach: the audit log, logging in and out, its tokens.
AUDITOR_ENDPOINTS = {"static", "favicon", "accounts.login", "accounts.logout", "accounts.change_password",
                     "api.changeOwnPassword", "api.createToken", "api.listTokens", "api.revokeToken",
                     "api.listAuditEntries", "api.getOpenApi"}


def is_auditor_only(user: User) -> bool:
    return user.roles == {Role.auditor}


def may_read_audit_log(user: User) -> bool:
    """With separation of duties only audit administrators read the log (administrators cannot);
    without it every staff member reads their units' entries."""
    if current_app.config["KIOSK_SEPARATION_OF_DUTIES"]:
        return user.has_role(Role.auditor)
    return True


def ensure_may_read_audit_log(user: User) -> None:
    if not may_read_audit_log(user):
        raise Forbidden(_("Only an audit administrator may read the audit log."))


def may_open(user: User, endpoint: str | None) -> bool:
    """The audit log's pages to whoever may read it; an audit administrator reaches nothing else."""
    if endpoint is None:
        return True
    if endpoint.partition(".")[0] == "audit":
        return may_read_audit_log(user)
    return not is_auditor_only(user) or endpoint in AUDITOR_ENDPOINTS


def confine_auditors():
    """Before every request: keep an audit-administrator account to the audit log (its start page is the log)."""
    if not current_user.is_authenticated or not is_auditor_only(current_user):
        return None
    if request.endpoint == "staff.dashboard":
        return redirect(url_for("audit.audit_log"))
    if not may_open(current_user, request.endpoint):
        raise Forbidden(_("An audit administrator's account reads the audit log and nothing else."))
    return None


def ensure_roles_separated(roles: set[Role]) -> None:
    """三员分立: the audit administrator's role is held alone, so no administrator reads the log."""
    if current_app.config["KIOSK_SEPARATION_OF_DUTIES"] and Role.auditor in roles and len(roles) > 1:
        raise InvalidInput(_("With separation of duties the audit administrator's role cannot be combined with another."))
