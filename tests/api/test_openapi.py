import ast
import inspect
import json
import re
import textwrap

from werkzeug.local import LocalProxy

from kiosk.api.registry import OPERATIONS
from kiosk.core.errors import KioskError


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
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.getOpenApi" \
                and not rule.endpoint.startswith("api_docs."):   # the document's own page
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in documented, (method, rule.rule)


def _resolve(expression: ast.expr, names: dict):
    """What a name or dotted name in a function's code stands for (None when not plain to see)."""
    if isinstance(expression, ast.Name):
        return names.get(expression.id)
    if isinstance(expression, ast.Attribute):
        owner = _resolve(expression.value, names)
        if owner is None or isinstance(owner, LocalProxy):   # request, current_user: known only in a request
            return None
        return getattr(owner, expression.attr, None)
    return None


def raisable_errors(function, seen: set) -> dict[type, str]:
    """The rule errors (KioskError classes) `function` and the project's functions it calls can
    raise, each with one place that raises it: a static reading of the code, which leaves out what
    a `try` around the call catches and may list an error that a condition never lets happen."""
    function = inspect.unwrap(function)
    if function in seen or not getattr(function, "__module__", "").startswith("kiosk"):
        return {}
    seen.add(function)
    try:
        definition = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    except (OSError, TypeError, SyntaxError):
        return {}
    closure = inspect.getclosurevars(function)
    names = {**closure.builtins, **function.__globals__, **closure.globals, **closure.nonlocals}
    where = f"{function.__module__}.{function.__qualname__}"
    return _raised_in(definition.body, names, where, seen)   # the body, not the decorators


def _raised_in(statements: list, names: dict, where: str, seen: set) -> dict[type, str]:
    found: dict[type, str] = {}
    for statement in statements:
        if isinstance(statement, ast.Try):
            caught = tuple(_resolve(handler.type, names) or BaseException if handler.type is not None
                           else BaseException for handler in statement.handlers)
            caught = tuple(c for c in caught if isinstance(c, type)) or (BaseException,)
            inner = _raised_in(statement.body, names, where, seen)
            found |= {error: place for error, place in inner.items() if not issubclass(error, caught)}
            for rest in (*statement.handlers, ast.Module(statement.orelse, []), ast.Module(statement.finalbody, [])):
                found |= _raised_in(rest.body, names, where, seen)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                raised = _resolve(node.exc.func, names)
                if isinstance(raised, type) and issubclass(raised, KioskError):
                    found.setdefault(raised, where)
            elif isinstance(node, ast.Call):
                called = _resolve(node.func, names)
                if inspect.isfunction(called) or inspect.ismethod(called):
                    for error, place in raisable_errors(called, seen).items():
                        found.setdefault(error, place)
    return found


def test_every_status_an_operation_can_raise_is_documented(app):
    """The operations' declared answers against the error classes their code can raise."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {op["operationId"]: set(op["responses"]) for path in document["paths"].values()
                  for op in path.values()}
    missing = []
    for operation_id in OPERATIONS:
        view = app.view_functions[f"api.{operation_id}"]
        for error, where in raisable_errors(view, set()).items():
            if str(error.status) not in documented[operation_id]:
                missing.append(f"{operation_id}: {error.status} {error.__name__} (raised in {where})")
    assert not missing, "\n".join(missing)
