"""Surveys' routes: the phone page (no script, one answer per phone by a random cookie), the
kiosk's answer (one per visit, under a per-kiosk ceiling), and the staff editor, results and CSV."""
import secrets
from datetime import datetime

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from kiosk.accounts.permissions import can_act_on, staff_page
from kiosk.core import clock
from kiosk.core.cookies import set_cookie
from kiosk.core.errors import Conflict, Forbidden, InvalidInput, KioskError
from kiosk.extensions import csrf, db, limiter
from kiosk.public import delivery
from kiosk.public.operations import townships
from kiosk.public.views import page_links
from kiosk.qr import public_url
from kiosk.screens.devices import screen_required
from kiosk.screens.models import ScreenKind
from kiosk.surveys import operations as ops
from kiosk.surveys.export import results_csv
from kiosk.surveys.models import Channel, QuestionKind, Survey
from kiosk.touch import limits
from kiosk.touch.operations import kiosk_hall

COOKIE = "kiosk_survey"
COOKIE_AGE = 400 * 86400
QUESTION_SLOTS = ops.MAX_QUESTIONS      # question rows the staff form offers (empty ones are left out)

survey_public_bp = Blueprint("survey_public", __name__, template_folder="templates")
survey_public_bp.context_processor(page_links)
survey_public_bp.after_request(delivery.prepare)
# One budget per address for the phone form; refused answers do not count.
answer_limit = limiter.shared_limit(lambda: current_app.config["KIOSK_SURVEY_LIMIT"], scope="survey-answer",
                                    deduct_when=lambda response: response.status_code == 303)

survey_kiosk_bp = Blueprint("survey_kiosk", __name__, url_prefix="/touch/surveys")
csrf.exempt(survey_kiosk_bp)    # the kiosk proves itself with its device token, as the rest of /touch

survey_staff_bp = Blueprint("surveys", __name__, url_prefix="/staff/surveys", template_folder="templates")


# -- the phone page -----------------------------------------------------------------------------

def _phone_cookie() -> str:
    value = request.cookies.get(COOKIE, "")
    return value if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else ""


def _phone_page(survey, cookie: str, errors: dict | None = None, typed: dict | None = None, status: int = 200):
    answered = bool(cookie) and ops.has_answered(survey, ops.phone_respondent(cookie))
    is_open = survey.is_open()
    if is_open and not answered:
        delivery.keep_private()
    response = Response(render_template(
        "surveys/phone.html", survey=survey, answered=answered, is_open=is_open, errors=errors or {},
        typed=typed or {}, done=request.args.get("done") == "1", scale=ops.SCALE, scale_labels=ops.SCALE_LABELS,
        state=ops.survey_state(survey), link=public_url(f"s/{survey.slug}")), status)
    if not cookie:
        cookie = secrets.token_urlsafe(24)
        set_cookie(response, COOKIE, cookie, COOKIE_AGE)
        delivery.keep_private()
    return response


@survey_public_bp.get("/s/<slug>")
def phone(slug):
    return _phone_page(ops.survey_by_slug(slug), _phone_cookie())


def _typed_answers(survey) -> dict:
    answers = {}
    for question in survey.questions:
        name = f"q{question.id}"
        answers[str(question.id)] = (request.form.getlist(name) if question.kind == QuestionKind.multiple
                                     else request.form.get(name, ""))
    return answers


@survey_public_bp.post("/s/<slug>")
@answer_limit
def phone_answer(slug):
    survey = ops.survey_by_slug(slug)
    cookie = _phone_cookie()
    typed = _typed_answers(survey)
    if not cookie:   # a phone that keeps no cookie cannot be told apart: it is asked to allow them
        return _phone_page(survey, "", {"form": _("Please allow cookies for this page, then send it again.")},
                           typed, 400)
    try:
        ops.answer_survey(survey, ops.phone_respondent(cookie), Channel.phone, typed)
    except InvalidInput as error:
        db.session.rollback()
        return _phone_page(survey, cookie, {error.details.get("field", "form"): error.message}, typed, 400)
    except Conflict as error:
        db.session.rollback()
        return _phone_page(survey, cookie, {"form": error.message}, typed, 409)
    db.session.commit()
    return redirect(url_for(".phone", slug=slug, done=1), 303)


@survey_public_bp.errorhandler(RateLimitExceeded)
def too_many_answers(error):
    return render_template("public/message.html", title=_("Please wait a while"), message=_(
        "Many answers came from this connection just now. Please try again later."), channels=[]), 429


@survey_public_bp.errorhandler(KioskError)
def public_error(error: KioskError):
    db.session.rollback()
    return render_template("public/message.html", title=_("Sorry"), message=error.message, channels=[]), error.status


# -- the kiosk ----------------------------------------------------------------------------------

def kiosk_survey(township) -> dict | None:
    """The survey open now in the kiosk's township, as its start bundle carries it (None: no home choice)."""
    survey = ops.open_survey(township)
    if survey is None:
        return None
    return {"id": survey.id, "title": survey.title, "intro": survey.intro,
            "closes_at": survey.closes_at.isoformat(), "qr": f"/qr/s/{survey.slug}.svg",
            "scale": [{"value": value, "label": str(ops.SCALE_LABELS[value])} for value in ops.SCALE],
            "questions": [{"id": q.id, "kind": q.kind.value, "text": q.text, "options": list(q.options)}
                          for q in survey.questions]}


def survey_strings() -> dict:
    """The kiosk's words for the survey, merged into its start bundle's strings."""
    return {"survey": _("Rate our openness"), "survey_hint": _("A short survey, a few touches"),
            "survey_progress": _("Question %(n)s of %(total)s", n="{n}", total="{total}"),
            "survey_any": _("Choose any that apply"), "survey_next": _("Next"), "survey_previous": _("Previous"),
            "survey_send": _("Send my answer"), "survey_answer_first": _("Please choose an answer first."),
            "survey_text_hint": _("Optional: your words. Please no names or phone numbers."),
            "survey_thanks": _("Thank you. Your answer has been counted."),
            "survey_closed": _("The survey has closed. Thank you."),
            "survey_phone": _("Or answer on your phone: scan this code")}


@survey_kiosk_bp.post("/<int:survey_id>/answers")
@screen_required(ScreenKind.touch_kiosk)
def kiosk_answer(survey_id, screen):
    hall = kiosk_hall(screen)
    survey = db.session.get(Survey, survey_id)
    if hall is None or survey is None or survey.unit_id != hall.township.id or not survey.published:
        raise Conflict(_("This survey is not open here."), code="not_here")
    visit = limits.visit_id()
    if not visit:
        raise InvalidInput(_("The kiosk did not say which visit this is. Please touch Home and start again."))
    budgets = limits.survey_budgets(screen.id)
    limits.ensure_room(budgets, limits.too_many_answers)
    body = request.get_json(silent=True) or {}
    ops.answer_survey(survey, ops.kiosk_respondent(screen.id, visit), Channel.kiosk, body.get("answers") or {})
    db.session.commit()
    limits.count(budgets)
    return jsonify({"message": _("Thank you. Your answer has been counted.")}), 201


# -- staff --------------------------------------------------------------------------------------

def _local(moment: datetime | None) -> str:
    return clock.to_local(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _form_data(survey=None) -> dict:
    if request.method == "POST":
        form = request.form
        questions = []
        for slot in range(1, QUESTION_SLOTS + 1):
            text = form.get(f"q{slot}_text", "").strip()
            if text:
                questions.append({"kind": form.get(f"q{slot}_kind", ""), "text": text,
                                  "options": form.get(f"q{slot}_options", "").splitlines()})
        return {"title": form.get("title", ""), "intro": form.get("intro", ""), "opens_at": form.get("opens_at", ""),
                "closes_at": form.get("closes_at", ""), "published": form.get("published") == "on",
                "township": form.get("township", ""), "questions": questions}
    if survey is None:
        return {"questions": [], "published": False}
    return {"title": survey.title, "intro": survey.intro, "opens_at": _local(survey.opens_at),
            "closes_at": _local(survey.closes_at), "published": survey.published, "township": survey.unit.code,
            "questions": [{"kind": q.kind.value, "text": q.text, "options": list(q.options)} for q in survey.questions]}


def _parsed(data: dict) -> dict:
    fields = dict(data)
    for name in ("opens_at", "closes_at"):
        try:
            fields[name] = datetime.fromisoformat(data[name]) if data[name] else None
        except ValueError:
            raise InvalidInput(_("Give a date and time."), details={"field": name}) from None
    return fields


def _townships():
    return [unit for unit in townships() if can_act_on(current_user, unit)]


def _render_edit(survey, data, errors=None, status=200):
    slots = data["questions"] + [{}] * (QUESTION_SLOTS - len(data["questions"]))
    return render_template("surveys/edit.html", survey=survey, data=data, slots=slots, errors=errors or {},
                           kinds=list(QuestionKind), kind_labels=ops.KIND_LABELS, townships=_townships(),
                           answers=ops.answer_count(survey) if survey else 0), status


def _save(survey):
    data = _form_data(survey)
    try:
        fields = _parsed(data)
        if survey is None:
            survey = ops.create_survey(current_user, fields)
        else:
            ops.update_survey(current_user, survey, fields)
    except (InvalidInput, Conflict) as error:
        db.session.rollback()
        return _render_edit(survey if survey and survey.id else None, data,
                            {error.details.get("field", "form"): error.message}, 400 if isinstance(error, InvalidInput) else 409)
    db.session.commit()
    flash(_("The survey is saved."))
    return redirect(url_for(".edit", survey_id=survey.id))


@survey_staff_bp.get("/")
@staff_page(*ops.READER_ROLES)
def index():
    surveys = ops.surveys_for(current_user)
    return render_template("surveys/list.html", surveys=surveys, state=ops.survey_state,
                           state_labels=ops.STATE_LABELS, counts={s.id: ops.answer_count(s) for s in surveys},
                           can_edit=current_user.has_role(*ops.EDITOR_ROLES) and bool(_townships()))


@survey_staff_bp.route("/new", methods=["GET", "POST"])
@staff_page(*ops.EDITOR_ROLES)
def new():
    if not _townships():
        raise Forbidden(_("Surveys are made by a township's staff."))
    if request.method == "POST":
        return _save(None)
    return _render_edit(None, _form_data())


@survey_staff_bp.route("/<int:survey_id>", methods=["GET", "POST"])
@staff_page(*ops.READER_ROLES)
def edit(survey_id):
    survey = ops.visible_survey(current_user, survey_id)
    if request.method == "POST":
        return _save(survey)
    return _render_edit(survey, _form_data(survey))


@survey_staff_bp.get("/<int:survey_id>/results")
@staff_page(*ops.READER_ROLES)
def results(survey_id):
    survey = ops.visible_survey(current_user, survey_id)
    return render_template("surveys/results.html", survey=survey, results=ops.results(survey),
                           state=ops.survey_state(survey), state_labels=ops.STATE_LABELS,
                           link=public_url(f"s/{survey.slug}"))


@survey_staff_bp.get("/<int:survey_id>/results.csv")
@staff_page(*ops.READER_ROLES)
def results_file(survey_id):
    survey = ops.visible_survey(current_user, survey_id)
    return Response(results_csv(survey), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}.csv"'})
