"""The nightly backup job: made once its local time has come, uploads included, checked by a restore
into a scratch database, kept 14 daily and 8 weekly; a failed or missing one is on the dashboard."""
import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.backups import operations
from kiosk.backups.operations import CHECKED, apply_retention, checked_backups, nightly_backup, open_alerts
from kiosk.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def test_the_backup_is_made_at_its_time_with_the_uploads_and_checked(demo_app, pinned_today):
    uploads = Path(demo_app.config["KIOSK_UPLOAD_PATH"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "ledger.pdf").write_bytes(b"%PDF-1.4 test")
    with demo_app.app_context():
        clock.set_now(at(pinned_today, 2, 0))
        assert nightly_backup() is None and checked_backups() == []
        clock.set_now(at(pinned_today, 2, 31))
        assert "checked" in nightly_backup()
        assert nightly_backup() is None  # once a day
        assert checked_backups() == [pinned_today] and open_alerts() == []
    made = Path(demo_app.config["KIOSK_BACKUP_PATH"]) / pinned_today.isoformat()
    assert (made / "uploads" / "ledger.pdf").read_bytes() == b"%PDF-1.4 test"
    check = json.loads((made / CHECKED).read_text())
    with sqlite3.connect(made / "kiosk.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM unit").fetchone()[0] == check["rows"]["unit"] > 0


def test_a_backup_that_does_not_restore_to_the_same_rows_fails_and_alerts(demo_app, staff, pinned_today, monkeypatch):
    real_restore = operations.restore

    def losing_rows(url, path, replace):
        restored = real_restore(url, path, replace)
        return {**restored, "unit": restored["unit"] - 1}
    monkeypatch.setattr(operations, "restore", losing_rows)
    with demo_app.app_context():
        clock.set_now(at(pinned_today, 3, 0))
        with pytest.raises(RuntimeError, match="differs"):
            nightly_backup()
        assert checked_backups() == []
        assert [alert.kind for alert in open_alerts()] == ["backup"]
    assert "最近一次夜间备份失败" in staff("admin").get("/staff/").get_data(as_text=True)
    assert "最近一次夜间备份失败" not in staff("window1").get("/staff/").get_data(as_text=True)


def test_a_missing_backup_alerts_once_its_time_and_an_hour_have_passed(demo_app, staff, pinned_today):
    base = Path(demo_app.config["KIOSK_BACKUP_PATH"])
    yesterday = pinned_today - timedelta(days=1)
    (base / yesterday.isoformat()).mkdir(parents=True)
    (base / yesterday.isoformat() / CHECKED).write_text("{}")
    with demo_app.app_context():
        clock.set_now(at(pinned_today, 3, 0))   # 02:30 + less than an hour
        assert open_alerts() == []
        clock.set_now(at(pinned_today, 3, 31))
        assert [alert.kind for alert in open_alerts()] == ["backup"]
    assert "夜间备份未运行" in staff("admin").get("/staff/").get_data(as_text=True)


def test_retention_keeps_fourteen_daily_and_eight_weekly_backups(demo_app):
    base = Path(demo_app.config["KIOSK_BACKUP_PATH"])
    today = date(2026, 11, 23)   # a Monday
    days = [today - timedelta(days=n) for n in range(120)]
    for day in days:
        (base / day.isoformat()).mkdir(parents=True)
        (base / day.isoformat() / CHECKED).write_text("{}")
    with demo_app.app_context():
        apply_retention(today)
        kept = checked_backups()
    daily = sorted(days)[-14:]
    sundays = sorted(day for day in days if day.weekday() == 6)[-8:]
    assert kept == sorted(set(daily) | set(sundays)) and len(kept) == 14 + 6
