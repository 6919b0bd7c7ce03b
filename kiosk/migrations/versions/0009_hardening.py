"""Hardening: session generations, the audit log's hash chain, and triggers that also refuse
REPLACE (SQLite) and TRUNCATE (PostgreSQL).

Existing audit entries are chained in id order; for that the append-only triggers step aside
inside this migration's transaction and come back before it ends.

Revision ID: 0009_hardening
Revises: 0006_one_head
"""
from datetime import timezone

import sqlalchemy as sa
from alembic import op

revision = "0009_hardening"
down_revision = "0008_privacy"
branch_labels = None
depends_on = None


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _chain_existing_entries():
    from kiosk.audit.chain import GENESIS, entry_hash
    bind = op.get_bind()
    audit = sa.table("audit_entry", *(sa.column(name) for name in (
        "id", "prev_hash", "entry_hash", "actor_id", "actor_name", "unit_id", "action", "object_type",
        "object_id", "reason")), sa.column("at", sa.DateTime()), sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()))
    prev = GENESIS
    for row in bind.execute(sa.select(audit).order_by(audit.c.id)).mappings().all():
        at = row["at"].replace(tzinfo=timezone.utc)
        digest = entry_hash(prev, at, row["actor_id"], row["actor_name"], row["unit_id"], row["action"],
                            row["object_type"], row["object_id"], row["before"], row["after"], row["reason"])
        bind.execute(audit.update().where(audit.c.id == row["id"]).values(prev_hash=prev, entry_hash=digest))
        prev = digest


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    if _postgres():
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update")
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _chain_existing_entries()
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
    if _postgres():
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        op.execute("""
            CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
            FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only()""")
    else:
        _sqlite_append_only_triggers()


def _sqlite_append_only_triggers():
    # batch_alter_table rebuilt the table, which drops its triggers: create them all again.
    for name in ("audit_entry_no_update", "audit_entry_no_delete", "audit_entry_no_replace"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""")
    # REPLACE / INSERT OR REPLACE deletes the old row without firing DELETE triggers: refuse any
    # insert whose id is taken, before the conflict resolution can run.
    op.execute("""
        CREATE TRIGGER audit_entry_no_replace BEFORE INSERT ON audit_entry
        WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""")


def downgrade():
    if _postgres():
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_replace")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
    if not _postgres():
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("session_generation")
