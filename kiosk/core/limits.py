"""Input bounds every route shares, so no input reaches the database or the parser out of range.

- `<int:...>` in a URL accepts only ids a 64-bit integer column can hold (else 404, not an
  overflow deep in the driver).
- JSON request bodies nest at most MAX_JSON_DEPTH levels (else 400, not a RecursionError).
"""
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

MAX_DB_ID = 2**63 - 1
MAX_JSON_DEPTH = 32


class DatabaseId(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_ID, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


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
    """Call before any blueprint is registered (URL rules pick their converter when added)."""
    app.url_map.converters["int"] = DatabaseId
    app.json = BoundedJSON(app)
