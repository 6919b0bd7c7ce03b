"""Staff pages for notices (list, edit with live preview, review, attachments, timeliness,
categories) and the attachment download shared with the public pages."""
from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import ValidationError

from kiosk.accounts.models import Role
from kiosk.accounts.permissions import can_act_on, is_county_administrator, staff_page
from kiosk.core.errors import InvalidInput, KioskError, NotFound
from kiosk.core.validation import by_field, field_errors
from kiosk.disclosures import categories, operations as ops, queries, timeliness
from kiosk.disclosures.checks import check_again
from kiosk.disclosures.audience import township_units
from kiosk.disclosures.feed import is_public
from kiosk.disclosures.models import Attachment, Audience, CategoryGroup, NoticeState, PeriodUnit
from kiosk.disclosures.periods import period_text
from kiosk.disclosures.render import markdown_to_html
from kiosk.disclosures.schemas import REQUIRED_ON_CREATE, NoticeFields
from kiosk.disclosures.uploads import upload_from_request
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.files import stored_path
from kiosk.org.models import UnitKind
from kiosk.render.fonts import PLACEHOLDER, unshown
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS

disclosures_bp = Blueprint("disclosures", __name__, url_prefix="/staff/notices", template_folder="templates",
                           static_folder="static", static_url_path="/static")
files_bp = Blueprint("disclosure_files", __name__)

# What a clerk calls a file, by its media type (the type itself means nothing to them).
_FILE_KINDS = {"application/pdf": _l("PDF file"), "image/": _l("Picture"), "text/": _l("Text file")}


@disclosures_bp.app_template_global()
def file_kind(media_type: str) -> str:
    for prefix, label in _FILE_KINDS.items():
        if media_type == prefix or prefix.endswith("/") and media_type.startswith(prefix):
            return str(label)
    return _("Other file")


_OPTIONAL_FORM_FIELDS = ("show_from", "show_until", "period_length", "period_unit", "supersedes", "doc_number",
                         "summary", "body", "list_item", "comment_from", "comment_until")


def _form_fields() -> dict:
    """The edit form as NoticeFields input: every field present, empty optional ones as None."""
    form = request.form
    data = {name: form.get(name, "") for name in ("category", "unit", "title", "summary", "body", "doc_number",
                                                  "formed_on", "audience", "show_from", "show_until",
                                                  "period_length", "period_unit", "supersedes", "list_item",
                                                  "comment_from", "comment_until")}
    for name in _OPTIONAL_FORM_FIELDS:
        if data[name] == "" and name not in ("doc_number", "summary", "body"):
            data[name] = None
    if not data["unit"]:
        data.pop("unit")
    if data["list_item"] is None:   # a form without the field (no list in the township) files nothing anew
        data.pop("list_item")
    data["villages"] = form.getlist("villages")
    data["pre_disclosure"] = form.get("pre_disclosure") == "on"
    return data


def _validated(data: dict) -> tuple[dict, dict]:
    """(fields, errors by field)."""
    try:
        return NoticeFields.model_validate(data).model_dump(exclude_unset=True), {}
    except ValidationError as error:
        return {}, by_field(field_errors(error, NoticeFields.field_labels))


def _refused(error: KioskError) -> dict:
    """A rule's refusal as messages by field: every field it names, or the form."""
    listed = error.details.get("errors")
    if listed:
        return by_field(listed)
    return {error.details.get("field", "form"): error.message}


def _as_text(value) -> str:
    """A field's value as the form posts it, to tell typed changes from saved values."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, (list, tuple)):
        return ",".join(sorted(str(v) for v in value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def unsaved_changes(notice, data: dict) -> list[str]:
    """The fields of the posted form that differ from the saved notice."""
    saved = _data_from(notice)
    return [name for name in NoticeFields.field_labels
            if name in data and _as_text(data[name]) != _as_text(saved.get(name))]


def _save_posted_form(notice) -> tuple[dict | None, dict]:
    """Save the notice form that came along with an upload or an action (the page sends it with
    them, so nothing typed is lost). (posted data or None when no form came, errors by field)."""
    if "title" not in request.form:
        return None, {}
    data = _form_fields()
    if not unsaved_changes(notice, data):
        return data, {}
    fields, errors = _validated(data)
    if not errors:
        try:
            ops.update_notice(current_user, notice, fields)
        except InvalidInput as error:
            errors = _refused(error)
    if errors:
        db.session.rollback()
    else:
        db.session.commit()
    return data, errors


def _not_saved(notice, data: dict, errors: dict, key: str, message: str):
    """Re-show the form with what was typed, the fields' messages, and which changes are unsaved."""
    notice = ops.visible_notice(current_user, notice.id)
    labels = _("、").join(str(NoticeFields.field_labels[name]) for name in unsaved_changes(notice, data))
    errors = {**errors, key: _("%(message)s Unsaved changes, kept below: %(fields)s.", message=message,
                                fields=labels)}
    return _render_edit(notice, data, errors, 400)


def _editor_choices():
    township = current_user.unit.township
    villages = [u for u in township_units(current_user.unit, [UnitKind.village]) if can_act_on(current_user, u)] \
        if township else []
    if current_user.unit.kind == UnitKind.village:
        villages = [current_user.unit]
    return {"categories": categories.all_categories(), "villages": villages,
            "audiences": ops.audiences_for(current_user.unit),
            "period_units": list(PeriodUnit), "unit_label": ops.unit_label, "period_text": period_text,
            "audience_labels": {audience: ops.audience_label(audience) for audience in Audience},
            "field_labels": {"title": _("title"), "summary": _("summary"), "body": _("text"),
                             "doc_number": _("document number")},
            "check_labels": {"pending": _("waiting for the privacy check"), "running": _("being checked"),
                             "done": _("checked"), "failed": _("check failed")},
            "finding_labels": {"id_number": _("ID number"), "bank_card": _("Bank card number"),
                               "mobile": _("Mobile number"), "address": _("House-number address")}}


def _render_edit(notice, data: dict, errors: dict, status=200):
    details = queries.notice_details(notice) if notice else None
    # A finding names its attachment by field ("attachment:<id>" for its content, "attachment_name:<id>").
    by_field = {f"{prefix}:{item['id']}": item for item in (details or {}).get("attachments", [])
                for prefix in ("attachment", "attachment_name")}
    return render_template("disclosures/edit.html", notice=notice, data=data, errors=errors,
                           details=details, attachments_by_field=by_field, state_label=ops.state_label,
                           revision_label=ops.revision_label, printable=bool(notice) and is_public(notice),
                           **_editor_choices()), status


def _data_from(notice) -> dict:
    details = queries.notice_details(notice)
    for name in ("show_from", "show_until", "comment_from", "comment_until"):
        moment = getattr(notice, name)
        details[name] = moment.astimezone(clock.local_zone()).strftime("%Y-%m-%dT%H:%M") if moment else ""
    details["period_unit"] = notice.period_unit.value if notice.period_unit else ""
    return details


@disclosures_bp.get("/")
@staff_page()
def notice_list():
    state = request.args.get("state") or None
    try:
        state = NoticeState(state) if state else None
    except ValueError:
        raise InvalidInput(_("There is no such state."))
    review = request.args.get("review") == "1"
    notices = queries.notices_visible_to(current_user, state=state, review=review)
    return render_template("disclosures/list.html", notices=notices, state=state, review=review,
                           states=list(NoticeState), state_label=ops.state_label,
                           revision_label=ops.revision_label)


@disclosures_bp.route("/new", methods=["GET", "POST"])
@staff_page(*ops.EDITOR_ROLES)
def notice_new():
    if request.method == "GET":
        village = current_user.unit.kind == UnitKind.village   # a village clerk's notice starts on their village
        return _render_edit(None, {"audience": "villages" if village else "township",
                                   "villages": [current_user.unit.code] if village else [],
                                   "formed_on": clock.local_today().isoformat()}, {})
    data = _form_fields()
    fields, errors = _validated(data)
    # every empty required field at once, beside the other mistakes
    errors = {**errors, **{name: _("This must be filled in.") for name in REQUIRED_ON_CREATE if not data.get(name)}}
    if not errors:
        try:
            notice = ops.create_notice(current_user, fields)
        except InvalidInput as error:
            errors = _refused(error)
        else:
            db.session.commit()
            flash(_("Draft saved."))
            return redirect(url_for("disclosures.notice_edit", notice_id=notice.id))
    return _render_edit(None, data, errors, 400)


@disclosures_bp.route("/<int:notice_id>", methods=["GET", "POST"])
@staff_page()
def notice_edit(notice_id):
    notice = ops.visible_notice(current_user, notice_id)
    if not current_user.has_role(*ops.EDITOR_ROLES):   # reviewers and readers get the read-only page
        return redirect(url_for("disclosures.notice_review", notice_id=notice_id))
    if request.method == "GET":
        return _render_edit(notice, _data_from(notice), {})
    data = _form_fields()
    fields, errors = _validated(data)
    if not errors:
        try:
            ops.update_notice(current_user, notice, fields)
        except InvalidInput as error:
            db.session.rollback()
            errors = _refused(error)
        else:
            db.session.commit()
            flash(_("Changes saved."))
            return redirect(url_for("disclosures.notice_edit", notice_id=notice.id))
    return _render_edit(ops.visible_notice(current_user, notice_id), data, errors, 400)


_ACTIONS = {
    "submit": (lambda n: ops.submit_notice(current_user, n, request.form.get("privacy_note", "")),
               _l("Submitted for review.")),
    "approve": (lambda n: ops.approve_notice(current_user, n, request.form.get("privacy_override", "")),
                _l("Approved.")),
    "return": (lambda n: ops.return_notice(current_user, n, request.form.get("reason", "")), _l("Sent back.")),
    "withdraw": (lambda n: ops.withdraw_notice(current_user, n, request.form.get("reason", "")), _l("Withdrawn.")),
    "archive": (lambda n: ops.archive_notice(current_user, n), _l("Archived.")),
    "mask": (lambda n: ops.mask_findings(current_user, n), _l("Personal data masked.")),
}


@disclosures_bp.get("/<int:notice_id>/review")
@staff_page()
def notice_review(notice_id, errors=None, status=200):
    """The read-only page a reviewer decides on: the version under review, what changed against
    the version before it (a correction or a resubmission), its findings and attachments."""
    notice = ops.visible_notice(current_user, notice_id)
    return render_template("disclosures/review.html", notice=notice, details=queries.notice_details(notice),
                           changes=queries.review_changes(notice), errors=errors or {},
                           unshown=_unshown_warning(notice), printable=is_public(notice),
                           state_label=ops.state_label, revision_label=ops.revision_label,
                           **_editor_choices()), status


def _unshown_warning(notice) -> str:
    """A warning naming the characters of the notice that screens and print sheets cannot draw
    (they show the placeholder instead); empty when there are none. It warns, never blocks."""
    missing = unshown(" ".join((notice.title, notice.summary or "", notice.body or "")))
    if not missing:
        return ""
    named = _("、").join(f"“{character}”（U+{ord(character):04X}）" for character in missing)
    return _("Screens and print sheets cannot show %(characters)s: they appear as %(placeholder)s. "
             "Approving is still possible; replace them if they matter.", characters=named, placeholder=PLACEHOLDER)


# Actions whose form carries the editor's notice form: it is saved first.
_SAVES_FIRST = ("submit", "mask")
# Actions a reviewer takes on the review page.
_REVIEW_ACTIONS = ("approve", "return")


@disclosures_bp.post("/<int:notice_id>/<any(submit, approve, return, withdraw, archive, mask):action>")
@staff_page()
def notice_action(notice_id, action):
    notice = ops.visible_notice(current_user, notice_id)
    data = None
    if action in _SAVES_FIRST:
        data, errors = _save_posted_form(notice)
        if errors:
            return _not_saved(notice, data, errors, f"action_{action}", _("Not done: correct the fields marked first."))
        notice = ops.visible_notice(current_user, notice_id)
    perform, done = _ACTIONS[action]
    try:
        perform(notice)
    except KioskError as error:
        if error.status == 403 or error.status == 404:
            raise
        db.session.rollback()
        if action in _REVIEW_ACTIONS or not current_user.has_role(*ops.EDITOR_ROLES):
            return notice_review(notice_id, errors={f"action_{action}": error.message}, status=error.status)
        notice = ops.visible_notice(current_user, notice_id)
        return _render_edit(notice, data or _data_from(notice), {f"action_{action}": error.message}, error.status)
    db.session.commit()
    flash(str(done))
    if action == "approve" and (warning := _unshown_warning(notice)):
        flash(warning, "warning")
    if action in _REVIEW_ACTIONS:
        return redirect(url_for("disclosures.notice_review", notice_id=notice_id))
    return redirect(url_for("disclosures.notice_edit", notice_id=notice_id))


@disclosures_bp.post("/<int:notice_id>/attachments")
@staff_page(*ops.EDITOR_ROLES)
def attachment_upload(notice_id):
    notice = ops.visible_notice(current_user, notice_id)
    data, errors = _save_posted_form(notice)
    if errors:
        return _not_saved(notice, data, errors, "file",
                          _("The file was not uploaded: correct the fields marked first."))
    notice = ops.visible_notice(current_user, notice_id)
    try:
        upload_from_request(current_user, notice)
    except KioskError as error:
        if error.status in (403, 404):
            raise
        db.session.rollback()
        notice = ops.visible_notice(current_user, notice_id)
        return _render_edit(notice, data or _data_from(notice), {"file": error.message}, error.status)
    db.session.commit()
    flash(_("Attachment added."))
    return redirect(url_for("disclosures.notice_edit", notice_id=notice_id) + "#attachments")


@disclosures_bp.post("/<int:notice_id>/attachments/<int:attachment_id>/remove")
@staff_page(*ops.EDITOR_ROLES)
def attachment_remove(notice_id, attachment_id):
    notice = ops.visible_notice(current_user, notice_id)
    ops.remove_attachment(current_user, _attachment_of(notice, attachment_id))
    db.session.commit()
    flash(_("Attachment removed."))
    return redirect(url_for("disclosures.notice_edit", notice_id=notice_id) + "#attachments")


def _parse_boxes(text: str) -> list[list[int]]:
    """"l,t,r,b; l,t,r,b" from the form."""
    try:
        return [[int(value) for value in part.split(",")] for part in text.split(";") if part.strip()]
    except ValueError:
        raise InvalidInput(_("A box is four numbers: left, top, right, bottom."), details={"field": "boxes"})


@disclosures_bp.post("/<int:notice_id>/attachments/<int:attachment_id>/redact")
@staff_page()
def attachment_redact(notice_id, attachment_id):
    notice = ops.visible_notice(current_user, notice_id)
    attachment = _attachment_of(notice, attachment_id)
    try:
        ops.redact_image(current_user, attachment, _parse_boxes(request.form.get("boxes", "")),
                         current_app.config["KIOSK_ATTACHMENT_MAX_MB"] * 1024 * 1024)
    except KioskError as error:
        if error.status in (403, 404):
            raise
        db.session.rollback()
        notice = ops.visible_notice(current_user, notice_id)
        return _render_edit(notice, _data_from(notice), {"file": error.message}, error.status)
    db.session.commit()
    flash(_("The box is blacked out. The picture is being checked again."))
    return redirect(url_for("disclosures.notice_edit", notice_id=notice_id) + "#attachments")


@disclosures_bp.post("/<int:notice_id>/attachments/<int:attachment_id>/check")
@staff_page()
def attachment_check(notice_id, attachment_id):
    notice = ops.visible_notice(current_user, notice_id)
    attachment = _attachment_of(notice, attachment_id)
    ops.ensure_editor(current_user, notice)
    check_again(attachment)
    db.session.commit()
    flash(_("The attachment will be checked again."))
    return redirect(url_for("disclosures.notice_edit", notice_id=notice_id) + "#attachments")


def _attachment_of(notice, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.notice_id != notice.id or attachment.removed_at:
        raise NotFound(_("There is no such attachment."))
    return attachment


@disclosures_bp.post("/preview")
@staff_page()
def preview():
    """The sanitised rendering of a draft, for the live preview beside the form."""
    return jsonify({"title": request.form.get("title", "")[:200], "summary": request.form.get("summary", "")[:500],
                    "body_html": markdown_to_html(request.form.get("body", "")[:100_000])})


@disclosures_bp.get("/timeliness")
@staff_page()
def timeliness_page():
    return render_template("disclosures/timeliness.html", slow=timeliness.slow_notices(current_user),
                           limit=timeliness.LIMIT_WORKING_DAYS, stale=timeliness.stale_notices(current_user))


@disclosures_bp.route("/categories", methods=["GET", "POST"])
@staff_page()
def category_list():
    errors = {}
    if request.method == "POST":
        from kiosk.disclosures.api import CategoryBody
        form = {key: value for key, value in request.form.items() if key != "csrf_token" and value != ""}
        form["active"] = request.form.get("active") == "on"
        try:
            categories.save_category(current_user, CategoryBody.model_validate(form).model_dump())
        except ValidationError as error:
            errors = by_field(field_errors(error, CategoryBody.field_labels))
        except InvalidInput as error:
            errors = _refused(error)
        else:
            db.session.commit()
            flash(_("Category saved."))
            return redirect(url_for("disclosures.category_list"))
    return render_template("disclosures/categories.html", categories=categories.all_categories(include_inactive=True),
                           groups=list(CategoryGroup), period_units=list(PeriodUnit), errors=errors,
                           unit_label=ops.unit_label, period_text=period_text, form=request.form,
                           can_edit=is_county_administrator(current_user)), (400 if errors else 200)


@files_bp.get("/n/<slug>/a/<int:attachment_id>/<stored_name>")
def attachment(slug, attachment_id, stored_name):
    """An attachment, for the public while its notice is public, and for staff of its units."""
    notice = ops.get_notice_by_slug(slug)
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.notice_id != notice.id or item.stored_name != stored_name or item.removed_at:
        abort(404)
    staff = current_user.is_authenticated and can_act_on(current_user, notice.unit)
    if not staff and not is_public(notice):
        abort(404)
    # The uploaded name is never used in a header: the download is named by the index number.
    download_name = f"{notice.index_number or notice.slug}-{item.id}.{item.stored_name.rsplit('.', 1)[1]}"
    # Staff see what was uploaded; the public only the copy that was made and checked.
    path = stored_path(item.stored_name, ops.UPLOAD_AREA) if staff else ops.public_copy(item)
    response = send_file(path, mimetype=item.media_type,
                         download_name=download_name, as_attachment=request.args.get("download") == "1",
                         max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


def _dashboard_panel():
    from flask_login import current_user as user
    stale = timeliness.stale_notices(user)
    review = queries.notices_visible_to(user, review=True) if user.has_role(Role.reviewer) else []
    returned = queries.returned_to(user) if user.has_role(*ops.EDITOR_ROLES) else []
    if not stale and not review and not returned:
        return None
    return {"title": _("Notices"), "template": "disclosures/dashboard_panel.html",
            "stale": stale, "review": review, "returned": returned}


DASHBOARD_PANELS.append(_dashboard_panel)
add_nav(NavItem("disclosures.notice_list", _l("Notices"), order=10))
add_nav(NavItem("disclosures.timeliness_page", _l("Timeliness"), order=12))
add_nav(NavItem("disclosures.category_list", _l("Categories"), roles=(Role.administrator,), order=80))
