"""Publish derivatives only: each attachment's public copy, made and read by the contained checker.
Attachments from before have none, so every one is checked again (its notice leaves the public
side until its copy is made and read).

Revision ID: 0012_privacy_files
Revises: 0010_touch
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_privacy_files"
down_revision = "0010_touch"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notice_attachment") as batch:
        batch.add_column(sa.Column("public_name", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_notice_attachment_public_name", ["public_name"])
    op.execute("UPDATE notice_attachment SET check_state = 'pending', check_claimed_at = NULL "
               "WHERE removed_at IS NULL")


def downgrade():
    with op.batch_alter_table("notice_attachment") as batch:
        batch.drop_constraint("uq_notice_attachment_public_name", type_="unique")
        batch.drop_column("public_name")
