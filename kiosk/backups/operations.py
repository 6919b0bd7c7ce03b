"""Nightly backups: `kiosk db backup`'s copy and the uploads, in one dated folder per local day
under KIOSK_BACKUP_PATH, each restored into a scratch SQLite database and its row counts compared
before it counts as a backup; a retention of daily and weekly (Sunday) backups; and the staff
alert when the last one failed or none was made when due."""
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from kiosk.core import clock
from kiosk.core.transfer import backup, copy_uploads, counts, restore

DATABASE = "kiosk.sqlite3"
CHECKED = "checked.json"      # written last: a folder without it is no backup
FAILED = "failed.json"        # the last failure, in the backup folder itself
GRACE = timedelta(hours=1)    # a backup not there this long after its time is missing


@dataclass(frozen=True)
class Alert:
    kind: str
    message: object


def folder(app=None) -> Path:
    return Path((app or current_app).config["KIOSK_BACKUP_PATH"])


def checked_backups(app=None) -> list[date]:
    """The local days with a checked backup, oldest first."""
    base = folder(app)
    days = []
    for entry in base.iterdir() if base.is_dir() else []:
        try:
            day = date.fromisoformat(entry.name)
        except ValueError:
            continue
        if (entry / CHECKED).is_file():
            days.append(day)
    return sorted(days)


def due_at(day: date, app=None) -> datetime:
    """The instant (UTC) of `day`'s backup, at KIOSK_BACKUP_TIME local time."""
    local = datetime.combine(day, (app or current_app).config["KIOSK_BACKUP_TIME"], tzinfo=clock.local_zone())
    return local.astimezone(timezone.utc)


def verify(path: Path, expected: dict[str, int]) -> None:
    """Restore the backup into a scratch database and compare every table's rows."""
    with tempfile.TemporaryDirectory(prefix="kiosk-backup-check-") as scratch:
        restored = restore(f"sqlite:///{Path(scratch) / 'check.sqlite3'}", path, replace=True)
    differing = {table: (n, restored.get(table, 0)) for table, n in expected.items() if restored.get(table, 0) != n}
    if differing:
        raise RuntimeError(f"the restored backup differs (table: written, restored): {differing}")


def make_backup(day: date) -> Path:
    """Write, check and keep `day`'s backup; raises on any failure (nothing half-made is left)."""
    app = current_app
    target = folder() / day.isoformat()
    partial = folder() / f".{day.isoformat()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        backup(app.config["SQLALCHEMY_DATABASE_URI"], partial / DATABASE)
        uploads = Path(app.config["KIOSK_UPLOAD_PATH"])
        (partial / "uploads").mkdir()
        files = copy_uploads(uploads, partial / "uploads") if uploads.is_dir() else 0
        expected = counts_of(partial / DATABASE)
        verify(partial / DATABASE, expected)
        (partial / CHECKED).write_text(json.dumps({"at": clock.now().isoformat(), "rows": expected,
                                                   "uploads": files}, indent=1))
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def counts_of(path: Path) -> dict[str, int]:
    from sqlalchemy import create_engine
    engine = create_engine(f"sqlite:///{path}")
    try:
        return counts(engine)
    finally:
        engine.dispose()


def apply_retention(today: date) -> list[date]:
    """Keep the newest KIOSK_BACKUP_KEEP_DAILY backups and the newest KIOSK_BACKUP_KEEP_WEEKLY
    Sunday ones; returns the days removed."""
    days = checked_backups()
    keep = set(days[-current_app.config["KIOSK_BACKUP_KEEP_DAILY"]:])
    keep |= set([day for day in days if day.weekday() == 6][-current_app.config["KIOSK_BACKUP_KEEP_WEEKLY"]:])
    removed = [day for day in days if day not in keep and day <= today]
    for day in removed:
        shutil.rmtree(folder() / day.isoformat())
    return removed


def nightly_backup() -> str | None:
    """The job: today's backup once its local time has come, then the retention."""
    today = clock.local_today()
    if clock.now() < due_at(today) or today in checked_backups():
        return None
    failed = folder() / FAILED
    try:
        path = make_backup(today)
    except Exception as error:
        folder().mkdir(parents=True, exist_ok=True)
        failed.write_text(json.dumps({"at": clock.now().isoformat(), "error": str(error)}))
        raise
    failed.unlink(missing_ok=True)
    removed = apply_retention(today)
    return f"backup {path} checked" + (f"; removed {', '.join(map(str, removed))}" if removed else "")


def open_alerts(app=None) -> list[Alert]:
    """A failed last backup, or no checked backup since the last time one was due."""
    base = folder(app)
    if (base / FAILED).is_file():
        error = json.loads((base / FAILED).read_text()).get("error", "")
        return [Alert("backup", _l("The last nightly backup failed: %(error)s", error=error))]
    today = clock.local_today()
    last_due = today if clock.now() >= due_at(today, app) + GRACE else today - timedelta(days=1)
    newest = (checked_backups(app) or [None])[-1]
    if newest is None:
        return [Alert("backup", _l("There is no checked backup yet: the nightly backup has not run."))]
    if newest < last_due:
        return [Alert("backup", _l("No checked backup since %(day)s: the nightly backup did not run.", day=newest))]
    return []
