"""The audit chain's head in one locked row (entries appended strictly one after another by every
process), and the key each entry is signed with (HMAC, keys kept outside the database).

The existing entries, chained with plain SHA-256 that anyone with the database could recompute, are
signed again in id order with the server's key (run `kiosk audit verify` before upgrading: what it
reports then is not visible afterwards). The append-only triggers step aside inside this migration's
transaction for that and come back before it ends.

Revision ID: 0015_audit
Revises: 0014_security
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_audit'
down_revision = '0014_security'
branch_labels = None
depends_on = None


NO_UPDATE = """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""


def _sign_existing_entries() -> str:
    from datetime import timezone

    from kiosk.audit.chain import GENESIS, link
    bind = op.get_bind()
    audit = sa.table("audit_entry", *(sa.column(name) for name in (
        "id", "prev_hash", "entry_hash", "key_id", "actor_id", "actor_name", "unit_id", "action", "object_type",
        "object_id", "reason")), sa.column("at", sa.DateTime()), sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()))
    postgres = bind.dialect.name == "postgresql"
    op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only" if postgres
               else "DROP TRIGGER audit_entry_no_update")
    head = GENESIS
    for row in bind.execute(sa.select(audit).order_by(audit.c.id)).mappings().all():
        linked = link({**row, "at": row["at"].replace(tzinfo=timezone.utc)}, head)
        bind.execute(audit.update().where(audit.c.id == row["id"]).values(
            prev_hash=linked["prev_hash"], key_id=linked["key_id"], entry_hash=linked["entry_hash"]))
        head = linked["entry_hash"]
    op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only" if postgres else NO_UPDATE)
    return head


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), server_default='', nullable=False))
    newest = _sign_existing_entries()
    head = op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.bulk_insert(head, [{'id': 1, 'entry_hash': newest}])


def downgrade():
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_entry', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('key_id')
