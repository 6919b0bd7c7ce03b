"""The year's report: annual reports, the register of normative documents, and the category
政府信息公开年度报告 the reports are published in.

Revision ID: 0022_year_report
Revises: 0021_applications
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_year_report'
down_revision = '0021_applications'
branch_labels = None
depends_on = None

CATEGORY = "annual_report"


def upgrade():
    op.create_table('annual_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('typed', sa.JSON(), nullable=False),
    sa.Column('table_three', sa.JSON(), nullable=False),
    sa.Column('table_four', sa.JSON(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_annual_report_notice_id_notice')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_annual_report_unit_id_unit')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_annual_report_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_report')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_annual_report_unit_id'))
    )
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_report_unit_id'), ['unit_id'], unique=False)
    op.create_table('normative_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('rule', 'normative', name='normativekind', native_enum=False, length=16),
              nullable=False),
    sa.Column('repealed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_normative_document_notice_id_notice'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_normative_document')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_normative_document_notice_id'))
    )
    bind = op.get_bind()
    position = bind.execute(sa.text("SELECT COALESCE(MAX(position), 0) + 1 FROM notice_category")).scalar()
    bind.execute(sa.text(
        "INSERT INTO notice_category (code, name, \"group\", colour, icon, freshness_days, position, active) "
        "VALUES (:code, :name, 'art20', '#1f4e79', 'chart', 400, :position, :active)"),
        {"code": CATEGORY, "name": "政府信息公开年度报告", "position": position, "active": True})


def downgrade():
    op.execute(sa.text("DELETE FROM notice_category WHERE code = :code").bindparams(code=CATEGORY))
    op.drop_table('normative_document')
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_report_unit_id'))
    op.drop_table('annual_report')
