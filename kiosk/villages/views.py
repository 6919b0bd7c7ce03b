"""Staff pages of the village's year: what each village owes (due, done, overdue), the township's
list, the village committee markers and the categories the supervision committee signs, the
sign-off queue, and the public days; the dashboard panel with the public day's countdown."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user
from sqlalchemy import select

from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, staff_page
from kiosk.core import clock
from kiosk.core.errors import InvalidInput, KioskError, NotFound
from kiosk.disclosures.categories import all_categories
from kiosk.disclosures.models import CategoryGroup
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.staff import NavItem, add_nav
from kiosk.staff.views import DASHBOARD_PANELS
from kiosk.villages import committee, due, items, public_days, questions
from kiosk.villages.models import Cadence, Channel, CommitteeMember

villages_bp = Blueprint("villages", __name__, url_prefix="/staff/villages", template_folder="templates")
STATE_LABELS = {"done": _lp("village item", "done"), "due": _lp("village item", "due"),
                "overdue": _lp("village item", "overdue")}


def _township() -> Unit:
    """The township the page is about: the user's own, or (above townships) the one chosen."""
    unit = current_user.unit
    if unit.kind == UnitKind.village or unit.kind == UnitKind.hall:
        return unit.township
    if unit.kind == UnitKind.township:
        return unit
    code = request.values.get("township", "")
    townships = [u for u in db.session.scalars(select(Unit).where(Unit.kind == UnitKind.township).order_by(Unit.id))
                 if can_act_on(current_user, u)]
    chosen = next((u for u in townships if u.code == code), townships[0] if townships else None)
    if chosen is None:
        raise NotFound(_("There is no township to show."))
    return chosen


def _scope() -> Unit:
    """The villages the overview shows: the user's unit, or one village of it (?village=code)."""
    code = request.args.get("village", "")
    if code:
        village = db.session.scalar(select(Unit).where(Unit.code == code, Unit.kind == UnitKind.village))
        if village is None or not can_act_on(current_user, village):
            raise NotFound(_("There is no such village."))
        return village
    return current_user.unit


def _may_edit(township: Unit) -> bool:
    return current_user.has_role(Role.administrator) and can_act_on(current_user, township)


def _labels() -> dict:
    return {"state_labels": STATE_LABELS, "cadence_label": cadence_label,
            "channel_labels": {channel.value: label for channel, label in items.CHANNEL_LABELS.items()},
            "cadence_labels": items.CADENCE_LABELS}


@villages_bp.app_template_global()
def cadence_label(item) -> str:
    """An item's cadence in words, with its due day."""
    if item.cadence == Cadence.monthly:
        return _("monthly, by the %(day)sth", day=item.due_day)
    if item.cadence == Cadence.quarterly:
        return _("quarterly, by the %(day)sth of the quarter's first month", day=item.due_day)
    if item.cadence == Cadence.after_approval:
        return _("within %(days)s days of the approval", days=item.due_day)
    if item.cadence == Cadence.at_once:
        return _("at once") if not item.due_day else _("at once, within %(days)s days", days=item.due_day)
    return str(items.CADENCE_LABELS[item.cadence])


@villages_bp.app_template_global()
def filing_choices() -> list:
    """The items the current user may file a notice under (their township's list), for the notice form."""
    if not current_user.is_authenticated or current_user.unit.township is None:
        return []
    return items.list_items(current_user.unit.township)


@villages_bp.app_template_global()
def village_questions_open(notice) -> bool:
    return questions.questions_open(notice)


@villages_bp.app_template_global()
def question_answer_due(comment):
    """The last day to answer a villager's question (the staff comments page)."""
    return questions.answer_due(comment)


@villages_bp.app_template_global()
def today_local():
    return clock.local_today()


@villages_bp.app_context_processor
def _answer_days():
    return {"answer_days": questions.ANSWER_DAYS}


def _commit_seeded() -> None:
    """The list is seeded on first use: keep it."""
    if db.session.new:
        db.session.commit()


@villages_bp.get("/")
@staff_page()
def overview():
    scope = _scope()
    today = clock.local_today()
    township = scope.township if scope.kind != UnitKind.township else scope
    if township is not None:
        items.list_items(township)
        _commit_seeded()
    owed = due.statuses(scope, today)
    by_village: dict = {}
    for status in owed:
        by_village.setdefault(status.village, []).append(status)
    late = sorted([s for s in owed if s.state == "overdue"], key=lambda s: (-s.overdue_days, s.village.path))
    return render_template("villages/overview.html", scope=scope, by_village=by_village, overdue=late, today=today,
                           questions=questions.open_questions(scope, today),
                           checklists=public_days.checklists(scope, today),
                           waiting=committee.waiting_for(current_user),
                           villages=due.villages_in(current_user.unit), township=township, **_labels())


def _item_fields(form) -> dict:
    due_day = form.get("due_day", "").strip()
    return {"name": form.get("name", ""), "basis": form.get("basis", ""), "cadence": form.get("cadence", ""),
            "due_day": int(due_day) if due_day.isdigit() and len(due_day) < 4 else (0 if not due_day else -1),
            "responsible": form.get("responsible", ""), "channels": form.getlist("channels"),
            "active": form.get("active") == "on"}


@villages_bp.route("/list", methods=["GET", "POST"])
@staff_page()
def item_list():
    township = _township()
    errors, posted = {}, None
    if request.method == "POST":
        item_id = request.form.get("item", "0")
        posted = item_id
        try:
            item = items.get_item(int(item_id)) if item_id.isdigit() and int(item_id) else None
            items.save_item(current_user, township, _item_fields(request.form), item)
        except KioskError as error:
            if error.status in (403, 404):
                raise
            db.session.rollback()
            errors[error.details.get("field", "form")] = error.message
        else:
            db.session.commit()
            flash(_("The list is saved."))
            return redirect(url_for("villages.item_list", township=township.code))
    rows = items.list_items(township, include_inactive=True)
    _commit_seeded()
    return render_template("villages/list.html", township=township, items=rows, errors=errors, posted=posted,
                           form=request.form, can_edit=_may_edit(township), cadences=list(Cadence),
                           channels=list(Channel), **_labels()), (400 if errors else 200)


@villages_bp.route("/committee", methods=["GET", "POST"])
@staff_page()
def committee_page():
    township = _township()
    error = None
    if request.method == "POST":
        try:
            _committee_action(township)
        except KioskError as refused:
            if refused.status in (403, 404):
                raise
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("villages.committee_page", township=township.code))
    villages = due.villages_in(township)
    accounts = list(db.session.scalars(select(User).join(Unit, Unit.id == User.unit_id)
                                       .where(Unit.path.startswith(township.path)).order_by(Unit.path, User.username)))
    return render_template("villages/committee.html", township=township, error=error, villages=villages,
                           accounts=accounts, members=committee.committee_members(township),
                           supervisors={v.id: committee.supervisors_of(v) for v in villages},
                           categories=all_categories(), chosen=committee.sign_off_categories(township),
                           village_group=CategoryGroup.village_affairs, can_edit=_may_edit(township),
                           form=request.form), (409 if error else 200)


def _committee_action(township: Unit) -> None:
    action = request.form.get("action")
    if action == "mark":
        village = db.session.scalar(select(Unit).where(Unit.code == request.form.get("village", ""),
                                                       Unit.kind == UnitKind.village))
        user = db.session.scalar(select(User).where(User.username == request.form.get("username", "")))
        if village is None or not township.contains(village):
            raise InvalidInput(_("Choose a village of the township."), details={"field": "village"})
        if user is None:
            raise InvalidInput(_("There is no such account."), details={"field": "username"})
        committee.mark_committee_member(current_user, village, user)
    elif action == "unmark":
        member = db.session.get(CommitteeMember, request.form.get("member", type=int) or 0)
        if member is None or not township.contains(member.village):
            raise NotFound(_("There is no such member."))
        committee.unmark_committee_member(current_user, member)
    elif action == "categories":
        ids = {int(value) for value in request.form.getlist("categories") if value.isdigit() and len(value) < 10}
        committee.set_sign_off_categories(current_user, township, ids)
    else:
        raise InvalidInput(_("There is no such action."))


@villages_bp.get("/sign-off")
@staff_page(Role.supervisor)
def sign_off_queue():
    return render_template("villages/sign_off.html", waiting=committee.waiting_for(current_user), errors={})


@villages_bp.post("/sign-off/<int:notice_id>")
@staff_page(Role.supervisor)
def sign_off(notice_id):
    notice = committee.get_village_notice(current_user, notice_id)
    try:
        if request.form.get("action") == "refuse":
            committee.refuse_sign_off(current_user, notice, request.form.get("reason", ""))
            done = _("Sent back to the village.")
        else:
            committee.sign_off(current_user, notice, request.form.get("note", ""))
            done = _("Signed off: the notice goes on to the township's reviewer.")
    except KioskError as error:
        if error.status in (403, 404):
            raise
        db.session.rollback()
        return render_template("villages/sign_off.html", waiting=committee.waiting_for(current_user),
                               errors={notice_id: error.message}), error.status
    db.session.commit()
    flash(done)
    return redirect(url_for("villages.sign_off_queue"))


@villages_bp.route("/public-days", methods=["GET", "POST"])
@staff_page()
def public_day_page():
    township = _township()
    errors = {}
    if request.method == "POST":
        try:
            _public_day_action(township)
        except KioskError as error:
            if error.status in (403, 404):
                raise
            db.session.rollback()
            errors[error.details.get("field", "form")] = error.message
        else:
            db.session.commit()
            flash(_("The public days are saved."))
            return redirect(url_for("villages.public_day_page", township=township.code))
    return render_template("villages/public_days.html", township=township, days=public_days.public_days(township),
                           items=items.list_items(township), errors=errors, form=request.form,
                           can_edit=_may_edit(township), today=clock.local_today(),
                           occurrence=public_days.occurrence), (400 if errors else 200)


def _number(name: str):
    value = request.form.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 4 else None


def _public_day_action(township: Unit) -> None:
    chosen = request.form.get("public_day", type=int) or 0
    existing = public_days.get_public_day(chosen) if chosen else None
    if request.form.get("action") == "delete":
        if existing is None or existing.township_id != township.id:
            raise NotFound(_("There is no such public day."))
        public_days.delete_public_day(current_user, existing)
        return
    item_ids = [int(v) for v in request.form.getlist("items") if v.isdigit() and len(v) < 10]
    public_days.save_public_day(current_user, township, _number("month"), _number("day"),
                                request.form.get("name", ""), item_ids, existing)


def _dashboard_panel():
    """The coming public day's checklist and countdown, what is overdue or due soon, questions to
    answer and notices to sign."""
    user = current_user
    today = clock.local_today()
    scope = user.unit
    if scope.kind == UnitKind.hall:   # the hall's window clerks have no village to answer for
        return None
    checklists = public_days.checklists(scope, today)
    late = due.overdue(scope, today)
    soon = due.due_soon(scope, today) if user.has_role(Role.editor, Role.administrator) else []
    asked = [q for q in questions.open_questions(scope, today) if q.overdue or q.days_left <= questions.REMIND_DAYS]
    waiting = committee.waiting_for(user)
    if not (checklists or late or soon or asked or waiting):
        return None
    return {"title": _("Village disclosures"), "template": "villages/dashboard_panel.html", "checklists": checklists,
            "late": late, "soon": soon, "asked": asked, "waiting": waiting}


DASHBOARD_PANELS.append(_dashboard_panel)
add_nav(NavItem("villages.overview", _l("Village disclosures"), order=13))
add_nav(NavItem("villages.sign_off_queue", _l("Sign-off"), roles=(Role.supervisor,), order=15))

