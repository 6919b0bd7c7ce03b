"""The village's year (kiosk/villages): each township's village disclosure list, the notice's item
(notice.list_item_id), village committee markers, the categories the supervision committee signs and
its sign-offs, and the public days with their items. The per-village cadence (disclosure_cadence, a
loose monthly/quarterly flag) is replaced by the list: a village's own cadence settings are dropped,
the list's items (seeded on first use) say what is due when.

Revision ID: 0023_village_year
Revises: 0022_year_report
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_village_year"
down_revision = "0022_year_report"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('village_list_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.Column('cadence', sa.Enum('monthly', 'quarterly', 'public_day', 'after_approval', 'at_once', name='cadence', native_enum=False, length=20), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.Column('responsible', sa.String(length=40), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['unit.id'], name=op.f('fk_village_list_item_township_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_list_item')),
    sa.UniqueConstraint('township_id', 'name', name=op.f('uq_village_list_item_township_id'))
    )
    with op.batch_alter_table('village_list_item') as batch_op:
        batch_op.create_index(batch_op.f('ix_village_list_item_township_id'), ['township_id'], unique=False)

    op.create_table('village_public_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['unit.id'], name=op.f('fk_village_public_day_township_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_public_day')),
    sa.UniqueConstraint('township_id', 'month', 'day', name=op.f('uq_village_public_day_township_id'))
    )
    with op.batch_alter_table('village_public_day') as batch_op:
        batch_op.create_index(batch_op.f('ix_village_public_day_township_id'), ['township_id'], unique=False)

    op.create_table('village_sign_off_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['notice_category.id'], name=op.f('fk_village_sign_off_category_category_id_notice_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['township_id'], ['unit.id'], name=op.f('fk_village_sign_off_category_township_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_sign_off_category')),
    sa.UniqueConstraint('township_id', 'category_id', name=op.f('uq_village_sign_off_category_township_id'))
    )
    op.create_table('village_committee_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_village_committee_member_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['unit.id'], name=op.f('fk_village_committee_member_village_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_committee_member')),
    sa.UniqueConstraint('village_id', 'user_id', name=op.f('uq_village_committee_member_village_id'))
    )
    with op.batch_alter_table('village_committee_member') as batch_op:
        batch_op.create_index(batch_op.f('ix_village_committee_member_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_village_committee_member_village_id'), ['village_id'], unique=False)

    op.create_table('village_public_day_item',
    sa.Column('public_day_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['village_list_item.id'], name=op.f('fk_village_public_day_item_item_id_village_list_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['public_day_id'], ['village_public_day.id'], name=op.f('fk_village_public_day_item_public_day_id_village_public_day'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('public_day_id', 'item_id', name=op.f('pk_village_public_day_item'))
    )
    op.create_table('village_sign_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_village_sign_off_user_id_user_account')),
    sa.ForeignKeyConstraint(['version_id'], ['notice_version.id'], name=op.f('fk_village_sign_off_version_id_notice_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village_sign_off')),
    sa.UniqueConstraint('version_id', name=op.f('uq_village_sign_off_version_id'))
    )
    op.drop_table('disclosure_cadence')
    with op.batch_alter_table('notice') as batch_op:
        batch_op.add_column(sa.Column('list_item_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notice_list_item_id'), ['list_item_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notice_list_item_id_village_list_item'), 'village_list_item', ['list_item_id'], ['id'], ondelete='SET NULL')


def downgrade():

    with op.batch_alter_table('notice') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notice_list_item_id_village_list_item'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notice_list_item_id'))
        batch_op.drop_column('list_item_id')

    op.create_table('disclosure_cadence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('finances', 'general', name='cadencekind', native_enum=False, length=16), nullable=False),
    sa.Column('every_months', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_disclosure_cadence_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_cadence')),
    sa.UniqueConstraint('unit_id', 'kind', name=op.f('uq_disclosure_cadence_unit_id'))
    )
    op.drop_table('village_sign_off')
    op.drop_table('village_public_day_item')
    with op.batch_alter_table('village_committee_member') as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_committee_member_village_id'))
        batch_op.drop_index(batch_op.f('ix_village_committee_member_user_id'))

    op.drop_table('village_committee_member')
    op.drop_table('village_sign_off_category')
    with op.batch_alter_table('village_public_day') as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_public_day_township_id'))

    op.drop_table('village_public_day')
    with op.batch_alter_table('village_list_item') as batch_op:
        batch_op.drop_index(batch_op.f('ix_village_list_item_township_id'))

    op.drop_table('village_list_item')
