import functools
import json
import re
from dataclasses import dataclass, field

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from kiosk.accounts.loader import authenticated_by_token
from kiosk.accounts.models import Role
from kiosk.core.errors import Forbidden, InvalidInput, Unauthorized
from kiosk.core.validation import field_errors, summary
from kiosk.extensions import csrf

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer-token clients carry no cookie, so CSRF cannot apply to them; session callers are
# checked in _csrf_for_session_callers below.
csrf.exempt(api_bp)


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    summary: str
    tag: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    public: bool
    roles: tuple[Role, ...]
    errors: tuple[int, ...] = field(default_factory=tuple)
    form: type[BaseModel] | None = None  # a multipart body the view reads itself (uploads)
    path_types: dict[str, str] = field(default_factory=dict)  # path parameter → its URL converter
    path_formats: dict[str, str] = field(default_factory=dict)  # string path parameter → its format (date)


OPERATIONS: dict[str, Operation] = {}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _path_types(rule: str) -> dict[str, str]:
    return {name: converter or "string" for converter, name in re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", rule)}


def operation(rule: str, *, method: str, operation_id: str, summary: str, tag: str,
              body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
              response: type[BaseModel] | None = None, status: int = 200, public: bool = False,
              roles: tuple[Role, ...] = (), errors: tuple[int, ...] = (), form: type[BaseModel] | None = None,
              path_formats: dict[str, str] | None = None):
    """Register an API operation.

    Non-public operations need a logged-in staff member (session or bearer token) and, when
    `roles` is given, one of those roles. Unit-level checks stay in the operations, which know
    which unit an object belongs to. The view receives the validated `body` / `query` models as
    keyword arguments and returns a dict, a list, a pydantic model or a Flask response. `form`
    only describes a multipart body (an upload) that the view reads from `request` itself.
    """
    if operation_id in OPERATIONS:
        raise RuntimeError(f"operationId {operation_id} registered twice")

    def decorate(view):
        OPERATIONS[operation_id] = Operation(operation_id, method.lower(), _openapi_path(rule), summary, tag,
                                             body, query, response, status, public, roles, errors, form,
                                             _path_types(rule), path_formats or {})

        @functools.wraps(view)
        def wrapper(**kwargs):
            if not public:
                if not current_user.is_authenticated:
                    raise Unauthorized(_("Log in or send a bearer token."))
                if roles and not current_user.has_role(*roles):
                    raise Forbidden(_("Your account does not have the role for this."))
            if body is not None:
                kwargs["body"] = json_body(body)
            if query is not None:
                kwargs["query"] = parse_query(query)
            result = view(**kwargs)
            if isinstance(result, BaseModel):
                return jsonify(result.model_dump(mode="json")), status
            if isinstance(result, (dict, list)):
                return jsonify(result), status
            return result

        api_bp.add_url_rule(rule, endpoint=operation_id, view_func=wrapper, methods=[method.upper()])
        return wrapper

    return decorate


def invalid_input(error: ValidationError, model: type[BaseModel]) -> InvalidInput:
    """A refused body or query: every error named as the staff pages name the field (models give
    `field_labels`), in the message and as `errors` [{field, label, message}]; `field` is the first."""
    errors = field_errors(error, getattr(model, "field_labels", {}))
    return InvalidInput(summary(errors), details={"field": errors[0]["field"], "errors": errors})


def json_body(model: type[BaseModel]) -> BaseModel:
    """The body as `model`, strictly typed: a date, boolean or number only from its own JSON type
    (0 is neither false nor 1970-01-01). Strict JSON mode still reads dates, times and enums from
    their strings, and `get_json` has already held the body to the app's depth limit. A whole number
    written 1.0 is an integer, as JSON Schema (and so the document) counts it."""
    if request.get_json(silent=True) is None:
        raise InvalidInput(_("Send a JSON object with Content-Type: application/json."))
    data = json.loads(request.get_data(), parse_float=_json_number)
    try:
        return model.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as error:
        raise invalid_input(error, model)   # messages never echo the input (a password, say)


def _json_number(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


def parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise invalid_input(error, model)


@api_bp.before_request
def _csrf_for_session_callers():
    """A browser calling the API with its login cookie must prove the page is ours. Only a valid
    bearer token (which no other site's page can send for the user) skips the check; a request whose
    cookie no longer logs anyone in is simply anonymous (401 where a login is needed)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if current_user.is_authenticated and not authenticated_by_token():
        csrf.protect()
