"""The touch kiosk: service guides (办事指南) and visitors' messages left at the kiosk.

Revision ID: 0010_touch
Revises: 0006_one_head
"""
from alembic import op
import sqlalchemy as sa

revision = '0010_touch'
down_revision = '0009_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('touch_guide',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('office', sa.String(length=120), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('steps', sa.Text(), nullable=False),
    sa.Column('time_limit', sa.String(length=120), nullable=False),
    sa.Column('fee', sa.String(length=120), nullable=False),
    sa.Column('window', sa.String(length=120), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_touch_guide_hall_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['queue_service.id'], name=op.f('fk_touch_guide_service_id_queue_service'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touch_guide'))
    )
    op.create_index(op.f('ix_touch_guide_hall_id'), 'touch_guide', ['hall_id'], unique=False)
    op.create_table('touch_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'answered', 'dismissed', name='messagestatus', native_enum=False, length=16),
              nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_touch_message_hall_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user_account.id'], name=op.f('fk_touch_message_handled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_touch_message'))
    )
    op.create_index(op.f('ix_touch_message_created_at'), 'touch_message', ['created_at'], unique=False)
    op.create_index(op.f('ix_touch_message_hall_id'), 'touch_message', ['hall_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_touch_message_hall_id'), table_name='touch_message')
    op.drop_index(op.f('ix_touch_message_created_at'), table_name='touch_message')
    op.drop_table('touch_message')
    op.drop_index(op.f('ix_touch_guide_hall_id'), table_name='touch_guide')
    op.drop_table('touch_guide')
