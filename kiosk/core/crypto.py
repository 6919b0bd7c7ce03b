"""Personal data encrypted at rest (等保 2.0 data confidentiality, personal information): visitors'
messages and phone numbers, commenters' names and phones. AES-256-GCM (`cryptography`) with the key
from KIOSK_DATA_KEY, KIOSK_DATA_KEY_FILE or, in development, a key file made once in the instance
folder (mode 0600, warned at start-up). Backups carry ciphertext: keep the key with them, apart."""
import base64
import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app, has_app_context
from sqlalchemy import Text, select
from sqlalchemy.types import TypeDecorator

from kiosk.core.errors import KioskError

PREFIX = "enc1:"  # the format's version: a later cipher (SM4, a new key) gets its own
_NONCE = 12
log = logging.getLogger(__name__)
_loaded_key: bytes | None = None  # for reads outside an app (scripts, a backup's engine): the last key loaded


def load_data_key(instance_path: Path) -> bytes:
    """The 32-byte key, from the environment or a key file; made in the instance folder if neither."""
    text = os.environ.get("KIOSK_DATA_KEY")
    if not text:
        key_file = Path(os.environ.get("KIOSK_DATA_KEY_FILE") or instance_path / "data_key")
        if not key_file.exists():
            if os.environ.get("KIOSK_DATA_KEY_FILE"):
                raise ValueError(f"KIOSK_DATA_KEY_FILE {key_file} does not exist")
            key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            key_file.chmod(0o600)
            log.warning("no KIOSK_DATA_KEY: personal data is encrypted with a key made in %s; keep a copy "
                        "apart from the backups, or set KIOSK_DATA_KEY (docs/security.md)", key_file)
        text = key_file.read_text().strip()
    try:
        key = base64.urlsafe_b64decode(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ValueError("KIOSK_DATA_KEY must be 32 bytes in URL-safe base64 "
                         "(python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')")
    global _loaded_key
    _loaded_key = key
    return key


def data_key() -> bytes:
    return current_app.config["KIOSK_DATA_KEY"] if has_app_context() else _loaded_key


def encrypt(text: str, key: bytes) -> str:
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str, key: bytes) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("an encrypted column holds a value this server did not encrypt")
    raw = base64.b64decode(stored.removeprefix(PREFIX))
    try:
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], None).decode()
    except InvalidTag:
        raise WrongDataKey() from None


class WrongDataKey(KioskError):
    """The server's configuration, not the request: the data was written under another key."""
    status, code = 500, "wrong_data_key"

    def __init__(self):
        super().__init__("Personal data in this database was encrypted with another key: give this server the "
                         "key it was written with (KIOSK_DATA_KEY or KIOSK_DATA_KEY_FILE, docs/security.md).")


class Encrypted(TypeDecorator):
    """A text column stored encrypted; the empty string stays empty (nothing to hide, and defaults work)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return encrypt(value, data_key()) if value else value

    def process_result_value(self, value, dialect):
        return decrypt(value, data_key()) if value else value


def ensure_readable(connection, tables) -> None:
    """Refuse (WrongDataKey) a database whose encrypted columns this server's key cannot read: checked
    before a restore or an import copies anything, so the mismatch shows at once, not later on a page."""
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, Encrypted):
                connection.scalar(select(column).where(column != "").limit(1))   # reading decrypts
