"""Video slides (kiosk/video): videos with their check's state and public copy, screen groups'
video settings (sound, storage per screen), and what each screen keeps for offline play. The
slide kind "video" needs no change: slide.kind is a plain string column.

Revision ID: 0020_video
Revises: 0019_broadcast
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_video'
down_revision = '0019_broadcast'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('video',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('media_type', sa.String(length=20), nullable=False),
    sa.Column('source_name', sa.String(length=64), nullable=True),
    sa.Column('upload_bytes', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'running', 'refused', 'failed', 'checked', 'approved', name='videostate',
                               native_enum=False, length=16), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('public_name', sa.String(length=64), nullable=True),
    sa.Column('poster_name', sa.String(length=64), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('bytes', sa.BigInteger(), nullable=True),
    sa.Column('converted', sa.Boolean(), nullable=False),
    sa.Column('frames_read', sa.Integer(), nullable=False),
    sa.Column('check_pieces', sa.JSON(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('privacy_override', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['user_account.id'], name=op.f('fk_video_approved_by_user_account')),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_video_created_by_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_video_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video'))
    )
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_state'), ['state'], unique=False)

    op.create_table('video_group_setting',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('sound', sa.Boolean(), nullable=False),
    sa.Column('cache_mb', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_video_group_setting_group_id_screen_group'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', name=op.f('pk_video_group_setting'))
    )
    op.create_table('video_cache_report',
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('budget_bytes', sa.BigInteger(), nullable=False),
    sa.Column('used_bytes', sa.BigInteger(), nullable=False),
    sa.Column('kept', sa.JSON(), nullable=False),
    sa.Column('missing', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_video_cache_report_screen_id_screen'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('screen_id', name=op.f('pk_video_cache_report'))
    )


def downgrade():
    op.drop_table('video_cache_report')
    op.drop_table('video_group_setting')
    with op.batch_alter_table('video', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_state'))
        batch_op.drop_index(batch_op.f('ix_video_unit_id'))
    op.drop_table('video')
