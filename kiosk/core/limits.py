"""Input bounds every route shares, so no input reaches the database or the parser out of range.

- `<int:...>` in a URL is answered 404 past what a 64-bit integer column holds (not an overflow
  deep in the driver). Checked after routing: a converter refusing the value would let Werkzeug
  answer 405 when another method's rule has the same path.
- JSON request bodies nest at most MAX_JSON_DEPTH levels (else 400, not a RecursionError).
"""
from flask import abort
from flask.json.provider import DefaultJSONProvider

MAX_DB_ID = 2**63 - 1
MAX_JSON_DEPTH = 32


def _ids_in_range(endpoint, values) -> None:
    if any(isinstance(value, int) and value > MAX_DB_ID for value in (values or {}).values()):
        abort(404)


def nests_deeper_than(value, limit: int) -> bool:
    """Whether arrays and objects in a parsed JSON value nest more than `limit` levels (no recursion)."""
    level = [value] if isinstance(value, (dict, list)) else []
    for _depth in range(limit):
        if not level:
            return False
        level = [child for container in level
                 for child in (container.values() if isinstance(container, dict) else container)
                 if isinstance(child, (dict, list))]
    return bool(level)


class BoundedJSON(DefaultJSONProvider):
    ensure_ascii = False   # answers in readable UTF-8, not \u escapes
    def loads(self, s, **kwargs):
        # Flask answers a ValueError raised here with 400.
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if nests_deeper_than(value, MAX_JSON_DEPTH):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return value


def apply_input_limits(app) -> None:
    app.url_value_preprocessor(_ids_in_range)
    app.json = BoundedJSON(app)
