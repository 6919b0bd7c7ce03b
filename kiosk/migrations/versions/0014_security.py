"""等保 2.0 level 2: password history, expiry and forced change, demo accounts marked; personal
data encrypted at rest.

Existing accounts keep their password (its hash starts their history, its age counts from the
account's creation); accounts whose password is the demo's are marked demo.

Revision ID: 0014_security
Revises: 0012_privacy_files
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_security"
down_revision = "0012_privacy_files"
branch_labels = None
depends_on = None


def _accounts_upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_password_history_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")))
    with op.batch_alter_table("password_history") as batch_op:
        batch_op.create_index(batch_op.f("ix_password_history_user_id"), ["user_id"], unique=False)
    op.execute("UPDATE user_account SET password_changed_at = created_at")
    op.execute("INSERT INTO password_history (user_id, password_hash, created_at) "
               "SELECT id, password_hash, created_at FROM user_account")
    _mark_demo_accounts()


def _mark_demo_accounts():
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    from kiosk.demo.township import DEMO_PASSWORD
    bind = op.get_bind()
    accounts = sa.table("user_account", sa.column("id"), sa.column("password_hash"), sa.column("demo"))
    for row in bind.execute(sa.select(accounts.c.id, accounts.c.password_hash)).all():
        try:
            PasswordHasher().verify(row.password_hash, DEMO_PASSWORD)
        except (VerificationError, InvalidHashError):
            continue
        bind.execute(accounts.update().where(accounts.c.id == row.id).values(demo=True))


# Personal data encrypted at rest (kiosk/core/crypto.py): table → columns (ciphertext needs Text).
ENCRYPTED = {"touch_message": {"message": sa.Text(), "phone": sa.String(length=20)},
             "notice_comment": {"name": sa.String(length=40), "phone": sa.String(length=20)}}


def _recode_personal_data(forward: bool):
    """Encrypt (forward) or decrypt every stored value with the app's data key."""
    from flask import current_app

    from kiosk.core.crypto import decrypt, encrypt
    key = current_app.config["KIOSK_DATA_KEY"]
    bind = op.get_bind()
    for table_name, columns in ENCRYPTED.items():
        table = sa.table(table_name, sa.column("id"), *(sa.column(name) for name in columns))
        for row in bind.execute(sa.select(table)).mappings().all():
            values = {name: (encrypt(row[name], key) if forward else decrypt(row[name], key))
                      for name in columns if row[name]}
            if values:
                bind.execute(table.update().where(table.c.id == row["id"]).values(**values))


def upgrade():
    _accounts_upgrade()
    for table_name, columns in ENCRYPTED.items():
        with op.batch_alter_table(table_name) as batch_op:
            for name, old_type in columns.items():
                if not isinstance(old_type, sa.Text):
                    batch_op.alter_column(name, existing_type=old_type, type_=sa.Text(), existing_nullable=False)
    _recode_personal_data(forward=True)


def downgrade():
    _recode_personal_data(forward=False)
    for table_name, columns in ENCRYPTED.items():
        with op.batch_alter_table(table_name) as batch_op:
            for name, old_type in columns.items():
                if not isinstance(old_type, sa.Text):
                    batch_op.alter_column(name, existing_type=sa.Text(), type_=old_type, existing_nullable=False)
    op.drop_table("password_history")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("demo")
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("password_changed_at")
