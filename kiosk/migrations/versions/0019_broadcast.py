"""Tickers (滚动字幕) and official warnings (CAP 1.2): tickers and their groups, warning sources,
every alert received, what each became per unit, the per-unit approval policy, and each unit's
administrative division code (行政区划代码).

Revision ID: 0019_broadcast
Revises: 0018_screen_commands
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_broadcast'
down_revision = '0018_screen_commands'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('warning_policy',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('approval_required', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_warning_policy_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_warning_policy'))
    )
    op.create_table('warning_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('feed_url', sa.String(length=500), nullable=True),
    sa.Column('poll_seconds', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_polled_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('seen', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_warning_source_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_source')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_warning_source_token_hash'))
    )
    with op.batch_alter_table('warning_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_source_unit_id'), ['unit_id'], unique=False)

    op.create_table('ticker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('speed', sa.Float(), nullable=False),
    sa.Column('pause', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('weekdays', sa.String(length=7), nullable=False),
    sa.Column('time_from', sa.Time(), nullable=True),
    sa.Column('time_until', sa.Time(), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_ticker_created_by_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_ticker_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticker'))
    )
    with op.batch_alter_table('ticker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticker_unit_id'), ['unit_id'], unique=False)

    op.create_table('warning_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('received_via', sa.String(length=8), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.Enum('placed', 'malformed', 'unknown_area', 'expired', 'not_actual', 'duplicate', 'cancel', 'unknown_reference', 'ended', 'replaced', 'cancelled', name='alertoutcome', native_enum=False, length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('identifier', sa.String(length=255), nullable=False),
    sa.Column('sender', sa.String(length=255), nullable=False),
    sa.Column('sent', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('msg_type', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('references', sa.Text(), nullable=False),
    sa.Column('event', sa.String(length=255), nullable=False),
    sa.Column('headline', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('instruction', sa.Text(), nullable=False),
    sa.Column('sender_name', sa.String(length=255), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('urgency', sa.String(length=16), nullable=False),
    sa.Column('certainty', sa.String(length=16), nullable=False),
    sa.Column('expires', sa.DateTime(), nullable=True),
    sa.Column('area', sa.Text(), nullable=False),
    sa.Column('geocodes', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['warning_source.id'], name=op.f('fk_warning_alert_source_id_warning_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_alert'))
    )
    with op.batch_alter_table('warning_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_alert_identifier'), ['identifier'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_alert_source_id'), ['source_id'], unique=False)

    op.create_table('ticker_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticker_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_ticker_target_group_id_screen_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticker_id'], ['ticker.id'], name=op.f('fk_ticker_target_ticker_id_ticker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticker_target')),
    sa.UniqueConstraint('ticker_id', 'group_id', name=op.f('uq_ticker_target_ticker_id'))
    )
    with op.batch_alter_table('ticker_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticker_target_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticker_target_ticker_id'), ['ticker_id'], unique=False)

    op.create_table('warning_placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('awaiting', 'shown', 'rejected', 'ended', name='placementstate', native_enum=False, length=16), nullable=False),
    sa.Column('held_for_privacy', sa.Boolean(), nullable=False),
    sa.Column('urgent_id', sa.Integer(), nullable=True),
    sa.Column('ticker_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['warning_alert.id'], name=op.f('fk_warning_placement_alert_id_warning_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_warning_placement_decided_by_user_account')),
    sa.ForeignKeyConstraint(['ticker_id'], ['ticker.id'], name=op.f('fk_warning_placement_ticker_id_ticker')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_warning_placement_unit_id_unit')),
    sa.ForeignKeyConstraint(['urgent_id'], ['urgent_notice.id'], name=op.f('fk_warning_placement_urgent_id_urgent_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_placement')),
    sa.UniqueConstraint('alert_id', 'unit_id', name=op.f('uq_warning_placement_alert_id'))
    )
    with op.batch_alter_table('warning_placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_placement_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_placement_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('division_code', sa.String(length=12), nullable=True))
        batch_op.create_index(batch_op.f('ix_unit_division_code'), ['division_code'], unique=False)



def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_division_code'))
        batch_op.drop_column('division_code')

    with op.batch_alter_table('warning_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_placement_unit_id'))
        batch_op.drop_index(batch_op.f('ix_warning_placement_alert_id'))

    op.drop_table('warning_placement')
    with op.batch_alter_table('ticker_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticker_target_ticker_id'))
        batch_op.drop_index(batch_op.f('ix_ticker_target_group_id'))

    op.drop_table('ticker_target')
    with op.batch_alter_table('warning_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_alert_source_id'))
        batch_op.drop_index(batch_op.f('ix_warning_alert_identifier'))

    op.drop_table('warning_alert')
    with op.batch_alter_table('ticker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticker_unit_id'))

    op.drop_table('ticker')
    with op.batch_alter_table('warning_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_source_unit_id'))

    op.drop_table('warning_source')
    op.drop_table('warning_policy')
