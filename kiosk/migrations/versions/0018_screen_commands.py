"""Remote commands to screens (reload, restart, identify, screenshot): who sent what to which
screen, when it was delivered and answered, and the answer.

Revision ID: 0018_screen_commands
Revises: 0017_fleet_hours
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_screen_commands'
down_revision = '0017_fleet_hours'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('screen_command',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screen_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('reload', 'restart_browser', 'reboot', 'identify', 'screenshot', name='commandkind',
                              native_enum=False, length=20), nullable=False),
    sa.Column('sent_by', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('ok', sa.Boolean(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('screenshot', sa.String(length=80), nullable=True),
    sa.Column('screenshot_source', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['screen_group.id'], name=op.f('fk_screen_command_group_id_screen_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['screen_id'], ['screen.id'], name=op.f('fk_screen_command_screen_id_screen'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by'], ['user_account.id'], name=op.f('fk_screen_command_sent_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screen_command'))
    )
    with op.batch_alter_table('screen_command', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screen_command_screen_id'), ['screen_id'], unique=False)


def downgrade():
    with op.batch_alter_table('screen_command', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screen_command_screen_id'))
    op.drop_table('screen_command')
