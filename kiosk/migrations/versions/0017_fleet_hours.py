"""Screens in the field: on-hours per group or screen (kiosk/screens/hours.py), the offline alert's
delay per group, and what a player reports of itself (browser, pixel ratio, free storage, last error).

Revision ID: 0017_fleet_hours
Revises: 0016_audit_archive
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_fleet_hours'
down_revision = '0016_audit_archive'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('screen_on_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('screen_id', sa.Integer(), nullable=True),
    sa.Column('week', sa.JSON(), nullable=False),
    sa.CheckConstraint('(group_id IS NULL) <> (screen_id IS NULL)', name=op.f('ck_screen_on_hours_on_hours_one_owner')),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_screen_on_hours_group_id_screen_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_screen_on_hours_screen_id_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_on_hours')),
    sa.UniqueConstraint('group_id', name=op.f('uq_screen_on_hours_group_id')),
    sa.UniqueConstraint('screen_id', name=op.f('uq_screen_on_hours_screen_id'))
    )
    with op.batch_alter_table('screen_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offline_alert_minutes', sa.Integer(), server_default='10', nullable=False))
    with op.batch_alter_table('screen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('browser', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pixel_ratio', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('storage_free', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('last_error_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('screen', schema=None) as batch_op:
        for column in ('last_error_at', 'last_error', 'storage_free', 'pixel_ratio', 'browser'):
            batch_op.drop_column(column)
    with op.batch_alter_table('screen_group', schema=None) as batch_op:
        batch_op.drop_column('offline_alert_minutes')
    op.drop_table('screen_on_hours')
