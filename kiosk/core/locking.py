"""Read-then-write without lost updates, on SQLite and PostgreSQL alike.

A write action that decides from what it reads (the next queue number, "is this command answered
yet?") starts with `begin_writing()` and reads its rows with `locked_row()`. On SQLite the
transaction takes the database's one write lock first (BEGIN IMMEDIATE), so a second writer waits
(busy_timeout) instead of reading a row that is about to change; on PostgreSQL the row is locked
FOR UPDATE until the transaction ends. Where one statement can do the whole job, it does:
`claim_next()` for numbers, `upsert()` for a row that may already exist.
"""
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def begin_writing(connection=None) -> None:
    """On SQLite, make the transaction of `connection` (the session's by default) a writer from its
    next statement. A transaction that already wrote holds the lock already."""
    connection = connection if connection is not None else db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def locked_row(model, row_id: int):
    """The row (or None), fresh from the database and, on PostgreSQL, locked until the transaction ends."""
    statement = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    if dialect() == "postgresql":
        statement = statement.with_for_update(of=model)
    return db.session.scalar(statement)


def upsert(model):
    """INSERT … ON CONFLICT for this database (SQLite and PostgreSQL spell it alike)."""
    return (postgresql.insert if dialect() == "postgresql" else sqlite.insert)(model)


def claim_next(counter, column, **keys) -> int:
    """Add one to `column` of the `counter` row with `keys` (created at 1) and return it, in one
    statement. The row stays locked until the transaction ends: a rolled-back claim gives its
    number back, so numbers are neither repeated nor skipped."""
    statement = upsert(counter).values(**keys, **{column.key: 1}).on_conflict_do_update(
        index_elements=[getattr(counter, key) for key in keys], set_={column.key: column + 1})
    return db.session.execute(statement.returning(column)).scalar_one()
