"""Routes of applications for information: the staff register and an application's page (its steps as
forms that keep what was typed when refused), the acknowledgement, the reply letters, the overdue list;
and the public side: the phone form (the kiosk's QR opens it) and the status page of a token."""
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kiosk.accounts.permissions import staff_page
from kiosk.applications import fees, letters
from kiosk.applications import operations as ops
from kiosk.applications.models import Channel, Status
from kiosk.applications.outcomes import APPLICANT_KINDS, OUTCOME_GROUPS, OUTCOMES
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.extensions import db, limiter
from kiosk.org.models import Unit, UnitKind
from kiosk.public import delivery
from kiosk.public.views import page_links
from kiosk.qr import public_url

staff_bp = Blueprint("applications", __name__, url_prefix="/staff/applications", template_folder="templates")
public_bp = Blueprint("applications_public", __name__, template_folder="templates")
public_bp.context_processor(page_links)
public_bp.after_request(delivery.prepare)
# Filings from one address: a person applies a few times, a script hundreds.
filing_limit = limiter.shared_limit("10 per hour;30 per day", scope="public-application",
                                    deduct_when=lambda response: response.status_code == 201)
WORDS = {"kinds": APPLICANT_KINDS, "forms": ops.FORMS, "deliveries": ops.DELIVERIES, "channels": ops.CHANNELS,
         "statuses": ops.STATUSES, "outcomes": OUTCOMES, "groups": OUTCOME_GROUPS, "dismissals": ops.DISMISSALS}


def _day(text: str | None) -> date | None:
    """A date typed in a form (YYYY-MM-DD), or None when empty; a wrong one is the caller's error."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("Give the date as YYYY-MM-DD."), details={"field": "date"}) from None


# -- staff ----------------------------------------------------------------------------------------

def _townships_for_filing() -> list[Unit]:
    units = db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.path))
    return [unit for unit in units if ops.may_file(current_user, unit)]


@staff_bp.get("/")
@staff_page(*ops.FILING_ROLES)
def register():
    year = request.args.get("year", "")
    status = request.args.get("status", "")
    applications = ops.register_for(current_user, int(year) if year.isdigit() and len(year) == 4 else None, status)
    today = clock.local_today()
    oversees = current_user.has_role(*ops.OVERSIGHT_ROLES)
    return render_template("applications/register.html", applications=applications, words=WORDS,
                           urgency={a.id: ops.urgency(a, today) for a in applications}, year=year, status=status,
                           may_file=bool(_townships_for_filing()), oversees=oversees, fee_rules=ops.FEE_RULES,
                           fee_townships=[(unit, fees.charging_method(unit.id)) for unit in _townships_for_filing()]
                           if oversees else [])


def _file_form(form: dict, error=None, status=200):
    return render_template("applications/file.html", form=form, error=error, words=WORDS,
                           townships=_townships_for_filing(), today=clock.local_today()), status


@staff_bp.route("/new", methods=["GET", "POST"])
@staff_page(*ops.FILING_ROLES)
def file():
    townships = _townships_for_filing()
    if request.method == "GET":
        return _file_form({"township": townships[0].code if townships else ""})
    form = request.form.to_dict()
    try:
        township = ops.get_township(form.get("township", ""))
        channel = Channel(form.get("channel")) if form.get("channel") in Channel.__members__ else None
        if channel is None or channel == Channel.online:
            raise InvalidInput(_("Choose how the application was made."), details={"field": "channel"})
        application = ops.file_application(current_user, township, form, channel, _day(form.get("received_on")))
    except (InvalidInput, NotFound) as error:
        db.session.rollback()
        return _file_form(form, {"field": error.details.get("field"), "message": error.message}, 400)
    db.session.commit()
    flash(_("%(reference)s is registered. Print the acknowledgement for the applicant.",
            reference=application.reference))
    return redirect(url_for(".detail", application_id=application.id))


def _detail(application, error=None, form=None, status=200):
    personal = None
    if ops.may_handle(current_user, application):
        personal = ops.personal_data(current_user, application)
        db.session.commit()   # the reading is in the audit log even if the page fails to draw
    return render_template("applications/detail.html", application=application, personal=personal, words=WORDS,
                           error=error, form=form or {}, urgency=ops.urgency(application, clock.local_today()),
                           handlers=ops.handlers_for(application), oversees=ops.oversees(current_user, application),
                           fee_method=fees.charging_method(application.unit_id), fee_rules=ops.FEE_RULES,
                           Status=Status), status


@staff_bp.get("/<int:application_id>")
@staff_page(*ops.FILING_ROLES)
def detail(application_id):
    return _detail(ops.get_application(current_user, application_id))


def _step(application, action: str, form: dict):
    user = current_user._get_current_object()
    if action == "receive":
        ops.confirm_receipt(user, application, _day(form.get("on")))
    elif action == "assign":
        handler = next((u for u in ops.handlers_for(application) if str(u.id) == form.get("handler")), None)
        if handler is None:
            raise InvalidInput(_("Choose a member of the township's staff."), details={"field": "handler"})
        ops.assign_handler(user, application, handler)
    elif action == "correction":
        ops.request_correction(user, application, form.get("what", ""), _day(form.get("until")))
    elif action == "corrected":
        ops.record_correction(user, application, _day(form.get("on")))
    elif action == "consult":
        ops.start_consultation(user, application, form.get("whom", ""))
    elif action == "consulted":
        ops.end_consultation(user, application, form.get("note", ""))
    elif action == "extend":
        days = form.get("days", "")
        ops.extend(user, application, int(days) if days.isdigit() and len(days) < 4 else -1, form.get("notice", ""))
    elif action == "dismiss":
        ops.dismiss(user, application, form.get("dismissal", ""))
    elif action == "decide":
        pages = form.get("pages", "") or "0"
        ops.decide(user, application, ops.Decision(
            form.get("outcome", ""), form.get("reason", ""), form.get("provided", ""), form.get("late_reason", ""),
            int(pages) if pages.isdigit() and len(pages) < 7 else -1))
    else:
        raise NotFound(_("No such step."))


@staff_bp.post("/<int:application_id>/<action>")
@staff_page(*ops.FILING_ROLES)
def step(application_id, action):
    application = ops.get_application(current_user, application_id)
    form = request.form.to_dict()
    try:
        _step(application, action, form)
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        application = ops.get_application(current_user, application_id)
        return _detail(application, {"action": action, "field": error.details.get("field"),
                                     "message": error.message}, form, error.status)
    db.session.commit()
    flash(_("%(reference)s: saved.", reference=application.reference))
    return redirect(url_for(".detail", application_id=application.id))


@staff_bp.get("/<int:application_id>/acknowledgement")
@staff_page(*ops.FILING_ROLES)
def acknowledgement(application_id):
    """The printed acknowledgement: number, days, the status page's QR; no personal data on it."""
    application = ops.get_application(current_user, application_id)
    return render_template("applications/acknowledgement.html", application=application, words=WORDS,
                           link=public_url(f"a/{application.token}"))


@staff_bp.get("/<int:application_id>/letter.<kind>")
@staff_page(*ops.FILING_ROLES)
def letter(application_id, kind):
    application = ops.get_application(current_user, application_id)
    if kind not in ("docx", "pdf"):
        raise NotFound(_("No such format."))
    if application.status != Status.closed:
        raise Conflict(_("The reply letter is made once the application is decided."), code="not_decided")
    ops.personal_data(current_user, application, purpose=f"letter.{kind}")
    db.session.commit()
    text = letters.reply(application)
    body, mimetype = ((letters.as_docx(text), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                      if kind == "docx" else (letters.as_pdf(text), "application/pdf"))
    name = f"reply-{application.year}-{application.number}.{kind}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "no-store"})


@staff_bp.get("/overdue")
@staff_page(*ops.OVERSIGHT_ROLES)
def overdue():
    return render_template("applications/overdue.html", items=ops.overdue_list(current_user), words=WORDS)


@staff_bp.post("/fees")
@staff_page(*ops.OVERSIGHT_ROLES)
def set_fees():
    township = ops.get_township(request.form.get("township", ""))
    ops.set_fee_method(current_user, township, request.form.get("method", ""))
    db.session.commit()
    flash(_("The fee rule of %(unit)s is saved.", unit=township.name))
    return redirect(url_for(".register"))


# -- public ----------------------------------------------------------------------------------------

def _apply_form(township, form, error=None, status=200):
    delivery.keep_private()
    return render_template("applications/apply.html", township=township, form=form, error=error, words=WORDS,
                           guide=ops.APPLY_GUIDE, link=public_url(f"apply/{township.code}")), status


@public_bp.get("/apply/<code>")
def apply(code):
    """The phone form and the guide to applying; the kiosk's QR opens it."""
    return _apply_form(ops.get_township(code), {})


@public_bp.post("/apply/<code>")
@filing_limit
def apply_send(code):
    township = ops.get_township(code)
    form = {key: value for key, value in request.form.to_dict().items() if key != "csrf_token"}
    try:
        application = ops.submit_online(township, form)
    except InvalidInput as error:
        db.session.rollback()
        return _apply_form(township, form, {"field": error.details.get("field"), "message": error.message}, 400)
    db.session.commit()
    delivery.keep_private()
    # The answer page shows the number and the link, never what was typed.
    return render_template("applications/acknowledged.html", application=application, township=township,
                           link=public_url(f"a/{application.token}")), 201


@public_bp.get("/a/<token>")
def status_page(token):
    """Status and dates only: no name, no contact, no description."""
    application = ops.by_token(token[:64])
    delivery.keep_private()
    return render_template("applications/status.html", application=application, words=WORDS,
                           link=public_url(f"a/{application.token}"))
