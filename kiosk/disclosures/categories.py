"""Categories are data: administrators add and change them."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from kiosk.accounts.models import User
from kiosk.accounts.permissions import ensure_county_administrator
from kiosk.audit.operations import audited, record_change
from kiosk.core.errors import InvalidInput
from kiosk.disclosures.models import Category
from kiosk.extensions import db


def all_categories(include_inactive: bool = False) -> list[Category]:
    query = select(Category).order_by(Category.position, Category.id)
    if not include_inactive:
        query = query.where(Category.active.is_(True))
    return list(db.session.scalars(query))


def save_category(user: User, data: dict) -> Category:
    """Create the category with data["code"], or change it if it exists."""
    ensure_county_administrator(user)
    if (data.get("min_period_length") is None) != (data.get("min_period_unit") is None):
        raise InvalidInput(_("Give both the length and the unit of the minimum publicity period."),
                           details={"field": "min_period_length"})
    category = db.session.scalar(select(Category).where(Category.code == data["code"]))
    if category is None:
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
        category = Category(position=position, **data)
        db.session.add(category)
        db.session.flush()
        record_change("category.create", category)
        return category
    with audited("category.update", category):
        for name, value in data.items():
            setattr(category, name, value)
    return category
