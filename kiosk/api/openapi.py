"""The OpenAPI 3.1 document, built from the registered operations and their pydantic models."""
import re

from flask import jsonify, url_for
from pydantic.json_schema import models_json_schema

from kiosk import __version__
from kiosk.api.registry import OPERATIONS, api_bp
from kiosk.core.limits import MAX_DB_ID

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
_STATUS_TEXT = {400: "Invalid input", 401: "Not logged in", 403: "Not allowed", 404: "Not found",
                409: "Conflicts with the current state", 413: "Too large", 415: "Unsupported type",
                422: "Text the font cannot draw",
                429: "Too many requests", 503: "The database is busy or unreachable; try again"}
_PATH_SCHEMAS = {"int": {"type": "integer", "minimum": 0, "maximum": MAX_DB_ID},
                 "string": {"type": "string", "minLength": 1}}


def _query_parameters(model) -> list[dict]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def build_document() -> dict:
    models = {m for op in OPERATIONS.values() for m in (op.body, op.response, op.form) if m is not None}
    _, defs = models_json_schema([(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
                                 ref_template="#/components/schemas/{model}")
    schemas = _local_times(dict(defs.get("$defs", {})))
    schemas["Error"] = _ERROR_SCHEMA
    paths: dict = {}
    for op in sorted(OPERATIONS.values(), key=lambda o: (o.path, o.method)):
        entry: dict = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag],
                       "responses": {}}
        parameters = [{"name": name, "in": "path", "required": True, "schema": _path_schema(op, name)}
                      for name in _path_names(op.path)]
        if op.query is not None:
            parameters += _query_parameters(op.query)
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}}}
        if op.form is not None:
            entry["requestBody"] = {"required": True, "content": {"multipart/form-data": {
                "schema": {"$ref": f"#/components/schemas/{op.form.__name__}"}}}}
        success: dict = {"description": "OK"}
        if op.response is not None:
            success["content"] = {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{op.response.__name__}"}}}
        entry["responses"][str(op.status)] = success
        error_codes = set(op.errors) | _always_possible(op)
        for code in sorted(error_codes):
            entry["responses"][str(code)] = {"description": _STATUS_TEXT.get(code, "Error"), "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if not op.public:
            entry["security"] = [{"bearer": []}, {"session": []}]
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Township kiosk and noticeboards", "version": __version__},
        "servers": [{"url": url_for("api.getOpenApi", _external=False).rsplit("/", 1)[0]}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }


# JSON Schema's `format: time` is RFC 3339's full-time, with an offset; ours are local times of day
# ("06:00" or "06:00:00", in KIOSK_TIMEZONE), so they are described by a pattern instead.
_LOCAL_TIME = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
               "description": "local time of day (KIOSK_TIMEZONE), HH:MM or HH:MM:SS"}


def _local_times(node):
    if isinstance(node, dict):
        if node.get("format") == "time":
            return {**{k: v for k, v in node.items() if k != "format"}, **_LOCAL_TIME,
                    "description": node.get("description", _LOCAL_TIME["description"])}
        return {key: _local_times(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_local_times(value) for value in node]
    return node


def _path_schema(op, name: str) -> dict:
    if name in op.path_formats:
        return {"type": "string", "format": op.path_formats[name]}
    return _PATH_SCHEMAS.get(op.path_types.get(name, "string"), _PATH_SCHEMAS["string"])


def _always_possible(op) -> set[int]:
    """Answers any operation of this shape can give, whatever its rules: bad input, no login or role,
    an id out of range or unknown, a body over the size limit, a busy database."""
    codes = {400, 503}
    if not op.public:
        codes |= {401, 403}
    if op.path_types:
        codes.add(404)
    if op.body is not None or op.form is not None:
        codes.add(413)
    return codes


def _path_names(path: str) -> list[str]:
    return re.findall(r"{([a-z_]+)}", path)


@api_bp.get("/openapi.json", endpoint="getOpenApi")
def openapi_document():
    return jsonify(build_document())
