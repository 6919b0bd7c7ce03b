"""Schemathesis over every operation of /api/v1/openapi.json, with a staff token and anonymously,
valid and invalid data, all checks on: no server error, and every response in a documented status
with its documented shape, headers and content type.

A few examples per operation keep the suite quick; for a deeper run:
    KIOSK_FUZZ_EXAMPLES=100 .venv/bin/python -m pytest tests/api/test_fuzz.py -p no:xdist
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from kiosk.demo.township import DEMO_PASSWORD

EXAMPLES = int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "3"))
# Data the schema calls valid may still be refused by the rules: an unknown unit code or id (404),
# a ticket in the wrong state (409), an upload whose content is not what it claims (413, 415).
ACCEPTED_OR_REFUSED_BY_THE_RULES = ["2xx", "401", "403", "404", "409", "413", "415", "429"]
# Operations whose bodies (or queries) have rules across fields that JSON Schema does not express,
# so that schema-valid data may get a 400 with the rule's message. Each says which rule.
CROSS_FIELD_RULES = {
    "saveCategory": "the minimum publicity period needs both its length and its unit",
    "createNotice": "the category code names an existing category; audience=villages needs villages",
    "updateNotice": "the category code names an existing category; audience=villages needs villages",
    "createService": "opening hours end after they start",
    "updateService": "opening hours end after they start",
    "createRotation": "a daypart needs both times; each slide kind needs its own fields",
    "updateRotation": "a daypart needs both times; each slide kind needs its own fields",
    "renderPrintSheet": "exactly one of notice and village",
    "renderHouseholdCards": "exactly one of notice and guide",
    "createSurvey": "a survey closes after it opens; single and multiple choice have 2 to 8 distinct choices; one "
                    "free-text question at most",
    "updateSurvey": "a survey closes after it opens; single and multiple choice have 2 to 8 distinct choices; one "
                    "free-text question at most",
    "saveCommentHandling": "a kind of comment not (fully) adopted needs its reason",
    "changeOwnPassword": "the current password is right; the new one keeps the password rules (classes, history)",
    "createUser": "the password keeps the password rules (classes, not the username)",
    "updateUser": "a new password keeps the password rules (classes, not the username, history)",
    "setGroupOnHours": "every day of the week is given, its ranges end after they start and do not overlap",
    "setScreenOnHours": "every day of the week is given, its ranges end after they start and do not overlap",
    "sendScreenCommand": "an image-only board runs no player to take commands",
    "sendGroupCommand": "the group has a screen that takes commands",
    "fileApplication": "Art. 29: a phone or an address, a description or a document number; post needs the address; "
                       "not online; a mail receipt day within the last 60 days",
    "submitApplication": "Art. 29: a phone or an address, a description or a document number; post needs the address",
    "recordApplicationStep": "each step needs its own fields (a correction's text and last day, a notice's days)",
    "decideApplication": "a result other than disclosure needs its reason; a late answer its lateness explained",
}
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def staff_token(app) -> str:
    response = app.test_client().post("/api/v1/tokens", json={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 201
    return response.get_json()["token"]


def fuzz_operation(operation, mode: GenerationMode, headers, tuning=FUZZ) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @tuning
    def run(case):
        case.call_and_validate(headers=headers())
    run()


@pytest.mark.parametrize("caller", ["staff", "anonymous"])
def test_every_operation_holds_to_its_description(demo_app, caller):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)
    acceptance = schema.config.checks.positive_data_acceptance
    # A fresh token per call: an operation may revoke the token or end the sessions it was given.
    headers = (lambda: {"Authorization": f"Bearer {staff_token(demo_app)}"}) if caller == "staff" else dict
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        acceptance.expected_statuses = ACCEPTED_OR_REFUSED_BY_THE_RULES + (
            ["400"] if operation.definition.raw.get("operationId") in CROSS_FIELD_RULES else [])
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz_operation(operation, mode, headers)
            except Unsatisfiable:
                pass  # no invalid value exists (a path segment that is any non-empty string)
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001  (collect all, then report)
                failures.append(f"{operation.label} [{mode.value}]: {failure}")
    assert not failures, "\n\n".join(failures)


def test_an_undocumented_status_fails_the_run(demo_app):
    """The run holds every answer to the document: take 404 out of getTicket's answers, and the
    staff's run over it (unknown ticket ids) fails on the first one."""
    document = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    del document["paths"]["/queue/tickets/{ticket_id}"]["get"]["responses"]["404"]
    schema = schemathesis.openapi.from_dict(document)
    schema.app = demo_app
    operation = schema["/queue/tickets/{ticket_id}"]["GET"]
    with pytest.raises((Exception, BaseExceptionGroup), match="Undocumented status code"):
        fuzz_operation(operation, GenerationMode.POSITIVE,
                       lambda: {"Authorization": f"Bearer {staff_token(demo_app)}"},
                       settings(FUZZ, phases=[Phase.generate]))   # no shrinking: the failure is what counts
