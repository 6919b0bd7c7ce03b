"""Applications for information in the API: the register (no personal data), one application with its
applicant (audited), filing at the window, the steps of the clock, the answer; and, public, the phone
filing and the status of a token (status and dates only)."""
from datetime import date, datetime
from typing import ClassVar, Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field

from kiosk.api import operation
from kiosk.applications import operations as ops
from kiosk.applications.models import Application, Channel, Status
from kiosk.applications.outcomes import APPLICANT_KINDS, OUTCOMES
from kiosk.applications.views import filing_limit
from kiosk.core import clock
from kiosk.core.errors import InvalidInput
from kiosk.extensions import db
from kiosk.qr import public_url

TAG = "applications"


class ApplicationFields(BaseModel):
    applicant_kind: Literal[tuple(APPLICANT_KINDS)] = "natural_person"
    applicant_name: str = Field(max_length=200)
    id_proof: str = Field(max_length=200)
    phone: str = Field("", max_length=200)
    address: str = Field("", max_length=400)
    description: str = Field("", max_length=4000)
    document_number: str = Field("", max_length=200)
    form_wanted: Literal[tuple(ops.FORMS)] = "paper"
    delivery: Literal[tuple(ops.DELIVERIES)] = "pickup"
    field_labels: ClassVar[dict] = {
        "applicant_kind": _l("Applicant"), "applicant_name": _l("Name (of the person or organisation)"),
        "id_proof": _l("Proof of identity"), "phone": _l("Phone"), "address": _l("Address"),
        "description": _l("Information wanted"), "document_number": _l("Document number, if known"),
        "form_wanted": _l("Form wanted"), "delivery": _l("How the answer is received"), "township": _l("Township"),
        "channel": _l("How it was made"), "received_on": _l("Day of receipt")}


class FileBody(ApplicationFields):
    township: str = Field(max_length=40, description="the township's code")
    channel: Channel = Field(description="in_person, oral (the clerk wrote it down), registered_mail, ordinary_mail")
    received_on: date | None = Field(None, description="mail only: the day signed for or confirmed (Art. 31)")


class DecisionBody(BaseModel):
    outcome: Literal[tuple(OUTCOMES)] = Field(description="a result row of table 三")
    reason: str = Field("", max_length=4000)
    provided: str = Field("", max_length=4000)
    late_reason: str = Field("", max_length=2000)
    pages: int = Field(0, ge=0, le=100000)
    field_labels: ClassVar[dict] = {"outcome": _l("Result of handling"), "reason": _l("Reason"), "provided": _l("Provided"),
                                    "late_reason": _l("Why the answer is late"), "pages": _l("Pages provided")}


class StepBody(BaseModel):
    step: Literal["receive", "correction", "corrected", "consult", "consulted", "extend"]
    text: str = Field("", max_length=2000, description="what to correct / who is consulted / the notice sent")
    day: date | None = Field(None, description="the day of receipt or of the correction's arrival; "
                                               "a correction's last day")
    days: int = Field(0, ge=0, le=20, description="an extension's working days")


class DismissalBody(BaseModel):
    reason: Literal[tuple(ops.DISMISSALS)] = Field(description="duplicate, empty (or a test), not_a_request")
    field_labels: ClassVar[dict] = {"reason": _l("Why")}


class RegisterQuery(BaseModel):
    year: int | None = Field(None, ge=2000, le=2100)
    status: Literal["", "open", *(status.value for status in Status)] = ""


class ApplicationSummary(BaseModel):
    id: int
    reference: str
    township: str
    applicant_kind: str
    channel: Channel
    status: Status
    filed_at: datetime
    received_on: date | None
    due_on: date | None
    outcome: str | None
    decided_on: date | None
    handler: str | None


class ApplicationDetail(ApplicationSummary):
    applicant_name: str
    id_proof: str
    phone: str
    address: str
    description: str
    document_number: str
    form_wanted: str
    delivery: str
    reason: str
    provided: str
    late_reason: str
    fee_yuan: int
    status_url: str


class RegisterOut(BaseModel):
    applications: list[ApplicationSummary]


class Receipt(BaseModel):
    reference: str
    filed_at: datetime
    status_url: str = Field(description="the public status page (status and dates only)")


class StatusOut(BaseModel):
    reference: str
    township: str
    status: Status
    filed_on: date
    received_on: date | None
    correction_due_on: date | None
    due_on: date | None
    decided_on: date | None


def summary(application: Application) -> dict:
    return dict(id=application.id, reference=application.reference, township=application.unit.code,
                applicant_kind=application.applicant_kind, channel=application.channel, status=application.status,
                filed_at=clock.to_local(application.filed_at), received_on=application.received_on,
                due_on=application.due_on, outcome=application.outcome, decided_on=application.decided_on,
                handler=application.handler.username if application.handler else None)


def detail(application: Application) -> ApplicationDetail:
    personal = ops.personal_data(current_user, application, purpose="api")
    return ApplicationDetail(**summary(application), **personal, document_number=application.document_number,
                             form_wanted=application.form_wanted, delivery=application.delivery,
                             reason=application.reason, provided=application.provided,
                             late_reason=application.late_reason, fee_yuan=application.fee_yuan,
                             status_url=public_url(f"a/{application.token}"))


@operation("/applications", method="GET", operation_id="listApplications", tag=TAG,
           summary="The register of applications for information you handle or oversee (no personal data)",
           query=RegisterQuery, response=RegisterOut, roles=ops.FILING_ROLES, errors=(403,))
def list_applications(query: RegisterQuery):
    found = ops.register_for(current_user, query.year, query.status)
    return RegisterOut(applications=[ApplicationSummary(**summary(a)) for a in found])


@operation("/applications", method="POST", operation_id="fileApplication", tag=TAG,
           summary="Record an application made at the window (in writing or orally, Art. 29) or by mail",
           body=FileBody, response=ApplicationDetail, status=201, roles=ops.FILING_ROLES, errors=(400, 403, 404))
def file_application(body: FileBody):
    township = ops.get_township(body.township)
    if body.channel == Channel.online:
        raise InvalidInput(_("Online applications come through the public phone page."),
                           details={"field": "channel"})
    application = ops.file_application(current_user, township, body.model_dump(), body.channel, body.received_on)
    result = detail(application)
    db.session.commit()
    return result


@operation("/applications/<int:application_id>", method="GET", operation_id="getApplication", tag=TAG,
           summary="One application with its applicant's personal data (the handler, reviewer and administrator "
                   "only; every reading is audited)", response=ApplicationDetail, roles=ops.FILING_ROLES,
           errors=(403, 404))
def get_application(application_id: int):
    result = detail(ops.get_application(current_user, application_id))
    db.session.commit()
    return result


STEPS = {
    "receive": lambda user, application, body: ops.confirm_receipt(user, application, body.day),
    "correction": lambda user, application, body: ops.request_correction(user, application, body.text, body.day),
    "corrected": lambda user, application, body: ops.record_correction(user, application, body.day),
    "consult": lambda user, application, body: ops.start_consultation(user, application, body.text),
    "consulted": lambda user, application, body: ops.end_consultation(user, application, body.text),
    "extend": lambda user, application, body: ops.extend(user, application, body.days, body.text),
}


@operation("/applications/<int:application_id>/steps", method="POST", operation_id="recordApplicationStep",
           tag=TAG, summary="A step of the clock: confirm receipt, ask for or receive a correction (Art. 30), start "
                            "or end a consultation (Art. 32), extend (reviewer, Art. 33)",
           body=StepBody, response=ApplicationSummary, roles=ops.FILING_ROLES, errors=(400, 403, 404, 409))
def record_step(application_id: int, body: StepBody):
    application = ops.get_application(current_user, application_id)
    STEPS[body.step](current_user._get_current_object(), application, body)
    db.session.commit()
    return ApplicationSummary(**summary(application))


@operation("/applications/<int:application_id>/decision", method="POST", operation_id="decideApplication", tag=TAG,
           summary="Answer with one of the annual report's results; refused without the reason the result needs, "
                   "or after the due date without the lateness explained", body=DecisionBody,
           response=ApplicationSummary, roles=ops.FILING_ROLES, errors=(400, 403, 404, 409))
def decide_application(application_id: int, body: DecisionBody):
    application = ops.get_application(current_user, application_id)
    ops.decide(current_user._get_current_object(), application, ops.Decision(**body.model_dump()))
    db.session.commit()
    return ApplicationSummary(**summary(application))


@operation("/applications/<int:application_id>/dismissal", method="POST", operation_id="dismissApplication", tag=TAG,
           summary="Dismiss an online submission whose receipt is not confirmed (spam, a test, sent twice): never "
                   "counted, personal data erased at once; the handler, reviewer or administrator",
           body=DismissalBody, response=ApplicationSummary, roles=ops.FILING_ROLES, errors=(400, 403, 404, 409))
def dismiss_application(application_id: int, body: DismissalBody):
    application = ops.get_application(current_user, application_id)
    ops.dismiss(current_user._get_current_object(), application, body.reason)
    db.session.commit()
    return ApplicationSummary(**summary(application))


@operation("/public/townships/<code>/applications", method="POST", operation_id="submitApplication", tag="public",
           summary="Apply online (no login; rate-limited per address): the answer holds the number and the status "
                   "link, never what was sent", body=ApplicationFields, response=Receipt, status=201, public=True,
           errors=(400, 404, 429))
@filing_limit
def submit_application(code: str, body: ApplicationFields):
    application = ops.submit_online(ops.get_township(code), body.model_dump())
    db.session.commit()
    return Receipt(reference=application.reference, filed_at=clock.to_local(application.filed_at),
                   status_url=public_url(f"a/{application.token}"))


@operation("/public/applications/<token>", method="GET", operation_id="getApplicationStatus", tag="public",
           summary="An application's status and dates by its link's token (no name, no contents)",
           response=StatusOut, public=True, errors=(404,))
def get_application_status(token: str):
    application = ops.by_token(token[:64])
    return StatusOut(reference=application.reference, township=application.unit.name, status=application.status,
                     filed_on=clock.to_local(application.filed_at).date(), received_on=application.received_on,
                     correction_due_on=application.correction_due_on if application.status == Status.correcting
                     else None, due_on=application.due_on if application.status != Status.closed else None,
                     decided_on=application.decided_on)
