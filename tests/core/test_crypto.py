"""Personal data at rest: migration 0014_security encrypts the rows already there, and the app
reads them back with its key."""
from sqlalchemy import select, text

from kiosk.core import migrate
from kiosk.extensions import db
from kiosk.org.models import UnitKind
from kiosk.org.operations import create_unit
from kiosk.touch.models import KioskMessage


def test_the_migration_encrypts_existing_rows_and_the_app_reads_them(make_app):
    app = make_app()
    with app.app_context():
        migrate.upgrade("0010_touch")
        # Rows as that schema held them (today's models have columns it does not).
        db.session.execute(text("INSERT INTO unit (id, parent_id, kind, name, code, path) "
                                "VALUES (1, NULL, 'hall', '便民服务中心', 'hall', '/1/')"))
        db.session.execute(text(
            "INSERT INTO touch_message (hall_id, topic, message, phone, created_at, status, reply) "
            "VALUES (1, 'other', '希望周六开门', '13700001111', '2026-11-23 01:00:00', 'pending', '')"))
        db.session.commit()
        db.session.remove()
        migrate.upgrade()
        stored = db.session.execute(text("SELECT message, phone FROM touch_message")).one()
        assert all(value.startswith("enc1:") for value in stored)
        assert "13700001111" not in "".join(stored) and "希望周六开门" not in "".join(stored)
        message = db.session.scalar(select(KioskMessage))
        assert (message.message, message.phone) == ("希望周六开门", "13700001111")


def test_data_written_under_another_key_is_a_clear_error_not_a_traceback(demo_db, tmp_path):
    """A township's database imported by a server given another data key (the county forgot it)."""
    import subprocess

    from tests.kiosk_command import KIOSK, kiosk_env
    other_key = "b3RoZXIta2V5LW9mLWFub3RoZXItY291bnR5LXNlcnY="
    environment = kiosk_env(tmp_path / "county", KIOSK_DATA_KEY=other_key,
                            KIOSK_DATABASE_URL=f"sqlite:///{tmp_path / 'county.sqlite3'}")
    (tmp_path / "county").mkdir()
    subprocess.run(KIOSK + ["db", "upgrade"], env=environment, check=True, capture_output=True, timeout=120)
    refused = subprocess.run(KIOSK + ["db", "import-sqlite", str(demo_db)], env=environment,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    assert "KIOSK_DATA_KEY" in refused.stderr


def test_personal_data_may_be_encrypted_with_sm4_and_what_was_written_before_stays_readable(
        make_app, migrated_db, monkeypatch):
    """KIOSK_DATA_CIPHER=sm4-gcm (国密 SM4): new values carry its prefix; AES-GCM values written before
    the switch, and SM4 values after switching back, are read alike."""
    from pathlib import Path

    from tests.conftest import build_app
    app = make_app(migrated_db)
    with app.app_context():
        county = create_unit(UnitKind.county, "示范县", "county", None)
        township = create_unit(UnitKind.township, "金家镇", "jinjia", county)
        hall_id = create_unit(UnitKind.hall, "便民服务中心", "hall", township).id
        db.session.add(KioskMessage(hall_id=hall_id, topic="other", message="写于切换之前", phone="13700001111"))
        db.session.commit()
    monkeypatch.setenv("KIOSK_DATA_CIPHER", "sm4-gcm")
    sm4_app = build_app(Path(app.instance_path))   # the same database, restarted with SM4
    with sm4_app.app_context():
        db.session.add(KioskMessage(hall_id=hall_id, topic="other", message="写于切换之后", phone="13800002222"))
        db.session.commit()
        stored = db.session.execute(text("SELECT message, phone FROM touch_message ORDER BY id")).all()
        assert all(value.startswith("enc1:") for value in stored[0])
        assert all(value.startswith("sm4g1:") for value in stored[1])
        assert "13800002222" not in "".join(stored[1]) and "写于切换之后" not in "".join(stored[1])
    monkeypatch.setenv("KIOSK_DATA_CIPHER", "aes-256-gcm")
    with build_app(Path(app.instance_path)).app_context():
        read = [(m.message, m.phone) for m in db.session.scalars(select(KioskMessage).order_by(KioskMessage.id))]
    assert read == [("写于切换之前", "13700001111"), ("写于切换之后", "13800002222")]
