"""Pydantic validation errors as field messages staff can act on, in one place.

Every form and API error that reaches a staff page goes through `field_errors`: each error says
which field (named as the form names it, lists counted from 1 as the form shows them), what is
wrong and what is allowed, and all errors come at once. Features give the names of their fields.
"""
import re
from collections.abc import Mapping

from flask_babel import gettext as _
from pydantic import ValidationError


def _too_long(item: dict) -> str:
    limit = item["ctx"]["max_length"]
    value = item.get("input")
    if isinstance(value, str):
        return _("At most %(limit)s characters; this has %(count)s.", limit=format(limit, ","),
                 count=format(len(value), ","))
    if isinstance(value, (list, tuple)):
        return _("At most %(limit)s items; this has %(count)s.", limit=limit, count=len(value))
    return _("At most %(limit)s characters.", limit=format(limit, ","))


def _too_short(item: dict) -> str:
    limit = item["ctx"]["min_length"]
    if isinstance(item.get("input"), (list, tuple)):
        return _("Add at least %(limit)s.", limit=limit)
    if limit == 1:
        return _("This must not be empty.")
    return _("At least %(limit)s characters.", limit=limit)


def _error_text(item: dict) -> str:
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "missing":
        return _("This must be filled in.")
    if kind in ("string_too_long", "too_long"):
        return _too_long(item)
    if kind in ("string_too_short", "too_short"):
        return _too_short(item)
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.", limit=ctx["ge"])
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.", limit=ctx["le"])
    if kind == "greater_than":
        return _("Must be more than %(limit)s.", limit=ctx["gt"])
    if kind == "less_than":
        return _("Must be less than %(limit)s.", limit=ctx["lt"])
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Give a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return _("Give a number.")
    if kind.startswith("datetime_"):
        return _("Give a date and time, e.g. 2026-11-28 08:00.")
    if kind.startswith("date_"):
        return _("Give a date, e.g. 2026-11-28.")
    if kind.startswith("time_"):
        return _("Give a time of day, e.g. 08:30.")
    if kind in ("enum", "literal_error"):
        if ctx.get("expected"):   # an API caller sees no list: name the choices
            # pydantic writes "'a', 'b' or 'c'"; list them as Chinese does.
            choices = re.split(r", | or ", str(ctx["expected"]))
            return _("Choose one of %(choices)s.", choices="、".join(choices))
        return _("Choose one of the listed options.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Choose yes or no.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    if kind == "string_pattern_mismatch":
        return _("This is not in the expected form.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])   # our validators raise translated messages
    return _("This value is not valid.")


def field_label(loc: tuple, labels: Mapping[str, str]) -> str:
    """A field's place as the form shows it: 页面 2 · 时长 for ("slides", 1, "duration")."""
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [_("%(name)s %(number)s", name=parts[-1] if parts else _("item"), number=part + 1)]
        else:
            parts.append(str(labels.get(part, _("a field"))))
    return " · ".join(parts) or _("the form")


def field_errors(error: ValidationError, labels: Mapping[str, str]) -> list[dict]:
    """Every error as {field: dotted path, label: as the form names it, message}."""
    found = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        found.append({"field": ".".join(str(p) for p in loc) or "form", "label": field_label(loc, labels),
                      "message": _error_text(item)})
    return found


def summary(errors: list[dict]) -> str:
    """All errors in one line, for an API message or a banner."""
    return _("; ").join(_("%(field)s: %(message)s", field=e["label"], message=e["message"]) if e["label"]
                        else e["message"] for e in errors)


def by_field(errors: list[dict]) -> dict[str, str]:
    """For a server-rendered form: the first message per top-level field (what the form marks)."""
    marked = {}
    for e in errors:
        marked.setdefault(e["field"].split(".")[0], e["message"] if "." not in e["field"]
                          else f'{e["label"]}：{e["message"]}')
    return marked
