"""The nightly backup in the one scheduler: looked at every 10 minutes, so a server that was down
at KIOSK_BACKUP_TIME makes the day's backup when it is back."""
from kiosk.backups.operations import nightly_backup
from kiosk.scheduling import job

job("backups.nightly", "interval", minutes=10)(nightly_backup)
