"""calendar: where each holiday-table row came from (the official arrangement or staff edits)

Revision ID: 0007_calendar
Revises: 0006_one_head
"""
from datetime import date

from alembic import op
import sqlalchemy as sa


revision = "0007_calendar"
down_revision = "0006_one_head"
branch_labels = None
depends_on = None

# The 2026 rows 0002 seeded from the State Council's notice are the official arrangement; rows
# administrators typed in are kept as staff edits, which a refresh never overwrites.
SEEDED_2026 = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节",
               "元旦调休", "春节调休", "劳动节调休", "国庆节调休")


def upgrade():
    with op.batch_alter_table("holiday") as batch:
        batch.add_column(sa.Column("source", sa.Enum("official", "staff", name="daysource", native_enum=False,
                                                     length=16), server_default="staff", nullable=False))
    holiday = sa.table("holiday", sa.column("day", sa.Date), sa.column("name"), sa.column("source"))
    op.execute(holiday.update().where(holiday.c.day.between(date(2026, 1, 1), date(2026, 12, 31)),
                                      holiday.c.name.in_(SEEDED_2026)).values(source="official"))


def downgrade():
    op.execute("DELETE FROM holiday WHERE kind = 'ordinary'")
    with op.batch_alter_table("holiday") as batch:
        batch.drop_column("source")
