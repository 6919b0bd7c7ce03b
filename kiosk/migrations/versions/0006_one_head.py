"""Join the feature branches (screens, queue, public) into one head, so the next migration has a
single parent.

Revision ID: 0006_one_head
Revises: 0003_screens, 0004_queue, 0005_public
"""

revision = "0006_one_head"
down_revision = ("0003_screens", "0004_queue", "0005_public")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
