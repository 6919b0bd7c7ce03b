"""Visits to the public pages (kiosk/public/visits.py): a count per local day, unit, kind of page and
whether the visitor came through a QR code; nothing about the visitor. Online applications dismissed
before their receipt was confirmed: why (the status `dismissed` needs no change, a plain string).

Revision ID: 0026_visits_dismissals
Revises: 0025_incidents
"""
from alembic import op
import sqlalchemy as sa


revision = '0026_visits_dismissals'
down_revision = '0025_incidents'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_visit',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Enum('catalogue', 'notice', 'document', 'guide', name='visitedpage', native_enum=False, length=16), nullable=False),
    sa.Column('scanned', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_page_visit_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'page', 'scanned', name=op.f('pk_page_visit'))
    )
    with op.batch_alter_table('info_application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dismissal', sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table('info_application', schema=None) as batch_op:
        batch_op.drop_column('dismissal')
    op.drop_table('page_visit')
