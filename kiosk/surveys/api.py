"""The surveys' API for staff: list, create, read, change, and the results."""
from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.extensions import db
from kiosk.qr import public_url
from kiosk.surveys import operations as ops
from kiosk.surveys.models import QuestionKind, Survey

TAG = "surveys"


class QuestionIn(BaseModel):
    kind: QuestionKind
    text: str = Field(min_length=1, max_length=ops.MAX_TEXT)
    options: list[str] = Field([], max_length=ops.MAX_OPTIONS, description="the choices of single and multiple")


class SurveyIn(BaseModel):
    township: str | None = Field(None, max_length=40, description="township code; default: your township")
    title: str = Field(min_length=1, max_length=120)
    intro: str = Field("", max_length=2000)
    opens_at: datetime = Field(description="naive times are local (KIOSK_TIMEZONE)")
    closes_at: datetime
    published: bool = Field(False, description="False: a draft nobody sees; True: open between the dates")
    questions: list[QuestionIn] = Field(min_length=1, max_length=ops.MAX_QUESTIONS,
                                        description="one free-text question at most")


class QuestionOut(QuestionIn):
    id: int


class SurveyOut(BaseModel):
    id: int
    slug: str
    township: str
    title: str
    intro: str
    opens_at: datetime
    closes_at: datetime
    published: bool
    state: str = Field(description="draft, scheduled, open or closed")
    answers: int
    public_url: str
    questions: list[QuestionOut]


class SurveyList(BaseModel):
    surveys: list[SurveyOut]


class ChoiceOut(BaseModel):
    label: str
    count: int
    share: float


class QuestionResult(BaseModel):
    id: int
    kind: QuestionKind
    text: str
    answered: int | None = None
    choices: list[ChoiceOut] | None = None
    mean: float | None = None
    texts: list[str] | None = Field(None, description="free texts, masked by the privacy gate")


class SurveyResults(BaseModel):
    answers: int
    by_channel: dict[str, int]
    questions: list[QuestionResult]


def survey_out(survey: Survey) -> SurveyOut:
    return SurveyOut(id=survey.id, slug=survey.slug, township=survey.unit.code, title=survey.title,
                     intro=survey.intro, opens_at=survey.opens_at, closes_at=survey.closes_at,
                     published=survey.published, state=ops.survey_state(survey), answers=ops.answer_count(survey),
                     public_url=public_url(f"s/{survey.slug}"),
                     questions=[QuestionOut(id=q.id, kind=q.kind, text=q.text, options=list(q.options))
                                for q in survey.questions])


@operation("/surveys", method="GET", operation_id="listSurveys", summary="群众评议 surveys of your units",
           tag=TAG, response=SurveyList, roles=ops.READER_ROLES, errors=(403,))
def list_surveys():
    return SurveyList(surveys=[survey_out(survey) for survey in ops.surveys_for(current_user)])


@operation("/surveys", method="POST", operation_id="createSurvey",
           summary="A township's survey: single and multiple choice, 1–5 scales, one free-text question",
           tag=TAG, body=SurveyIn, response=SurveyOut, status=201, roles=ops.EDITOR_ROLES,
           errors=(400, 403, 404, 409))
def create_survey(body: SurveyIn):
    survey = ops.create_survey(current_user, body.model_dump(mode="python"))
    db.session.commit()
    return survey_out(survey)


@operation("/surveys/<int:survey_id>", method="GET", operation_id="getSurvey", summary="One survey",
           tag=TAG, response=SurveyOut, roles=ops.READER_ROLES, errors=(403, 404))
def get_survey(survey_id: int):
    return survey_out(ops.visible_survey(current_user, survey_id))


@operation("/surveys/<int:survey_id>", method="PUT", operation_id="updateSurvey",
           summary="Change a survey (its questions only while it has no answers)", tag=TAG, body=SurveyIn,
           response=SurveyOut, roles=ops.EDITOR_ROLES, errors=(400, 403, 404, 409))
def update_survey(survey_id: int, body: SurveyIn):
    survey = ops.update_survey(current_user, ops.visible_survey(current_user, survey_id),
                               body.model_dump(mode="python", exclude={"township"}))
    db.session.commit()
    return survey_out(survey)


@operation("/surveys/<int:survey_id>/results", method="GET", operation_id="getSurveyResults",
           summary="A survey's results: each choice's count and share, the scales' means, the free texts masked",
           tag=TAG, response=SurveyResults, roles=ops.READER_ROLES, errors=(403, 404))
def get_survey_results(survey_id: int):
    return SurveyResults.model_validate(ops.results(ops.visible_survey(current_user, survey_id)))
