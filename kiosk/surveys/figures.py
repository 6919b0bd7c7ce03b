"""The year's 群众评议 figures for the annual report (its tables are written elsewhere; this is
the one function it reads the surveys through)."""
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from kiosk.core import clock
from kiosk.extensions import db
from kiosk.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveyResponse

SATISFIED = (4, 5)   # 满意, 非常满意 on the 1–5 scale


@dataclass
class YearFigures:
    surveys: int                        # published surveys of the units open at some moment of the year
    answers: int                        # answers given during the year to those surveys
    scale_answers: int                  # answers to their 1–5 questions, each question answered counting once
    satisfied: int                      # of those, 4 (满意) or 5 (非常满意)
    satisfaction_share: float | None    # satisfied / scale_answers, 0–1, rounded to 4 places; None without any

    def as_dict(self) -> dict:
        return asdict(self)


def year_figures(unit_ids: list[int], year: int) -> YearFigures:
    """The surveys of the units `unit_ids` (a survey belongs to the township it was made for: pass
    township ids) in the local calendar year `year` (Asia/Shanghai): how many surveys were open at
    some moment of the year (published; drafts never count), how many answers they received during
    the year (kiosk and phones together; one per phone or kiosk visit), and the satisfaction share:
    of every answer to a 1–5 scale question given during the year, the share rated 4 or 5.
    A county's figures are the same function over its townships' ids."""
    start, end = clock.local_midnight_utc(date(year, 1, 1)), clock.local_midnight_utc(date(year + 1, 1, 1))
    surveys = list(db.session.scalars(select(Survey).where(
        Survey.unit_id.in_(list(unit_ids)), Survey.published.is_(True), Survey.opens_at < end, Survey.closes_at > start)))
    if not surveys:
        return YearFigures(0, 0, 0, 0, None)
    scale_ids = {str(question_id) for question_id in db.session.scalars(select(SurveyQuestion.id).where(
        SurveyQuestion.survey_id.in_([s.id for s in surveys]), SurveyQuestion.kind == QuestionKind.scale))}
    answers = list(db.session.scalars(select(SurveyResponse).where(
        SurveyResponse.survey_id.in_([s.id for s in surveys]), SurveyResponse.created_at >= start,
        SurveyResponse.created_at < end)))
    points = [value for answer in answers for key, value in answer.answers.items() if key in scale_ids]
    satisfied = sum(1 for value in points if value in SATISFIED)
    return YearFigures(surveys=len(surveys), answers=len(answers), scale_answers=len(points), satisfied=satisfied,
                       satisfaction_share=round(satisfied / len(points), 4) if points else None)
