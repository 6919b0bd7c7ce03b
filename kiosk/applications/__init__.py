"""Applications for government information (依申请公开): the register, its statutory clock on the
township's calendar, reply letters, and table 三 of the annual report (figures.py)."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user

from kiosk.audit.sentences import ACTIONS, FIELDS, OBJECTS, name_values
from kiosk.staff.views import DASHBOARD_PANELS

# The audit log's sentences for this feature's entries.
ACTIONS.update({
    "applications.filed": _lp("audit action", "registered"),
    "applications.received": _lp("audit action", "confirmed the receipt of"),
    "applications.assigned": _lp("audit action", "assigned a handler to"),
    "applications.correction_requested": _lp("audit action", "asked for a correction of"),
    "applications.corrected": _lp("audit action", "recorded the correction of"),
    "applications.lapsed": _lp("audit action", "closed as not corrected"),
    "applications.consultation_started": _lp("audit action", "consulted a third party on"),
    "applications.consultation_ended": _lp("audit action", "ended the consultation on"),
    "applications.extended": _lp("audit action", "extended the period of"),
    "applications.decided": _lp("audit action", "answered"),
    "applications.personal_data_viewed": _lp("audit action", "read the applicant's personal data of"),
    "applications.erased": _lp("audit action", "erased the applicant's personal data of"),
    "applications.dismissed": _lp("audit action", "dismissed (personal data erased)"),
    "applications.fees_set": _lp("audit action", "set the fee rule of"),
})
OBJECTS["info_application"] = _l("application for information")
FIELDS.update({"application_status": _l("status"), "channel": _l("how it was made"),
               "applicant_kind": _l("applicant"), "received_on": _l("day of receipt"), "due_on": _l("answer due"),
               "handler_id": _l("handler"), "outcome": _l("result"), "decided_on": _l("answered on"),
               "purpose": _l("read for"), "fees": _l("fee rule")})


def _named(labels: dict):
    return lambda value: str(labels[value]) if value in labels else value


def _name_values():
    from kiosk.applications.operations import CHANNELS, FEE_RULES, STATUSES
    from kiosk.applications.outcomes import APPLICANT_KINDS, OUTCOMES
    name_values(application_status=_named({status.value: label for status, label in STATUSES.items()}),
                channel=_named({channel.value: label for channel, label in CHANNELS.items()}),
                applicant_kind=_named(APPLICANT_KINDS), outcome=_named({c: o.label for c, o in OUTCOMES.items()}),
                fees=_named(FEE_RULES))


def _dashboard_panel():
    """Applications due within 3 working days or overdue, for their handler and the overseers."""
    from kiosk.applications.operations import FILING_ROLES, OVERSIGHT_ROLES, due_soon_or_overdue
    from kiosk.core import clock
    if not current_user.has_role(*FILING_ROLES):
        return None
    items = due_soon_or_overdue(clock.now(), [current_user.unit])
    if not current_user.has_role(*OVERSIGHT_ROLES):
        items = [item for item in items if item.application.handler_id == current_user.id]
    return {"title": _l("Applications due soon"), "template": "applications/dashboard_panel.html",
            "items": items} if items else None


DASHBOARD_PANELS.append(_dashboard_panel)


def register(app):
    from kiosk.applications import api, conditions, jobs  # noqa: F401  (API operations, condition, daily job)
    from kiosk.applications.operations import FILING_ROLES
    from kiosk.applications.views import public_bp, staff_bp
    from kiosk.staff import NavItem, add_nav

    _name_values()
    app.register_blueprint(staff_bp)
    app.register_blueprint(public_bp)
    add_nav(NavItem("applications.register", _l("Applications for information"), roles=FILING_ROLES, order=18))
