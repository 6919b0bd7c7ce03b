"""Staff page of a draft for comment and its decision: the comment period, what came in, the
decision and how it handled each kind of comment."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from kiosk.accounts.permissions import staff_page
from kiosk.consultation import operations as ops
from kiosk.consultation.models import Outcome
from kiosk.core.errors import Conflict, InvalidInput
from kiosk.disclosures.feed import comment_period
from kiosk.extensions import db
from kiosk.public.operations import COMMENT_ROLES

consultation_bp = Blueprint("consultation", __name__, url_prefix="/staff/consultation", template_folder="templates")
EMPTY_ROWS = 3   # blank rows the form offers beyond the saved ones


def consultation_link(notice) -> Markup:
    """On a notice's edit page: the way to its draft-for-comment page, for a draft or a decision."""
    if notice is None or ops.draft_of(notice) is None:
        return Markup("")
    label = _("Comments and the decision") if notice.pre_disclosure else _("Summary of the comments")
    href = url_for("consultation.page", notice_id=notice.id)
    return Markup(f'· <a class="consultation-link" href="{escape(href)}">{escape(label)}</a>')


def _rows_from_form() -> list[dict]:
    rows, number = [], 1
    while f"topic_{number}" in request.form:
        form = {name: request.form.get(f"{name}_{number}", "").strip() for name in ("topic", "count", "outcome", "reason")}
        if any(form.values()) and (form["topic"] or form["reason"]):
            count = form["count"]
            rows.append({**form, "count": int(count) if count.isdigit() and len(count) < 7 else count or None})
        number += 1
    return rows


def _render(notice, rows=None, errors=None, status=200):
    draft = ops.draft_of(notice)
    decision = notice if notice.supersedes_id == draft.id else ops.decision_of(draft)
    saved = ops.handling(decision) if decision else []
    if rows is None:
        rows = [{"topic": r.topic, "count": r.count, "outcome": r.outcome.value, "reason": r.reason} for r in saved]
    return render_template(
        "consultation/page.html", notice=notice, draft=draft, decision=decision, period=comment_period(draft),
        received=ops.received(draft), rows=rows + [{}] * EMPTY_ROWS, saved=saved, errors=errors or {},
        editable=decision is not None and decision.state in ops.EDITABLE_STATES, outcomes=list(Outcome),
        outcome_label=ops.outcome_label), status


@consultation_bp.get("/<int:notice_id>")
@staff_page(*COMMENT_ROLES)
def page(notice_id):
    return _render(ops.visible(current_user, notice_id))


@consultation_bp.post("/<int:notice_id>/decision")
@staff_page(*COMMENT_ROLES)
def start_decision(notice_id):
    draft = ops.draft_of(ops.visible(current_user, notice_id))
    try:
        decision = ops.start_decision(current_user, draft)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".page", notice_id=notice_id))
    db.session.commit()
    flash(_("The decision is started from the draft's text. Edit it, then summarise the comments."))
    return redirect(url_for("disclosures.notice_edit", notice_id=decision.id))


@consultation_bp.post("/<int:notice_id>/handling")
@staff_page(*COMMENT_ROLES)
def save_handling(notice_id):
    notice = ops.visible(current_user, notice_id)
    draft = ops.draft_of(notice)
    decision = notice if notice.supersedes_id == draft.id else ops.decision_of(draft)
    rows = _rows_from_form()
    try:
        if decision is None:
            raise Conflict(_("Start the decision first."))
        ops.save_handling(current_user, decision, rows)
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        return _render(notice, rows, {error.details.get("field", "form"): error.message}, 400 if
                       isinstance(error, InvalidInput) else 409)
    db.session.commit()
    flash(_("The summary of the comments is saved."))
    return redirect(url_for(".page", notice_id=notice_id))
