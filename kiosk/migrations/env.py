"""Alembic environment: runs against the app's engine, handed in by kiosk.core.migrate."""
from alembic import context

import kiosk.models  # noqa: F401
from kiosk.core.db import UTCDateTime
from kiosk.extensions import db


def render_item(type_, obj, autogen_context):
    """Migrations name plain SQL types, never our Python classes, so they outlive refactors."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=db.metadata, render_as_batch=True,
                  compare_type=True, render_item=render_item)
with context.begin_transaction():
    context.run_migrations()
