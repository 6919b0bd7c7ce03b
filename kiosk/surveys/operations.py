"""The rules of 群众评议 surveys: who edits them, what a questionnaire may hold, when it is open,
and one answer per phone or kiosk visit.

A survey belongs to a township and is edited by its administrators and editors. It is open while
published and between `opens_at` and `closes_at`. Its questions can change only while it has no
answers (results of different questions must not be added up). An answer names a respondent key:
a digest of the phone's random cookie, or of the kiosk and its visit id (`X-Kiosk-Visit`); the
database holds one answer per survey and key. The free text passes the privacy gate when shown.
"""
import hashlib
import secrets
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from kiosk import privacy
from kiosk.accounts.models import Role, User
from kiosk.accounts.permissions import can_act_on, ensure_can_act_on, ensure_role
from kiosk.audit.operations import record_change
from kiosk.core import clock
from kiosk.core.errors import Conflict, InvalidInput, NotFound
from kiosk.extensions import db
from kiosk.org.models import Unit, UnitKind
from kiosk.surveys.models import Channel, QuestionKind, Survey, SurveyQuestion, SurveyResponse

EDITOR_ROLES = (Role.administrator, Role.editor)
READER_ROLES = (Role.administrator, Role.editor, Role.reviewer)
MAX_QUESTIONS, MAX_OPTIONS, MAX_OPTION, MAX_TEXT, MAX_FREE_TEXT = 12, 8, 40, 200, 500
SCALE = (1, 2, 3, 4, 5)
# How the kiosk and the pages name the five points of a scale (好差评's five levels, best last).
SCALE_LABELS = {1: _l("Very dissatisfied"), 2: _l("Dissatisfied"), 3: _l("Fair"), 4: _l("Satisfied"),
                5: _l("Very satisfied")}
KIND_LABELS = {QuestionKind.single: _l("Single choice"), QuestionKind.multiple: _l("Multiple choice"),
               QuestionKind.scale: _l("Scale 1–5"), QuestionKind.text: _l("Free text (optional)")}
_SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": field})


def _aware(moment: datetime) -> datetime:
    """Naive times come from forms and mean local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.local_zone())
    return moment.astimezone(timezone.utc)


# -- looking up -------------------------------------------------------------------------------

def township_of(unit: Unit) -> Unit | None:
    return unit if unit.kind == UnitKind.township else unit.township


def surveys_for(user: User) -> list[Survey]:
    ensure_role(user, *READER_ROLES)
    return list(db.session.scalars(select(Survey).join(Survey.unit).where(Unit.path.startswith(user.unit.path))
                                   .order_by(Survey.opens_at.desc(), Survey.id.desc())))


def visible_survey(user: User, survey_id: int) -> Survey:
    ensure_role(user, *READER_ROLES)
    survey = db.session.get(Survey, survey_id)
    if survey is None or not can_act_on(user, survey.unit):
        raise NotFound(_("There is no such survey."))
    return survey


def survey_by_slug(slug: str) -> Survey:
    """A published survey for the public (open, or closed with a message); drafts do not exist."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.published:
        raise NotFound(_("There is no such survey."))
    return survey


def open_survey(township: Unit, now: datetime | None = None) -> Survey | None:
    """The township's survey open now (the one closing first, if several are)."""
    now = now or clock.now()
    return db.session.scalar(select(Survey).where(
        Survey.unit_id == township.id, Survey.published.is_(True), Survey.opens_at <= now, Survey.closes_at > now)
        .order_by(Survey.closes_at, Survey.id).limit(1))


def answer_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse)
                             .where(SurveyResponse.survey_id == survey.id)) or 0


# -- editing ----------------------------------------------------------------------------------

def _clean_questions(questions: list[dict]) -> list[dict]:
    if not questions:
        raise _field_error("questions", _("Add at least one question."))
    if len(questions) > MAX_QUESTIONS:
        raise _field_error("questions", _("A survey has at most %(count)s questions.", count=MAX_QUESTIONS))
    cleaned = []
    for number, question in enumerate(questions, start=1):
        text = str(question.get("text") or "").strip()
        try:
            kind = QuestionKind(question.get("kind"))
        except ValueError:
            raise _field_error(f"questions.{number}.kind", _("Question %(n)s: choose its kind.", n=number)) from None
        if not text or len(text) > MAX_TEXT:
            raise _field_error(f"questions.{number}.text", _("Question %(n)s: write the question (at most %(count)s "
                                                             "characters).", n=number, count=MAX_TEXT))
        options = [str(option).strip() for option in question.get("options") or [] if str(option).strip()]
        if kind in (QuestionKind.single, QuestionKind.multiple):
            if not 2 <= len(options) <= MAX_OPTIONS or any(len(option) > MAX_OPTION for option in options):
                raise _field_error(f"questions.{number}.options", _(
                    "Question %(n)s: give 2 to %(count)s choices, one a line, each short.", n=number, count=MAX_OPTIONS))
            if len(set(options)) != len(options):
                raise _field_error(f"questions.{number}.options", _("Question %(n)s: a choice is there twice.", n=number))
        else:
            options = []
        cleaned.append({"kind": kind, "text": text, "options": options})
    if sum(1 for question in cleaned if question["kind"] == QuestionKind.text) > 1:
        raise _field_error("questions", _("A survey has one free-text question at most."))
    return cleaned


def _apply(user: User, survey: Survey, fields: dict) -> None:
    title, intro = str(fields.get("title") or "").strip(), str(fields.get("intro") or "").strip()
    if not title or len(title) > 120:
        raise _field_error("title", _("Give the survey a title of at most 120 characters."))
    if len(intro) > 2000:
        raise _field_error("intro", _("The introduction is too long."))
    if fields.get("opens_at") is None or fields.get("closes_at") is None:
        raise _field_error("opens_at", _("Give the dates the survey opens and closes."))
    opens_at, closes_at = _aware(fields["opens_at"]), _aware(fields["closes_at"])
    if closes_at <= opens_at:
        raise _field_error("closes_at", _("The survey must close after it opens."))
    questions = _clean_questions(list(fields.get("questions") or []))
    privacy.ensure_clean({_("Title"): title, _("Introduction"): intro,
                          **{_("Question %(n)s", n=n): " ".join([q["text"], *q["options"]])
                             for n, q in enumerate(questions, start=1)}})
    current = [{"kind": q.kind, "text": q.text, "options": list(q.options)} for q in survey.questions]
    if current != questions:
        if survey.id is not None and answer_count(survey):
            raise Conflict(_("The survey has answers: its questions can no longer change (the results would mix "
                             "different questions). Close it and start a new one."), code="has_answers")
        survey.questions = [SurveyQuestion(position=position, **question) for position, question in enumerate(questions)]
    survey.title, survey.intro, survey.opens_at, survey.closes_at = title, intro, opens_at, closes_at
    survey.published = bool(fields.get("published"))


def _new_slug() -> str:
    while True:
        slug = "".join(secrets.choice(_SLUG_ALPHABET) for _unused in range(8))
        if db.session.scalar(select(Survey.id).where(Survey.slug == slug)) is None:
            return slug


def create_survey(user: User, fields: dict) -> Survey:
    ensure_role(user, *EDITOR_ROLES)
    township = township_of(user.unit)
    if fields.get("township"):
        township = db.session.scalar(select(Unit).where(Unit.code == fields["township"],
                                                        Unit.kind == UnitKind.township))
        if township is None:
            raise _field_error("township", _("There is no such township."))
    if township is None:
        raise _field_error("township", _("Choose the township the survey is for."))
    ensure_can_act_on(user, township)
    survey = Survey(slug=_new_slug(), unit=township, created_by=user, created_at=clock.now(), questions=[])
    with db.session.no_autoflush:
        _apply(user, survey, fields)
    db.session.add(survey)
    db.session.flush()
    record_change("survey.create", survey, after=survey_snapshot(survey))
    return survey


def update_survey(user: User, survey: Survey, fields: dict) -> Survey:
    ensure_role(user, *EDITOR_ROLES)
    ensure_can_act_on(user, survey.unit)
    before = survey_snapshot(survey)
    with db.session.no_autoflush:
        _apply(user, survey, fields)
    db.session.flush()
    after = survey_snapshot(survey)
    if after != before:
        record_change("survey.update", survey, before=before, after=after)
    return survey


def survey_snapshot(survey: Survey) -> dict:
    """What the audit log keeps of a survey: its fields and questions."""
    return {"title": survey.title, "intro": survey.intro, "opens_at": survey.opens_at.isoformat(),
            "closes_at": survey.closes_at.isoformat(), "published": survey.published,
            "questions": [{"kind": q.kind.value, "text": q.text, "options": list(q.options)} for q in survey.questions]}


# -- answering --------------------------------------------------------------------------------

def phone_respondent(cookie: str) -> str:
    return hashlib.sha256(f"phone:{cookie}".encode()).hexdigest()


def kiosk_respondent(screen_id: int, visit: str) -> str:
    return hashlib.sha256(f"kiosk:{screen_id}:{visit}".encode()).hexdigest()


def has_answered(survey: Survey, respondent: str) -> bool:
    return db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id,
                                                            SurveyResponse.respondent == respondent)) is not None


def _clean_answers(survey: Survey, answers: dict) -> tuple[dict, str]:
    """{question id (str): value} checked against the questions; (answers, free text)."""
    cleaned, free_text = {}, ""
    for number, question in enumerate(survey.questions, start=1):
        value = answers.get(str(question.id))
        field = f"q{question.id}"
        if question.kind == QuestionKind.text:
            free_text = str(value or "").strip()
            if len(free_text) > MAX_FREE_TEXT:
                raise _field_error(field, _("Please keep your words under %(count)s characters.", count=MAX_FREE_TEXT))
            continue
        if question.kind == QuestionKind.multiple:
            chosen = value if isinstance(value, list) else [value] if value not in (None, "") else []
            try:
                indexes = sorted({int(item) for item in chosen})
            except (TypeError, ValueError):
                indexes = [-1]
            if not indexes:
                raise _field_error(field, _("Question %(n)s: choose at least one.", n=number))
            if any(not 0 <= index < len(question.options) for index in indexes):
                raise _field_error(field, _("Question %(n)s: that is not one of its choices.", n=number))
            cleaned[str(question.id)] = indexes
            continue
        try:
            chosen = int(value)
        except (TypeError, ValueError):
            raise _field_error(field, _("Question %(n)s: please answer it.", n=number)) from None
        allowed = range(len(question.options)) if question.kind == QuestionKind.single else SCALE
        if chosen not in allowed:
            raise _field_error(field, _("Question %(n)s: that is not one of its choices.", n=number))
        cleaned[str(question.id)] = chosen
    return cleaned, free_text


def answer_survey(survey: Survey, respondent: str, channel: Channel, answers: dict) -> SurveyResponse:
    """Record one answer; refused when the survey is not open or this phone or visit has answered."""
    now = clock.now()
    if not survey.is_open(now):
        if survey.published and now >= survey.closes_at:
            raise Conflict(_("This survey closed on %(date)s. Thank you for your interest.",
                             date=clock.to_local(survey.closes_at).strftime("%Y-%m-%d %H:%M")), code="closed")
        raise Conflict(_("This survey is not open yet."), code="not_open")
    if has_answered(survey, respondent):
        raise Conflict(_("This survey has already been answered here. Thank you: one answer each."),
                       code="already_answered")
    cleaned, free_text = _clean_answers(survey, answers if isinstance(answers, dict) else {})
    response = SurveyResponse(survey=survey, respondent=respondent, channel=channel, answers=cleaned,
                              free_text=free_text, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:   # the same phone or visit answering twice at once
        raise Conflict(_("This survey has already been answered here. Thank you: one answer each."),
                       code="already_answered") from None
    return response


# -- results ----------------------------------------------------------------------------------

def responses(survey: Survey) -> list[SurveyResponse]:
    return list(db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
                                   .order_by(SurveyResponse.created_at, SurveyResponse.id)))


def results(survey: Survey) -> dict:
    """Per question, the count of each choice (scale: of each point, and the mean) and the free
    texts masked; the number of answers by channel."""
    rows = responses(survey)
    by_channel = {channel.value: sum(1 for row in rows if row.channel == channel) for channel in Channel}
    questions = []
    for question in survey.questions:
        key = str(question.id)
        entry = {"id": question.id, "kind": question.kind.value, "text": question.text}
        if question.kind == QuestionKind.text:
            entry["texts"] = [privacy.mask_text(row.free_text) for row in rows if row.free_text]
        else:
            labels = question.options if question.kind != QuestionKind.scale else [str(SCALE_LABELS[p]) for p in SCALE]
            values = list(range(len(question.options))) if question.kind != QuestionKind.scale else list(SCALE)
            counts = dict.fromkeys(values, 0)
            answered = 0
            for row in rows:
                value = row.answers.get(key)
                if value is None:
                    continue
                answered += 1
                for item in value if isinstance(value, list) else [value]:
                    if item in counts:
                        counts[item] += 1
            entry["answered"] = answered
            entry["choices"] = [{"label": label, "count": counts[value],
                                 "share": round(counts[value] / answered, 4) if answered else 0.0}
                                for label, value in zip(labels, values)]
            if question.kind == QuestionKind.scale:
                total = sum(value * count for value, count in counts.items())
                entry["mean"] = round(total / answered, 2) if answered else None
        questions.append(entry)
    return {"answers": len(rows), "by_channel": by_channel, "questions": questions}


def survey_state(survey: Survey, now: datetime | None = None) -> str:
    now = now or clock.now()
    if not survey.published:
        return "draft"
    if now < survey.opens_at:
        return "scheduled"
    return "open" if now < survey.closes_at else "closed"


STATE_LABELS = {"draft": _lp("survey state", "draft"), "scheduled": _lp("survey state", "scheduled"),
                "open": _lp("survey state", "open"), "closed": _lp("survey state", "closed")}

