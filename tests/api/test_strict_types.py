"""Strict types at the API's edge: every field of every operation's request body, walked from the
OpenAPI document, refuses a value of another JSON type with a 400 naming that field (never a 2xx
that took 0 for false or for 1970-01-01, never a 500)."""
from kiosk.accounts.models import Role
from kiosk.api.registry import OPERATIONS

# A value of each JSON type that another type's field must refuse (True: a boolean, never 1).
SAMPLES = {"integer": ["1", True, 1.5],   # 1.0 is an integer to JSON Schema too
           "number": ["1", True], "boolean": [0, 1, "true"],
           "string": [0, True], "array": ["x", 0], "object": ["x", 0]}
ACCOUNT_FOR_ROLE = {Role.administrator: "admin", Role.editor: "editor", Role.reviewer: "reviewer",
                    Role.screen_manager: "screens", Role.window_clerk: "window1", Role.supervisor: "lizhuang-jd"}


def _resolve(schema: dict, schemas: dict) -> dict:
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def json_types(schema: dict, schemas: dict) -> set[str]:
    """The JSON types a field's schema admits ("integer" admits what "number" does not, and the reverse)."""
    schema = _resolve(schema, schemas)
    if "anyOf" in schema or "oneOf" in schema:
        return set().union(*(json_types(s, schemas) for s in schema.get("anyOf", schema.get("oneOf"))))
    kind = schema.get("type")
    if kind is None and "enum" in schema:
        return {type_name(v) for v in schema["enum"]}
    if kind is None and "const" in schema:
        return {type_name(schema["const"])}
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


def type_name(value) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}[type(value)]


def wrong_values(types: set[str]) -> list:
    if not types:   # any value goes
        return []
    admitted = types | ({"integer"} if "number" in types else set())
    return [value for kind, values in SAMPLES.items() if kind not in admitted for value in values
            if type_name(value) not in admitted]


def _headers_for(op, token_for) -> dict:
    if op.public and not op.roles:
        return token_for("admin")
    return token_for(ACCOUNT_FOR_ROLE[op.roles[0]] if op.roles else "admin")


def _url(op) -> str:
    path = op.path
    for name, converter in op.path_types.items():
        value = "2026-11-28" if op.path_formats.get(name) == "date" else "1" if converter == "int" else "x"
        path = path.replace("{" + name + "}", value)
    return "/api/v1" + path


def test_every_body_field_refuses_another_json_type(demo_app, token_for):
    document = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    client = demo_app.test_client()
    tried, wrong = 0, []
    for op in OPERATIONS.values():
        if op.body is None:
            continue
        headers = _headers_for(op, token_for)
        body_schema = _resolve({"$ref": f"#/components/schemas/{op.body.__name__}"}, schemas)
        for field, field_schema in body_schema.get("properties", {}).items():
            for value in wrong_values(json_types(field_schema, schemas)):
                tried += 1
                response = client.open(_url(op), method=op.method.upper(), json={field: value}, headers=headers)
                named = {e["field"].split(".")[0] for e in (response.get_json() or {}).get("errors", [])}
                if response.status_code not in (400, 422) or field not in named:
                    wrong.append(f"{op.operation_id} {field}={value!r}: {response.status_code} "
                                 f"{response.get_data(as_text=True)[:200]}")
    assert tried > 300
    assert not wrong, "\n".join(wrong)


def test_holiday_day_zero_is_not_1970(demo_app, token_for):
    response = demo_app.test_client().put("/api/v1/holidays", json={"day": 0, "kind": "holiday"},
                                          headers=token_for("admin"))
    assert response.status_code == 400
    assert response.get_json()["field"] == "day"


def test_upload_fields_refuse_text_where_a_file_is_declared(demo_app, token_for):
    """Multipart fields declared as files (format binary) refuse a plain text field."""
    document = demo_app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    client = demo_app.test_client()
    uploads = [op for op in OPERATIONS.values() if op.form is not None]
    assert uploads
    for op in uploads:
        properties = schemas[op.form.__name__]["properties"]
        text_fields = {name: "1" for name in properties}
        response = client.open(_url(op), method=op.method.upper(), data=text_fields,
                               content_type="multipart/form-data", headers=_headers_for(op, token_for))
        assert response.status_code == 400, (op.operation_id, response.get_data(as_text=True))
