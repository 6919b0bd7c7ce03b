"""applications for information (依申请公开): the register, its events, the per-township yearly counter

Revision ID: 0021_applications
Revises: 0020_video

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_applications'
down_revision = '0020_video'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('info_application_counter',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_info_application_counter_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_info_application_counter'))
    )
    op.create_table('info_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.Enum('in_person', 'oral', 'registered_mail', 'ordinary_mail', 'online', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('applicant_kind', sa.String(length=24), nullable=False),
    sa.Column('applicant_name', sa.Text(), nullable=False),
    sa.Column('id_proof', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('document_number', sa.String(length=80), nullable=False),
    sa.Column('form_wanted', sa.String(length=20), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('submitted', 'open', 'correcting', 'consulting', 'closed', name='status', native_enum=False, length=16), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('correction_due_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('provided', sa.Text(), nullable=False),
    sa.Column('late_reason', sa.Text(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('fee_yuan', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_info_application_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user_account.id'], name=op.f('fk_info_application_filed_by_id_user_account')),
    sa.ForeignKeyConstraint(['handler_id'], ['user_account.id'], name=op.f('fk_info_application_handler_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_info_application_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_application')),
    sa.UniqueConstraint('token', name=op.f('uq_info_application_token')),
    sa.UniqueConstraint('unit_id', 'year', 'number', name=op.f('uq_info_application_unit_id'))
    )
    with op.batch_alter_table('info_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_application_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_application_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_application_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_application_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_application_unit_id'), ['unit_id'], unique=False)

    op.create_table('info_application_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('received', 'correction_requested', 'corrected', 'consultation_started', 'consultation_ended', 'extended', 'decided', 'lapsed', name='eventkind', native_enum=False, length=24), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['info_application.id'], name=op.f('fk_info_application_event_application_id_info_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_info_application_event_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_application_event'))
    )
    with op.batch_alter_table('info_application_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_application_event_application_id'), ['application_id'], unique=False)



def downgrade():
    with op.batch_alter_table('info_application_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_application_event_application_id'))

    op.drop_table('info_application_event')
    with op.batch_alter_table('info_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_application_unit_id'))
        batch_op.drop_index(batch_op.f('ix_info_application_received_on'))
        batch_op.drop_index(batch_op.f('ix_info_application_handler_id'))
        batch_op.drop_index(batch_op.f('ix_info_application_due_on'))
        batch_op.drop_index(batch_op.f('ix_info_application_decided_on'))

    op.drop_table('info_application')
    op.drop_table('info_application_counter')
