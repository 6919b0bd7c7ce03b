"""Read-then-write without lost updates, on SQLite and PostgreSQL alike.

A write action that decides from what it reads (the next queue number, "is this command answered
yet?") starts with `begin_writing()` and reads its rows with `locked_row()`. On SQLite the
transaction takes the database's one write lock first (BEGIN IMMEDIATE), so a second writer waits
(busy_timeout) instead of reading a row that is about to change; on PostgreSQL the row is locked
FOR UPDATE until the transaction ends.
"""
from sqlalchemy import select

from kiosk.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def begin_writing() -> None:
    """On SQLite, make this transaction a writer from its next statement. A transaction that
    already wrote holds the lock already."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def locked_row(model, row_id: int):
    """The row (or None), fresh from the database and, on PostgreSQL, locked until the transaction ends."""
    statement = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    if dialect() == "postgresql":
        statement = statement.with_for_update(of=model)
    return db.session.scalar(statement)
