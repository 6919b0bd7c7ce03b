"""disclosures: categories (seeded), notices, versions, attachments, cadence, holidays (seeded)

Revision ID: 0002_disclosures
Revises: 0001_foundation
Create Date: 2026-11-22 00:12:53.156298
"""
from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


revision = '0002_disclosures'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'workday', name='daykind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_day'))
    )
    op.create_table('notice_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('group', sa.Enum('art20', 'art21', 'village_affairs', name='categorygroup', native_enum=False, length=20), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('freshness_days', sa.Integer(), nullable=True),
    sa.Column('min_period_length', sa.Integer(), nullable=True),
    sa.Column('min_period_unit', sa.Enum('calendar_days', 'working_days', name='periodunit', native_enum=False, length=16), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_category')),
    sa.UniqueConstraint('code', name=op.f('uq_notice_category_code'))
    )
    op.create_table('disclosure_cadence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('finances', 'general', name='cadencekind', native_enum=False, length=16), nullable=False),
    sa.Column('every_months', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_disclosure_cadence_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_cadence')),
    sa.UniqueConstraint('unit_id', 'kind', name=op.f('uq_disclosure_cadence_unit_id'))
    )
    op.create_table('notice_index_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_notice_index_counter_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_index_counter')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_notice_index_counter_unit_id'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=16), nullable=False),
    sa.Column('index_number', sa.String(length=64), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'approved', 'scheduled', 'showing', 'expired', 'withdrawn', 'archived', name='noticestate', native_enum=False, length=16), nullable=False),
    sa.Column('revision_state', sa.Enum('draft', 'submitted', 'returned', name='revisionstate', native_enum=False, length=16), nullable=True),
    sa.Column('pre_disclosure', sa.Boolean(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('withdraw_reason', sa.Text(), nullable=False),
    sa.Column('privacy_note', sa.Text(), nullable=False),
    sa.Column('published_version_id', sa.Integer(), nullable=True),
    sa.Column('live_from', sa.DateTime(), nullable=True),
    sa.Column('live_until', sa.DateTime(), nullable=True),
    sa.Column('first_shown_at', sa.DateTime(), nullable=True),
    sa.Column('corrected_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('doc_number', sa.String(length=80), nullable=False),
    sa.Column('formed_on', sa.Date(), nullable=False),
    sa.Column('audience', sa.Enum('township', 'villages', 'hall', 'internal', name='audience', native_enum=False, length=16), nullable=False),
    sa.Column('audience_unit_ids', sa.JSON(), nullable=False),
    sa.Column('show_from', sa.DateTime(), nullable=True),
    sa.Column('show_until', sa.DateTime(), nullable=True),
    sa.Column('period_length', sa.Integer(), nullable=True),
    sa.Column('period_unit', sa.Enum('calendar_days', 'working_days', name='periodunit', native_enum=False, length=16), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['notice_category.id'], name=op.f('fk_notice_category_id_notice_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_notice_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['notice.id'], name=op.f('fk_notice_supersedes_id_notice')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_notice_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('index_number', name=op.f('uq_notice_index_number')),
    sa.UniqueConstraint('slug', name=op.f('uq_notice_slug'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_live_from'), ['live_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_live_until'), ['live_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_unit_id'), ['unit_id'], unique=False)

    op.create_table('notice_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('text_layer', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_attachment_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_notice_attachment_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_notice_attachment_stored_name'))
    )
    with op.batch_alter_table('notice_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_attachment_notice_id'), ['notice_id'], unique=False)

    op.create_table('notice_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('is_correction', sa.Boolean(), nullable=False),
    sa.Column('privacy_override', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('doc_number', sa.String(length=80), nullable=False),
    sa.Column('formed_on', sa.Date(), nullable=False),
    sa.Column('audience', sa.Enum('township', 'villages', 'hall', 'internal', name='audience', native_enum=False, length=16), nullable=False),
    sa.Column('audience_unit_ids', sa.JSON(), nullable=False),
    sa.Column('show_from', sa.DateTime(), nullable=True),
    sa.Column('show_until', sa.DateTime(), nullable=True),
    sa.Column('period_length', sa.Integer(), nullable=True),
    sa.Column('period_unit', sa.Enum('calendar_days', 'working_days', name='periodunit', native_enum=False, length=16), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_notice_version_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['category_id'], ['notice_category.id'], name=op.f('fk_notice_version_category_id_notice_category')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_version_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_notice_version_submitted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_version')),
    sa.UniqueConstraint('notice_id', 'number', name=op.f('uq_notice_version_notice_id'))
    )
    with op.batch_alter_table('notice_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_version_notice_id'), ['notice_id'], unique=False)
    # notice and notice_version point at each other: this side is added once both exist.
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_notice_published_version_id_notice_version', 'notice_version',
                                    ['published_version_id'], ['id'])

    seed_categories()
    seed_holidays()


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notice_published_version_id_notice_version', type_='foreignkey')
    with op.batch_alter_table('notice_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_version_notice_id'))

    op.drop_table('notice_version')
    with op.batch_alter_table('notice_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_attachment_notice_id'))

    op.drop_table('notice_attachment')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_unit_id'))
        batch_op.drop_index(batch_op.f('ix_notice_state'))
        batch_op.drop_index(batch_op.f('ix_notice_live_until'))
        batch_op.drop_index(batch_op.f('ix_notice_live_from'))
        batch_op.drop_index(batch_op.f('ix_notice_category_id'))

    op.drop_table('notice')
    op.drop_table('notice_index_counter')
    op.drop_table('disclosure_cadence')
    op.drop_table('notice_category')
    op.drop_table('holiday')


# code, name, group, colour, icon, freshness limit (days), minimum publicity period (length, unit)
CATEGORIES = (
    # 政府信息公开条例 (2019) 第二十条
    ("normative_documents", "规范性文件", "art20", "#1f4e79", "document", 365, None, None),
    ("organisation", "机构职能与联系方式", "art20", "#2e6da4", "building", 365, None, None),
    ("plans", "规划与政策", "art20", "#3a7ca5", "map", 365, None, None),
    ("statistics", "统计信息", "art20", "#4a6fa5", "chart", 180, None, None),
    ("licensing_services", "行政许可与办事服务", "art20", "#1b7f79", "stamp", 180, None, None),
    ("penalties", "行政处罚与强制", "art20", "#7a3e9d", "gavel", 90, None, None),
    ("budgets", "财政预决算与三公经费", "art20", "#b06000", "coins", 365, None, None),
    ("fees", "行政事业性收费", "art20", "#a0522d", "receipt", 365, None, None),
    ("procurement", "政府集中采购", "art20", "#6b5b95", "cart", 90, None, None),
    ("tender_candidates", "中标候选人公示", "art20", "#6b5b95", "cart", 30, 3, "calendar_days"),
    ("major_projects", "重大建设项目", "art20", "#5d6d7e", "crane", 180, None, None),
    ("livelihood", "扶贫、教育、医疗、社保与就业", "art20", "#c0392b", "hands", 180, None, None),
    ("emergency", "应急预案与预警信息", "art20", "#d32f2f", "alert", 30, None, None),
    ("inspections", "监督检查情况", "art20", "#455a64", "shield", 180, None, None),
    ("recruitment", "公务员招考录用", "art20", "#00796b", "users", 60, None, None),
    ("cadre_preappointment", "干部任前公示", "art20", "#00695c", "users", 30, 5, "working_days"),
    ("other_government", "其他主动公开信息", "art20", "#607d8b", "notice", 180, None, None),
    # 第二十一条: what townships publish besides
    ("agri_policy", "农业农村政策", "art21", "#2e7d32", "sprout", 365, None, None),
    ("irrigation", "农田水利工程", "art21", "#0277bd", "water", 180, None, None),
    ("land_transfer", "土地承包经营权流转", "art21", "#8d6e63", "field", 180, None, None),
    ("homestead", "宅基地审核", "art21", "#795548", "house", 90, None, None),
    ("land_taking", "土地征收", "art21", "#6d4c41", "field", 180, None, None),
    ("land_taking_notice", "征地预公告", "art21", "#6d4c41", "field", 60, 10, "working_days"),
    ("land_compensation", "征地补偿安置方案", "art21", "#6d4c41", "field", 90, 30, "calendar_days"),
    ("house_taking", "房屋征收", "art21", "#5d4037", "house", 180, None, None),
    ("fundraising", "筹资筹劳", "art21", "#ef6c00", "coins", 180, None, None),
    ("social_assistance", "社会救助", "art21", "#c62828", "hands", 180, None, None),
    ("dibao", "低保公示", "art21", "#c62828", "hands", 60, 7, "calendar_days"),
    # 村民委员会组织法 第三十条: village affairs
    ("village_decisions", "村务决策与执行", "village_affairs", "#1565c0", "megaphone", 120, None, None),
    ("village_finances", "村级财务收支", "village_affairs", "#e65100", "ledger", 45, None, None),
    ("village_relief", "救灾救济与补贴", "village_affairs", "#ad1457", "hands", 120, None, None),
)

# 国务院办公厅关于2026年部分节假日安排的通知. Administrators add each new year on the holidays page.
HOLIDAYS_2026 = (("元旦", date(2026, 1, 1), 3, (date(2026, 1, 4),)),
                 ("春节", date(2026, 2, 15), 9, (date(2026, 2, 14), date(2026, 2, 28))),
                 ("清明节", date(2026, 4, 4), 3, ()),
                 ("劳动节", date(2026, 5, 1), 5, (date(2026, 5, 9),)),
                 ("端午节", date(2026, 6, 19), 3, ()),
                 ("中秋节", date(2026, 9, 25), 3, ()),
                 ("国庆节", date(2026, 10, 1), 7, (date(2026, 9, 20), date(2026, 10, 10))))


def seed_categories():
    table = sa.table("notice_category", sa.column("code"), sa.column("name"), sa.column("group"),
                     sa.column("colour"), sa.column("icon"), sa.column("freshness_days"),
                     sa.column("min_period_length"), sa.column("min_period_unit"), sa.column("position"),
                     sa.column("active", sa.Boolean))
    op.bulk_insert(table, [
        {"code": code, "name": name, "group": group, "colour": colour, "icon": icon, "freshness_days": fresh,
         "min_period_length": length, "min_period_unit": unit, "position": position, "active": True}
        for position, (code, name, group, colour, icon, fresh, length, unit) in enumerate(CATEGORIES, start=1)])


def seed_holidays():
    table = sa.table("holiday", sa.column("day", sa.Date), sa.column("kind"), sa.column("name"))
    rows = []
    for name, first, days, workdays in HOLIDAYS_2026:
        rows += [{"day": first + timedelta(days=n), "kind": "holiday", "name": name} for n in range(days)]
        rows += [{"day": day, "kind": "workday", "name": f"{name}调休"} for day in workdays]
    op.bulk_insert(table, rows)
