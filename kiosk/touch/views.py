"""The touch kiosk's routes: the app shell and its files, the JSON it reads (one start bundle,
notices, a notice, document pages), the visitors' message form and its pinyin input; the public page a guide's QR
opens; and the staff pages for guides and messages."""
from flask import (Blueprint, Response, flash, jsonify, redirect, render_template, request,
                   send_from_directory, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.accounts.permissions import staff_page
from kiosk.applications.operations import kiosk_entry
from kiosk.core.errors import InvalidInput, NotFound
from kiosk.extensions import csrf, db
from kiosk.paths import DISPLAY_DIR
from kiosk.public import delivery
from kiosk.public.operations import channels
from kiosk.public.views import page_links
from kiosk.qr import public_url, qr_svg
from kiosk.queue import operations as queue_ops
from kiosk.queue.printing import print_mode
from kiosk.queue.public import rating_levels
from kiosk.queue.status import hall_status
from kiosk.screens.devices import current_screen, screen_required
from kiosk.screens.models import ScreenKind
from kiosk.surveys.views import kiosk_survey, survey_strings
from kiosk.touch import limits
from kiosk.touch import operations as ops
from kiosk.touch.models import MessageStatus
from kiosk.touch.pinyin_input import candidates
from kiosk.touch.strings import kiosk_strings

touch_bp = Blueprint("touch", __name__, url_prefix="/touch", template_folder="templates")
# The kiosk proves itself with its device token (the X-Screen-Token header, or its SameSite cookie,
# which another site's page does not get sent along); the API's writes also check the page's CSRF
# token, in the shell's meta tag.
csrf.exempt(touch_bp)
TOUCH_DIR = DISPLAY_DIR / "touch"
NO_STORE = {"Cache-Control": "no-store"}
KIOSK = (ScreenKind.touch_kiosk,)



def _hall(screen):
    hall = ops.kiosk_hall(screen)
    if hall is None:
        raise NotFound(_("This kiosk belongs to no service hall."))
    return hall


@touch_bp.get("/")
def home():
    """The app shell, the same for every kiosk (so the service worker can keep it)."""
    screen = current_screen()
    if screen is None:
        return redirect(url_for("screen_player.pairing_page"))
    if screen.kind != ScreenKind.touch_kiosk:
        return redirect(url_for("screen_player.player"))
    return Response(render_template("touch/app.html"), headers=NO_STORE)


@touch_bp.get("/sw.js")
def service_worker():
    response = send_from_directory(TOUCH_DIR, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/touch/"
    return response


@touch_bp.get("/files/<path:name>")
def touch_file(name):
    return send_from_directory(TOUCH_DIR, name, max_age=0)


@touch_bp.get("/start.json")
@screen_required(*KIOSK)
def start(screen):
    """Everything the kiosk needs before a visitor touches it; kept by the service worker."""
    hall = _hall(screen)
    township = hall.township
    queue = hall_status(hall)
    materials = {service.id: service.material_list for service in queue_ops.services_of(hall, active_only=True)}
    supervision = url_for("public.supervision", code=township.code)
    return jsonify({
        "hall": {"code": hall.code, "name": hall.name}, "township": {"code": township.code, "name": township.name},
        "locale": "zh-CN" if str(get_locale()) == "zh" else "en",
        "services": [{**service, "materials": materials.get(service["id"], [])} for service in queue["services"]],
        "printer": print_mode(),
        "categories": [{"code": c.code, "name": c.name, "colour": c.colour} for c in ops.government_categories()],
        "quick_words": ops.quick_words(),
        "villages": [{"code": v.code, "name": v.name} for v in ops.villages_of(township)],
        "guides": [ops.guide_json(guide) for guide in ops.guides_of(hall)],
        "channels": [{"kind": c.kind.value, "label": c.label, "value": c.value, "note": c.note,
                      "qr": url_for(".tel_qr", number=c.value.replace(" ", "")) if c.is_phone else f"/qr{supervision}.svg"}
                     for c in channels(township)],
        "topics": [{"code": code, "label": str(label)} for code, label in ops.TOPICS.items()],
        "applications": kiosk_entry(township),
        "levels": [{"level": level, "label": label} for level, label in rating_levels()],
        "survey": kiosk_survey(township),
        "strings": {**kiosk_strings(), **survey_strings()},
    }), 200, NO_STORE


@touch_bp.get("/notices.json")
@screen_required(*KIOSK)
def notices(screen):
    """Notices of the kiosk's township; with search words, also the ids of the hall's guides they find."""
    args = request.args
    hall, q = _hall(screen), args.get("q", "").strip()[:60]
    found = ops.browse(hall.township, category=args.get("category", "")[:40], village=args.get("village", "")[:40], q=q)
    return jsonify({"notices": found, "guides": ops.search_guides(hall, q)}), 200, NO_STORE


@touch_bp.get("/notices/<int:notice_id>.json")
@screen_required(*KIOSK)
def notice(notice_id, screen):
    return jsonify(ops.readable_notice(_hall(screen).township, notice_id)), 200, NO_STORE


@touch_bp.get("/documents/<int:attachment_id>/<int:page>.png")
@screen_required(*KIOSK)
def document_page(attachment_id, page, screen):
    """A page of a notice's PDF as a picture: no plug-in, nothing to download. A document never
    changes under its stored name, so the browser may keep the page for a week."""
    png = ops.document_page_png(_hall(screen).township, attachment_id, page)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=604800"})


@touch_bp.get("/qr/tel/<number>.svg")
def tel_qr(number):
    """A phone line as a QR code a phone dials (tel:), for the complaint and supervision lines."""
    if not number.replace("-", "").isdigit() or len(number) > 20:
        raise InvalidInput(_("Not a phone number."))
    return Response(qr_svg(f"tel:{number}"), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@touch_bp.get("/pinyin.json")
@screen_required(*KIOSK)
def pinyin(screen):
    """The words the letters typed in the message form may stand for (the form's pinyin input)."""
    return jsonify({"candidates": candidates(request.args.get("letters", "")[:60])}), 200, NO_STORE


@touch_bp.post("/messages")
@screen_required(*KIOSK)
def leave_message(screen):
    budgets = limits.message_budgets(screen.id)
    limits.ensure_room(budgets, limits.too_many_messages)
    body = request.get_json(silent=True) or {}
    ops.leave_message(_hall(screen), str(body.get("topic", "")), str(body.get("message", "")),
                      str(body.get("phone", "")))
    db.session.commit()
    limits.count(budgets)
    return jsonify({"message": _("Thank you. Your message has reached the hall's staff.")}), 201


# -- the page a guide's QR opens on a phone ---------------------------------------------------------

guide_public_bp = Blueprint("touch_public", __name__, template_folder="templates")
# A public page like the others: their layout's links, caching and content policy.
guide_public_bp.context_processor(page_links)
guide_public_bp.after_request(delivery.prepare)


@guide_public_bp.get("/service-guides/<int:guide_id>")
def guide_page(guide_id):
    guide = ops.get_guide(guide_id)
    return render_template("touch/guide_page.html", guide=ops.guide_json(guide), hall=guide.hall,
                           link=public_url(f"service-guides/{guide.id}"))


# -- staff: guides and messages ---------------------------------------------------------------------

touch_staff_bp = Blueprint("touch_staff", __name__, url_prefix="/staff/touch", template_folder="templates")


@touch_staff_bp.get("/guides")
@staff_page(*ops.GUIDE_ROLES)
def guides():
    halls = ops.guide_halls(current_user)
    return render_template("touch/staff_guides.html", halls=[(hall, ops.guides_of(hall)) for hall in halls])


def _guide_form(hall, guide=None, status=200, error=None, form=None):
    return render_template("touch/staff_guide_form.html", hall=hall, guide=guide, error=error,
                           form=form if form is not None else (ops.guide_json(guide) if guide else {}),
                           services=queue_ops.services_of(hall)), status


@touch_staff_bp.route("/halls/<code>/guides/new", methods=["GET", "POST"])
@touch_staff_bp.route("/guides/<int:guide_id>", methods=["GET", "POST"])
@staff_page(*ops.GUIDE_ROLES)
def edit_guide(code=None, guide_id=None):
    guide = ops.get_guide(guide_id) if guide_id else None
    hall = guide.hall if guide else queue_ops.get_hall(code)
    if request.method == "GET":
        return _guide_form(hall, guide)
    if request.form.get("delete") and guide is not None:
        ops.delete_guide(current_user, guide)
        db.session.commit()
        flash(_("The guide is deleted."))
        return redirect(url_for(".guides"))
    service = request.form.get("service", "")
    try:
        saved = ops.save_guide(current_user, hall, request.form, int(service) if service.isdigit() else None, guide)
    except InvalidInput as error:
        db.session.rollback()
        # What was typed stays in the form, with the message beside the field concerned.
        form = {**request.form.to_dict(), "materials": request.form.get("materials", "").splitlines(),
                "steps": request.form.get("steps", "").splitlines()}
        return _guide_form(hall, guide, 400, {"field": error.details.get("field"), "message": error.message}, form)
    db.session.commit()
    flash(_("The guide %(title)s is saved; the kiosk shows it now.", title=saved.title))
    return redirect(url_for(".guides"))


@touch_staff_bp.get("/messages")
@staff_page(*ops.MESSAGE_ROLES)
def messages():
    pending_only = request.args.get("show") != "all"
    return render_template("touch/staff_messages.html", messages=ops.messages_for(current_user, pending_only),
                           topics=ops.TOPICS, pending_only=pending_only, error=None)


@touch_staff_bp.post("/messages/<int:message_id>")
@staff_page(*ops.MESSAGE_ROLES)
def handle_message(message_id):
    status = MessageStatus.dismissed if request.form.get("dismiss") else MessageStatus.answered
    try:
        ops.handle_message(current_user, message_id, status, request.form.get("reply", ""))
    except InvalidInput as error:
        db.session.rollback()
        return render_template("touch/staff_messages.html", messages=ops.messages_for(current_user, True),
                               topics=ops.TOPICS, pending_only=True,
                               error={"id": message_id, "message": error.message,
                                      "reply": request.form.get("reply", "")}), 400
    db.session.commit()
    flash(_("The message is closed."))
    return redirect(url_for(".messages"))
