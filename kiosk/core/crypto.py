"""Personal data encrypted at rest (等保 2.0 data confidentiality, personal information): visitors'
messages and phone numbers, commenters' names and phones. AES-256-GCM, or SM4-GCM (国密, GB/T 32907)
with KIOSK_DATA_CIPHER=sm4-gcm, both through `cryptography` (OpenSSL), with the key from
KIOSK_DATA_KEY, KIOSK_DATA_KEY_FILE or, in development, a key file made once in the instance folder
(mode 0600, warned at start-up). Each value names its cipher by its prefix, so values written before
a switch stay readable. Backups carry ciphertext: keep the key with them, apart."""
import base64
import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, has_app_context
from sqlalchemy import Text, select
from sqlalchemy.types import TypeDecorator

from kiosk.core.errors import KioskError

PREFIXES = {"aes-256-gcm": "enc1:", "sm4-gcm": "sm4g1:"}   # a value's cipher and format version
CIPHERS = tuple(PREFIXES)
_NONCE, _TAG = 12, 16
log = logging.getLogger(__name__)
_loaded_key: bytes | None = None  # for reads outside an app (scripts, a backup's engine): the last key loaded
_loaded_cipher = "aes-256-gcm"


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


def load_data_cipher() -> str:
    global _loaded_cipher
    cipher = os.environ.get("KIOSK_DATA_CIPHER", "aes-256-gcm")
    if cipher not in CIPHERS:
        raise ValueError(f"KIOSK_DATA_CIPHER must be one of {', '.join(CIPHERS)}, not {cipher!r}")
    _loaded_cipher = cipher
    return cipher


def data_key() -> bytes:
    return current_app.config["KIOSK_DATA_KEY"] if has_app_context() else _loaded_key


def data_cipher() -> str:
    return current_app.config["KIOSK_DATA_CIPHER"] if has_app_context() else _loaded_cipher


def _sm4_key(key: bytes) -> bytes:
    """SM4 takes 128 bits: derived from the data key with HKDF over SM3, so one key serves both ciphers."""
    return HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=b"kiosk data sm4-gcm").derive(key)


def _seal(cipher: str, key: bytes, nonce: bytes, data: bytes) -> bytes:
    if cipher == "sm4-gcm":
        sealing = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
        return sealing.update(data) + sealing.finalize() + sealing.tag
    return AESGCM(key).encrypt(nonce, data, None)


def _open(cipher: str, key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    if cipher == "sm4-gcm":
        opening = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, sealed[-_TAG:])).decryptor()
        return opening.update(sealed[:-_TAG]) + opening.finalize()
    return AESGCM(key).decrypt(nonce, sealed, None)


def encrypt(text: str, key: bytes, cipher: str = "aes-256-gcm") -> str:
    nonce = secrets.token_bytes(_NONCE)
    return PREFIXES[cipher] + base64.b64encode(nonce + _seal(cipher, key, nonce, text.encode())).decode()


def decrypt(stored: str, key: bytes) -> str:
    cipher = next((name for name, prefix in PREFIXES.items() if stored.startswith(prefix)), None)
    if cipher is None:
        raise ValueError("an encrypted column holds a value this server did not encrypt")
    raw = base64.b64decode(stored.removeprefix(PREFIXES[cipher]))
    try:
        return _open(cipher, key, raw[:_NONCE], raw[_NONCE:]).decode()
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
        return encrypt(value, data_key(), data_cipher()) if value else value

    def process_result_value(self, value, dialect):
        return decrypt(value, data_key()) if value else value


def ensure_readable(connection, tables) -> None:
    """Refuse (WrongDataKey) a database whose encrypted columns this server's key cannot read: checked
    before a restore or an import copies anything, so the mismatch shows at once, not later on a page."""
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, Encrypted):
                connection.scalar(select(column).where(column != "").limit(1))   # reading decrypts
