"""Alembic, driven from the app: `kiosk db upgrade` and the tests use these."""
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from kiosk.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(revision: str = "heads") -> None:
    upgrade_engine(db.engine, revision)


def upgrade_engine(engine, revision: str = "heads") -> None:
    """Migrate the database behind `engine` (the app's, or a backup being restored)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(revision: str) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def revision(message: str) -> None:
    """Autogenerate a new migration from the models (a developer tool)."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


def is_current() -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
