"""Audit entries older than the retention archived to signed files (kiosk/audit/archive.py): the
archives' table, and delete triggers that let go only of ids an archive row covers.

Revision ID: 0016_audit_archive
Revises: 0015_audit
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_audit_archive'
down_revision = '0015_audit'
branch_labels = None
depends_on = None

ARCHIVED = "(SELECT COALESCE(MAX(through_id), 0) FROM audit_archive)"


def _append_only(archived_may_go: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        let_go = f"IF TG_OP = 'DELETE' THEN IF OLD.id <= {ARCHIVED} THEN RETURN OLD; END IF; END IF;" \
            if archived_may_go else ""
        op.execute(f"""
            CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger AS $$
            BEGIN {let_go} RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        when = f"WHEN OLD.id > {ARCHIVED}" if archived_may_go else ""
        op.execute(f"""
            CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry {when}
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""")


def upgrade():
    op.create_table('audit_archive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('through_id', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('first_prev_hash', sa.String(length=64), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_archive'))
    )
    with op.batch_alter_table('audit_archive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_archive_through_id'), ['through_id'], unique=False)
    _append_only(archived_may_go=True)


def downgrade():
    _append_only(archived_may_go=False)
    with op.batch_alter_table('audit_archive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_archive_through_id'))
    op.drop_table('audit_archive')
