"""The public side: comments and objections on notices, township guide and supervision pages, complaint channels.

Revision ID: 0005_public
Revises: 0002_disclosures
Create Date: 2026-11-22 00:36:27.294271
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_public'
down_revision = '0002_disclosures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('hotline', 'discipline', 'supervision', 'opinion_box', name='channelkind', native_enum=False, length=16), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_contact_channel_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_channel')),
    sa.UniqueConstraint('unit_id', 'kind', name=op.f('uq_contact_channel_unit_id'))
    )
    op.create_table('public_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('guide', 'supervision', name='pagekind', native_enum=False, length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_public_page_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_page')),
    sa.UniqueConstraint('unit_id', 'kind', name=op.f('uq_public_page_unit_id'))
    )
    op.create_table('notice_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('comment', 'objection', name='commentkind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_notice_comment_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_comment_notice_id_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_comment'))
    )
    with op.batch_alter_table('notice_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_comment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_comment_notice_id'), ['notice_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notice_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_comment_notice_id'))
        batch_op.drop_index(batch_op.f('ix_notice_comment_created_at'))

    op.drop_table('notice_comment')
    op.drop_table('public_page')
    op.drop_table('contact_channel')
