"""The privacy gate: each attachment's check (state, text pieces with OCR boxes, pages left for
OCR), and who edited the working copy and each submitted version (nobody approves what they edited).

Revision ID: 0008_privacy
Revises: 0006_one_head
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_privacy"
down_revision = "0007_calendar"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notice_attachment") as batch:
        # Attachments from before the gate were checked by their text layer when they were uploaded.
        batch.add_column(sa.Column("check_state", sa.Enum("pending", "running", "done", "failed", name="checkstate",
                                                          native_enum=False, length=16),
                                   nullable=False, server_default="done"))
        batch.add_column(sa.Column("check_pieces", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("ocr_pages", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("check_error", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("check_claimed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("checked_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_notice_attachment_check_state", ["check_state"])
    with op.batch_alter_table("notice") as batch:
        batch.add_column(sa.Column("editor_ids", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("notice_version") as batch:
        batch.add_column(sa.Column("editor_ids", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    with op.batch_alter_table("notice_version") as batch:
        batch.drop_column("editor_ids")
    with op.batch_alter_table("notice") as batch:
        batch.drop_column("editor_ids")
    with op.batch_alter_table("notice_attachment") as batch:
        batch.drop_index("ix_notice_attachment_check_state")
        for name in ("checked_at", "check_claimed_at", "check_error", "ocr_pages", "check_pieces", "check_state"):
            batch.drop_column(name)
