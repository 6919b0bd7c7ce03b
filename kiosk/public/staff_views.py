"""Staff pages of the public side: comments to answer and publish, and (for administrators)
each township's guide, supervision page and complaint channels."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk.accounts.models import Role
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, staff_page
from kiosk.core.errors import InvalidInput, KioskError
from kiosk.extensions import db
from kiosk.public import operations as ops
from kiosk.public.forms import KIND_LABELS
from kiosk.public.models import ChannelKind, PageKind
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS

public_staff_bp = Blueprint("public_staff", __name__, url_prefix="/staff/public", template_folder="templates",
                            static_folder="static", static_url_path="/static")



@public_staff_bp.get("/comments")
@staff_page(*ops.COMMENT_ROLES)
def comments():
    pending_only = request.args.get("show") != "all"
    notice_id = request.args.get("notice", type=int)      # one notice's comments, e.g. from its edit page
    return render_template("public/staff_comments.html", kind_labels=KIND_LABELS, errors={},
                           comments=ops.comments_for(current_user, pending_only, notice_id=notice_id),
                           pending_only=pending_only)


@public_staff_bp.post("/comments/<int:comment_id>")
@staff_page(*ops.COMMENT_ROLES)
def answer(comment_id):
    comment = ops.comment_for(current_user, comment_id)
    try:
        ops.answer_comment(current_user, comment, request.form.get("answer", ""), request.form.get("public") == "on")
    except InvalidInput as error:
        db.session.rollback()
        return render_template("public/staff_comments.html", comments=[comment], pending_only=False,
                               kind_labels=KIND_LABELS, errors={comment_id: error.message}), 400
    db.session.commit()
    flash(_("The answer is saved.") if not comment.public else _("The answer is saved and shown on the notice page."))
    return redirect(url_for("public_staff.comments", show=request.args.get("show", "pending"),
                            notice=request.args.get("notice", type=int)))


def _editable_townships():
    return [unit for unit in ops.townships() if can_act_on(current_user, unit)]


@public_staff_bp.get("/pages")
@staff_page(Role.administrator)
def townships():
    units = _editable_townships()
    if len(units) == 1:
        return redirect(url_for("public_staff.edit_pages", code=units[0].code))
    return render_template("public/staff_townships.html", townships=units)


@public_staff_bp.route("/pages/<code>", methods=["GET", "POST"])
@staff_page(Role.administrator)
def edit_pages(code):
    township = ops.township_by_code(code)
    ensure_can_act_on(current_user, township)  # reading another township's settings too
    errors = {}
    if request.method == "POST":
        try:
            for kind in PageKind:
                ops.save_page(current_user, township, kind, request.form.get(kind.value, ""))
            for kind in ChannelKind:
                ops.save_channel(current_user, township, kind, request.form.get(f"{kind.value}.label", ""),
                                 request.form.get(f"{kind.value}.value", ""), request.form.get(f"{kind.value}.note", ""))
        except KioskError as error:   # a wrong value, or personal data on a public page
            db.session.rollback()
            errors[error.details.get("field", "form")] = error.message
        else:
            db.session.commit()
            flash(_("The public pages of %(name)s are saved.", name=township.name))
            return redirect(url_for("public_staff.edit_pages", code=code))
    existing = {channel.kind: channel for channel in ops.channels(township, shown_only=False)}
    return render_template("public/staff_pages.html", township=township, errors=errors, form=request.form,
                           pages={kind: ops.page_body(township, kind) for kind in PageKind},
                           channels=existing, channel_labels=ops.CHANNEL_LABELS, page_labels=ops.PAGE_LABELS,
                           posted=request.method == "POST"), (400 if errors else 200)


def _dashboard_panel():
    """Visitors' comments waiting for an answer, on the dashboard of those who answer them."""
    if not current_user.has_role(*ops.COMMENT_ROLES):
        return None
    waiting = ops.comments_for(current_user, pending_only=True)
    if not waiting:
        return None
    return {"title": _("Comments"), "template": "public/dashboard_panel.html", "waiting": waiting}


DASHBOARD_PANELS.append(_dashboard_panel)
add_nav(NavItem("public_staff.comments", _l("Comments"), roles=ops.COMMENT_ROLES, order=14))
add_nav(NavItem("public_staff.townships", _l("Public pages"), roles=(Role.administrator,), order=82))
