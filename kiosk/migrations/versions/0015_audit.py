"""The audit chain's head in one locked row (entries appended strictly one after another by every
process), and the key each entry was signed with (HMAC, keys kept outside the database; "" for the
entries chained before, plain SHA-256).

Revision ID: 0015_audit
Revises: 0010_touch
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_audit'
down_revision = '0010_touch'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), server_default='', nullable=False))
    head = op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    newest = op.get_bind().scalar(sa.text("SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"))
    op.bulk_insert(head, [{'id': 1, 'entry_hash': newest or '0' * 64}])


def downgrade():
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_entry', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('key_id')
