"""The villagers' voice: a draft for comment's comment period (notice and its versions), how a
decision handled each kind of comment, and 群众评议 surveys with their questions and answers.

Revision ID: 0024_village_voice
Revises: 0023_village_year
"""
import sqlalchemy as sa
from alembic import op

revision = '0024_village_voice'
down_revision = '0023_village_year'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('notice', 'notice_version'):
        op.add_column(table, sa.Column('comment_from', sa.DateTime(), nullable=True))
        op.add_column(table, sa.Column('comment_until', sa.DateTime(), nullable=True))
    op.create_table('comment_handling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('adopted', 'partly', 'not_adopted', name='outcome', native_enum=False, length=16),
              nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['notice.id'], name=op.f('fk_comment_handling_decision_id_notice'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_handling'))
    )
    op.create_index(op.f('ix_comment_handling_decision_id'), 'comment_handling', ['decision_id'], unique=False)
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_survey_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_survey_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('slug', name=op.f('uq_survey_slug'))
    )
    op.create_index(op.f('ix_survey_unit_id'), 'survey', ['unit_id'], unique=False)
    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('single', 'multiple', 'scale', 'text', name='questionkind', native_enum=False,
                              length=16), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_question_survey_id_survey'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question'))
    )
    op.create_index(op.f('ix_survey_question_survey_id'), 'survey_question', ['survey_id'], unique=False)
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('kiosk', 'phone', name='channel', native_enum=False, length=8), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('free_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('survey_id', 'respondent', name=op.f('uq_survey_response_survey_id'))
    )
    op.create_index(op.f('ix_survey_response_created_at'), 'survey_response', ['created_at'], unique=False)
    op.create_index(op.f('ix_survey_response_survey_id'), 'survey_response', ['survey_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_survey_response_survey_id'), table_name='survey_response')
    op.drop_index(op.f('ix_survey_response_created_at'), table_name='survey_response')
    op.drop_table('survey_response')
    op.drop_index(op.f('ix_survey_question_survey_id'), table_name='survey_question')
    op.drop_table('survey_question')
    op.drop_index(op.f('ix_survey_unit_id'), table_name='survey')
    op.drop_table('survey')
    op.drop_index(op.f('ix_comment_handling_decision_id'), table_name='comment_handling')
    op.drop_table('comment_handling')
    for table in ('notice_version', 'notice'):
        op.drop_column(table, 'comment_until')
        op.drop_column(table, 'comment_from')
