"""Incidents and alerts (kiosk/incidents): what conditions found from opening to closing, each unit's
alert channels (the signing secret encrypted: a Text column), and every message sent to them.

Revision ID: 0025_incidents
Revises: 0024_village_voice
"""
from alembic import op
import sqlalchemy as sa


revision = '0025_incidents'
down_revision = '0024_village_voice'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('wecom', 'dingtalk', 'webhook', 'email', name='channelkind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_alert_channel_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_channel'))
    )
    with op.batch_alter_table('alert_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_channel_unit_id'), ['unit_id'], unique=False)

    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('user_ids', sa.JSON(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_found_at', sa.DateTime(), nullable=False),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('flaps', sa.Integer(), nullable=False),
    sa.Column('last_notified', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_incident_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index('ix_incident_kind_key', ['kind', 'key'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_unit_id'), ['unit_id'], unique=False)

    op.create_table('alert_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.Enum('open', 'close', 'digest', 'test', name='deliveryevent', native_enum=False, length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='deliverystatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['alert_channel.id'], name=op.f('fk_alert_delivery_channel_id_alert_channel'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_alert_delivery_incident_id_incident'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_delivery'))
    )
    with op.batch_alter_table('alert_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_delivery_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_delivery_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_delivery_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('alert_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_delivery_status'))
        batch_op.drop_index(batch_op.f('ix_alert_delivery_incident_id'))
        batch_op.drop_index(batch_op.f('ix_alert_delivery_channel_id'))

    op.drop_table('alert_delivery')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_unit_id'))
        batch_op.drop_index('ix_incident_kind_key')
        batch_op.drop_index(batch_op.f('ix_incident_closed_at'))

    op.drop_table('incident')
    with op.batch_alter_table('alert_channel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_channel_unit_id'))

    op.drop_table('alert_channel')
