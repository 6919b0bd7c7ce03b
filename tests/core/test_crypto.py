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
        county = create_unit(UnitKind.county, "示范县", "county", None)
        township = create_unit(UnitKind.township, "金家镇", "jinjia", county)
        hall = create_unit(UnitKind.hall, "便民服务中心", "hall", township)
        db.session.commit()
        db.session.execute(text(
            "INSERT INTO touch_message (hall_id, topic, message, phone, created_at, status, reply) "
            "VALUES (:hall, 'other', '希望周六开门', '13700001111', '2026-11-23 01:00:00', 'pending', '')"),
            {"hall": hall.id})
        db.session.commit()
        db.session.remove()
        migrate.upgrade()
        stored = db.session.execute(text("SELECT message, phone FROM touch_message")).one()
        assert all(value.startswith("enc1:") for value in stored)
        assert "13700001111" not in "".join(stored) and "希望周六开门" not in "".join(stored)
        message = db.session.scalar(select(KioskMessage))
        assert (message.message, message.phone) == ("希望周六开门", "13700001111")
