"""screens

Revision ID: 0003_screens
Revises: 0001_foundation
Create Date: 2026-11-22 00:13:08.418692
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_screens'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('screen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('noticeboard_portrait', 'noticeboard_landscape', 'hall_board', 'touch_kiosk', name='screenkind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('paired_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen', sa.DateTime(), nullable=True),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('offline_since', sa.DateTime(), nullable=True),
    sa.Column('software_version', sa.String(length=40), nullable=False),
    sa.Column('screen_width', sa.Integer(), nullable=True),
    sa.Column('screen_height', sa.Integer(), nullable=True),
    sa.Column('now_showing', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_screen_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_screen_token_hash'))
    )
    with op.batch_alter_table('screen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_unit_id'), ['unit_id'], unique=False)

    op.create_table('screen_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_screen_group_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_group')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_screen_group_unit_id'))
    )
    with op.batch_alter_table('screen_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_group_unit_id'), ['unit_id'], unique=False)

    op.create_table('slide_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_slide_image_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slide_image'))
    )
    with op.batch_alter_table('slide_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slide_image_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_slide_image_unit_id'), ['unit_id'], unique=False)

    op.create_table('display_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('slide_key', sa.String(length=80), nullable=False),
    sa.Column('slide_kind', sa.String(length=20), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('urgent_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_display_report_screen_id_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_display_report')),
    sa.UniqueConstraint('screen_id', 'slide_key', 'started_at', name=op.f('uq_display_report_screen_id'))
    )
    with op.batch_alter_table('display_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_display_report_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_display_report_screen_id'), ['screen_id'], unique=False)

    op.create_table('rotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('weekdays', sa.String(length=7), nullable=False),
    sa.Column('time_from', sa.Time(), nullable=True),
    sa.Column('time_until', sa.Time(), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_rotation_group_id_screen_group')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_rotation_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rotation')),
    sa.UniqueConstraint('unit_id', 'name', name=op.f('uq_rotation_unit_id'))
    )
    with op.batch_alter_table('rotation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rotation_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rotation_unit_id'), ['unit_id'], unique=False)

    op.create_table('screen_connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('connected_at', sa.DateTime(), nullable=False),
    sa.Column('last_heartbeat', sa.DateTime(), nullable=False),
    sa.Column('disconnected_at', sa.DateTime(), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_screen_connection_screen_id_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_connection'))
    )
    with op.batch_alter_table('screen_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_connection_screen_id'), ['screen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screen_connection_sid'), ['sid'], unique=False)

    op.create_table('screen_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_screen_group_member_group_id_screen_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_screen_group_member_screen_id_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_group_member')),
    sa.UniqueConstraint('group_id', 'screen_id', name=op.f('uq_screen_group_member_group_id'))
    )
    with op.batch_alter_table('screen_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_group_member_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screen_group_member_screen_id'), ['screen_id'], unique=False)

    op.create_table('screen_pairing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('claim_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_screen_pairing_screen_id_screen'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_pairing')),
    sa.UniqueConstraint('claim_hash', name=op.f('uq_screen_pairing_claim_hash'))
    )
    with op.batch_alter_table('screen_pairing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_pairing_code'), ['code'], unique=False)

    op.create_table('urgent_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_urgent_notice_created_by_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_urgent_notice_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_notice'))
    )
    with op.batch_alter_table('urgent_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_urgent_notice_unit_id'), ['unit_id'], unique=False)

    op.create_table('slide',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rotation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('notice', 'image', 'qr', 'queue', 'clock', name='slidekind', native_enum=False, length=16), nullable=False),
    sa.Column('duration', sa.Integer(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('weekdays', sa.String(length=7), nullable=False),
    sa.Column('time_from', sa.Time(), nullable=True),
    sa.Column('time_until', sa.Time(), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['rotation_id'], ['rotation.id'], name=op.f('fk_slide_rotation_id_rotation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slide'))
    )
    with op.batch_alter_table('slide', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slide_rotation_id'), ['rotation_id'], unique=False)

    op.create_table('urgent_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('urgent_id', sa.Integer(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('shown_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_urgent_delivery_screen_id_screen'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['urgent_id'], ['urgent_notice.id'], name=op.f('fk_urgent_delivery_urgent_id_urgent_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_delivery')),
    sa.UniqueConstraint('urgent_id', 'screen_id', name=op.f('uq_urgent_delivery_urgent_id'))
    )
    with op.batch_alter_table('urgent_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_urgent_delivery_urgent_id'), ['urgent_id'], unique=False)

    op.create_table('urgent_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('urgent_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_urgent_target_group_id_screen_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['urgent_id'], ['urgent_notice.id'], name=op.f('fk_urgent_target_urgent_id_urgent_notice'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_target')),
    sa.UniqueConstraint('urgent_id', 'group_id', name=op.f('uq_urgent_target_urgent_id'))
    )
    with op.batch_alter_table('urgent_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_urgent_target_urgent_id'), ['urgent_id'], unique=False)



def downgrade():
    with op.batch_alter_table('urgent_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_urgent_target_urgent_id'))

    op.drop_table('urgent_target')
    with op.batch_alter_table('urgent_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_urgent_delivery_urgent_id'))

    op.drop_table('urgent_delivery')
    with op.batch_alter_table('slide', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slide_rotation_id'))

    op.drop_table('slide')
    with op.batch_alter_table('urgent_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_urgent_notice_unit_id'))

    op.drop_table('urgent_notice')
    with op.batch_alter_table('screen_pairing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_pairing_code'))

    op.drop_table('screen_pairing')
    with op.batch_alter_table('screen_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_group_member_screen_id'))
        batch_op.drop_index(batch_op.f('ix_screen_group_member_group_id'))

    op.drop_table('screen_group_member')
    with op.batch_alter_table('screen_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_connection_sid'))
        batch_op.drop_index(batch_op.f('ix_screen_connection_screen_id'))

    op.drop_table('screen_connection')
    with op.batch_alter_table('rotation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rotation_unit_id'))
        batch_op.drop_index(batch_op.f('ix_rotation_group_id'))

    op.drop_table('rotation')
    with op.batch_alter_table('display_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_display_report_screen_id'))
        batch_op.drop_index(batch_op.f('ix_display_report_notice_id'))

    op.drop_table('display_report')
    with op.batch_alter_table('slide_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slide_image_unit_id'))
        batch_op.drop_index(batch_op.f('ix_slide_image_sha256'))

    op.drop_table('slide_image')
    with op.batch_alter_table('screen_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_group_unit_id'))

    op.drop_table('screen_group')
    with op.batch_alter_table('screen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_unit_id'))

    op.drop_table('screen')
