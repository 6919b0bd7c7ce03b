"""The service-hall queue: services, windows, counters, tickets and their events, ratings, follow-ups.

Revision ID: 0004_queue
Revises: 0001_foundation
Create Date: 2026-11-22 00:14:53.093242
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_queue"
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('queue_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=True),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_service_hall_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_service')),
    sa.UniqueConstraint('hall_id', 'prefix', name=op.f('uq_queue_service_hall_id'))
    )
    with op.batch_alter_table('queue_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_service_hall_id'), ['hall_id'], unique=False)

    op.create_table('queue_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('priority_first', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_window_hall_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_window')),
    sa.UniqueConstraint('hall_id', 'number', name=op.f('uq_queue_window_hall_id'))
    )
    with op.batch_alter_table('queue_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_window_hall_id'), ['hall_id'], unique=False)

    op.create_table('queue_counter',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['queue_service.id'], name=op.f('fk_queue_counter_service_id_queue_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'day', name=op.f('pk_queue_counter'))
    )
    op.create_table('queue_ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('number_service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('priority', sa.Enum('normal', 'green', name='priority', native_enum=False, length=16), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'transferred', name='ticketstatus', native_enum=False, length=16), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('called_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('window_id', sa.Integer(), nullable=True),
    sa.Column('clerk_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_via', sa.String(length=16), nullable=False),
    sa.Column('recalls', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['user_account.id'], name=op.f('fk_queue_ticket_clerk_id_user_account')),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_ticket_hall_id_unit')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_queue_ticket_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['number_service_id'], ['queue_service.id'], name=op.f('fk_queue_ticket_number_service_id_queue_service')),
    sa.ForeignKeyConstraint(['service_id'], ['queue_service.id'], name=op.f('fk_queue_ticket_service_id_queue_service')),
    sa.ForeignKeyConstraint(['window_id'], ['queue_window.id'], name=op.f('fk_queue_ticket_window_id_queue_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_ticket')),
    sa.UniqueConstraint('number_service_id', 'day', 'number', name=op.f('uq_queue_ticket_number_service_id')),
    sa.UniqueConstraint('token', name=op.f('uq_queue_ticket_token'))
    )
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_ticket_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_queue_ticket_hall_id'), ['hall_id'], unique=False)
        batch_op.create_index('ix_queue_ticket_waiting', ['service_id', 'status', 'queued_at'], unique=False)
        batch_op.create_index('uq_queue_ticket_window_at_window', ['window_id'], unique=True, sqlite_where=sa.text("status IN ('called', 'serving')"), postgresql_where=sa.text("status IN ('called', 'serving')"))

    op.create_table('queue_window_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['queue_service.id'], name=op.f('fk_queue_window_service_service_id_queue_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['window_id'], ['queue_window.id'], name=op.f('fk_queue_window_service_window_id_queue_window'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_window_service')),
    sa.UniqueConstraint('window_id', 'service_id', name=op.f('uq_queue_window_service_window_id'))
    )
    with op.batch_alter_table('queue_window_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_window_service_window_id'), ['window_id'], unique=False)

    op.create_table('queue_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_rating_hall_id_unit')),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_ticket.id'], name=op.f('fk_queue_rating_ticket_id_queue_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_rating')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_queue_rating_ticket_id'))
    )
    with op.batch_alter_table('queue_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_rating_hall_id'), ['hall_id'], unique=False)

    op.create_table('queue_ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_ticket_event_hall_id_unit')),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_ticket.id'], name=op.f('fk_queue_ticket_event_ticket_id_queue_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_queue_ticket_event_user_id_user_account')),
    sa.ForeignKeyConstraint(['window_id'], ['queue_window.id'], name=op.f('fk_queue_ticket_event_window_id_queue_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_ticket_event'))
    )
    with op.batch_alter_table('queue_ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_ticket_event_hall_id'), ['hall_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_queue_ticket_event_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('queue_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('hall_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('action_taken', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_queue_follow_up_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['hall_id'], ['unit.id'], name=op.f('fk_queue_follow_up_hall_id_unit')),
    sa.ForeignKeyConstraint(['rating_id'], ['queue_rating.id'], name=op.f('fk_queue_follow_up_rating_id_queue_rating'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_follow_up')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_queue_follow_up_rating_id'))
    )
    with op.batch_alter_table('queue_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queue_follow_up_hall_id'), ['hall_id'], unique=False)




def downgrade():

    with op.batch_alter_table('queue_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_follow_up_hall_id'))

    op.drop_table('queue_follow_up')
    with op.batch_alter_table('queue_ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_ticket_event_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_queue_ticket_event_hall_id'))

    op.drop_table('queue_ticket_event')
    with op.batch_alter_table('queue_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_rating_hall_id'))

    op.drop_table('queue_rating')
    with op.batch_alter_table('queue_window_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_window_service_window_id'))

    op.drop_table('queue_window_service')
    with op.batch_alter_table('queue_ticket', schema=None) as batch_op:
        batch_op.drop_index('uq_queue_ticket_window_at_window', sqlite_where=sa.text("status IN ('called', 'serving')"), postgresql_where=sa.text("status IN ('called', 'serving')"))
        batch_op.drop_index('ix_queue_ticket_waiting')
        batch_op.drop_index(batch_op.f('ix_queue_ticket_hall_id'))
        batch_op.drop_index(batch_op.f('ix_queue_ticket_day'))

    op.drop_table('queue_ticket')
    op.drop_table('queue_counter')
    with op.batch_alter_table('queue_window', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_window_hall_id'))

    op.drop_table('queue_window')
    with op.batch_alter_table('queue_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queue_service_hall_id'))

    op.drop_table('queue_service')

