"""Choices of staff forms that name a unit or a thing of a unit, built one way for every page."""
from wtforms.fields.choices import SelectChoice

from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.org.operations import subtree


def unit_choices(unit: Unit) -> list[SelectChoice]:
    """The units a form of someone placed at `unit` may name: theirs and those below it."""
    return [SelectChoice(u.code, u.name) for u in db.session.scalars(subtree(unit))]


def choices_by_unit(things) -> list[SelectChoice]:
    """Screens or screen groups as choices by id, each named with its unit (two villages may both
    have a 公开栏)."""
    return [SelectChoice(thing.id, f"{thing.name} ({thing.unit.name})") for thing in things]
