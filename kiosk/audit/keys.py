"""The audit chain's keys, kept outside the database: with database access alone nobody can recompute
the hashes of changed entries.

KIOSK_AUDIT_KEY holds one or more keys separated by commas; otherwise the key file (KIOSK_AUDIT_KEY_FILE,
by default `audit-keys` in the instance folder, created 0600 with one random key when absent) holds
one per line. The last key signs new entries; older ones stay to verify the entries they signed.
Each entry names its key by an id derived from the key, never the key itself.
"""
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ALGORITHMS = ("sha256", "sm3")  # SM3 (GB/T 32905) through OpenSSL, as hashlib names it


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"kiosk audit key id\0" + key).hexdigest()[:12]


@dataclass(frozen=True)
class Keyring:
    keys: tuple[bytes, ...]  # oldest first; the last signs
    algorithm: str = "sha256"

    @property
    def current_id(self) -> str:
        return f"hmac-{self.algorithm}:{key_id(self.keys[-1])}"

    def sign(self, message: bytes, signed_with: str | None = None) -> str | None:
        """The HMAC of `message` under the key `signed_with` names (the current one when None);
        None for a key this ring does not hold, or "" (unsigned)."""
        name, _, wanted = (self.current_id if signed_with is None else signed_with).partition(":")
        algorithm = name.removeprefix("hmac-")
        key = next((key for key in self.keys if key_id(key) == wanted), None)
        if key is None or algorithm not in ALGORITHMS:
            return None
        return hmac.new(key, message, algorithm).hexdigest()


def _create(path: Path) -> None:
    """A new key file readable by its owner only; another process creating it first is fine."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32) + "\n")


def load_keys(environment_value: str | None, key_file: Path) -> tuple[bytes, ...]:
    if environment_value:
        keys = [key.strip() for key in environment_value.split(",")]
    else:
        _create(key_file)
        keys = key_file.read_text().splitlines()
    keys = tuple(key.encode() for key in keys if key.strip())
    if not keys:
        raise ValueError(f"{key_file} holds no audit key")
    return keys


def rotate(key_file: Path) -> str:
    """Add a new key at the end of the key file; it signs every entry from now on. Returns its id."""
    _create(key_file)
    key = secrets.token_hex(32)
    with key_file.open("a") as file:
        file.write(key + "\n")
    return key_id(key.encode())
