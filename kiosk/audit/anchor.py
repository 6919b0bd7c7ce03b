"""The chain's head noted outside the database, where a rewriter cannot reach: a signed statement of
the newest entry and its hash at a time, written daily by the scheduler to the anchor file and the log,
shown on the audit page, offered for download, and (KIOSK_AUDIT_HEAD_PUBLIC) on the public guide page.
A later chain must still hold that hash at that entry (`kiosk audit verify --head FILE`)."""
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from kiosk.audit.chain import GENESIS, keyring
from kiosk.audit.models import AuditEntry, AuditHead
from kiosk.core import clock
from kiosk.extensions import db
from kiosk.scheduling import job

log = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchors.txt"


@dataclass
class Head:
    at: str          # local time the head was read
    entry_id: int    # 0: no entry yet
    entry_hash: str

    def statement(self) -> str:
        """The head as text lines, signed with the current audit key (its id named)."""
        keys = keyring()
        body = f"kiosk audit head\ntime: {self.at}\nentry: {self.entry_id}\nhash: {self.entry_hash}\n"
        return f"{body}key: {keys.current_id}\nsignature: {keys.sign(body.encode())}\n"


def current_head() -> Head:
    head = db.session.scalar(select(AuditHead.entry_hash).where(AuditHead.id == 1)) or GENESIS
    entry_id = db.session.scalar(select(AuditEntry.id).where(AuditEntry.entry_hash == head)) or 0
    return Head(clock.to_local(clock.now()).isoformat(timespec="seconds"), entry_id, head)


_LINE = re.compile(r"^(time|entry|hash|key|signature): (.+)$", re.M)


def check_statement(text: str) -> str | None:
    """What is wrong with a head statement against this database (None: its signature holds and the
    chain still carries that hash at that entry)."""
    fields = dict(_LINE.findall(text))
    if set(fields) != {"time", "entry", "hash", "key", "signature"} or not fields["entry"].isdigit():
        return "not a head statement"
    body = f"kiosk audit head\ntime: {fields['time']}\nentry: {fields['entry']}\nhash: {fields['hash']}\n"
    if keyring().sign(body.encode(), fields["key"]) != fields["signature"]:
        return "the statement's signature does not hold (changed, or signed with a key this server does not hold)"
    held = db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == int(fields["entry"])))
    if int(fields["entry"]) and held != fields["hash"]:
        return f"entry #{fields['entry']} no longer carries the hash noted at {fields['time']}: the log was rewritten"
    return None


@job("audit.anchor", "interval", hours=24, run_at_start=True)
def note_the_head():
    """Daily: the signed head appended to the anchor file (for the staff's digest and off-site copies)."""
    statement = current_head().statement()
    with (Path(current_app.instance_path) / ANCHOR_FILE).open("a") as file:
        file.write(statement + "\n")
    return statement.replace("\n", "; ")
