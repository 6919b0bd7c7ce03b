import json
import re

from kiosk.api.registry import OPERATIONS


def test_document_lists_every_operation_with_a_stable_id(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) == len(OPERATIONS)
    assert {"createToken", "listUsers", "createUser", "updateUser", "listAuditEntries"} <= set(ids)
    assert all(re.fullmatch(r"[a-z][A-Za-z]+", i) for i in ids)


def test_every_reference_resolves_and_errors_are_described(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    refs = re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', json.dumps(document))
    assert refs and all(ref in schemas for ref in refs)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert any(code.startswith("2") for code in operation["responses"]), (path, method)
            assert "400" in operation["responses"], (path, method)


def test_every_route_under_the_api_is_documented(app):
    documented = {(op.method.upper(), op.path) for op in OPERATIONS.values()}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.getOpenApi":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in documented, (method, rule.rule)
