"""Configuration from environment variables, each with a safe default (listed in the README)."""
import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """Use KIOSK_SECRET_KEY, or generate one once and keep it in the instance folder."""
    key = os.environ.get("KIOSK_SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


ASYNC_MODES = ("threading", "gevent")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


def _proxy_hops() -> int:
    value = os.environ.get("KIOSK_TRUSTED_PROXIES", "0")
    if not value.isdigit():
        raise ValueError(f"KIOSK_TRUSTED_PROXIES must be a number of proxies (0, 1, ...), not {value!r}")
    return int(value)


def _number(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _seconds(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("KIOSK_DATABASE_URL") or f"sqlite:///{instance_path / 'kiosk.sqlite3'}"
    scheduler_mode = os.environ.get("KIOSK_SCHEDULER", "embedded")
    if scheduler_mode not in ("embedded", "external"):
        raise ValueError(f"KIOSK_SCHEDULER must be 'embedded' or 'external', not {scheduler_mode!r}")
    async_mode = os.environ.get("KIOSK_ASYNC_MODE", "threading")
    if async_mode not in ASYNC_MODES:
        raise ValueError(f"KIOSK_ASYNC_MODE must be 'threading' or 'gevent', not {async_mode!r}")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # How `kiosk serve` serves Socket.IO: "gevent" (greenlets; see bench/README.md) or "threading".
        "KIOSK_ASYNC_MODE": async_mode,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "KIOSK_REDIS_URL": os.environ.get("KIOSK_REDIS_URL") or None,
        # The Socket.IO message-queue channel: deployments sharing one Redis use different ones.
        "KIOSK_REDIS_CHANNEL": os.environ.get("KIOSK_REDIS_CHANNEL", "kiosk"),
        "KIOSK_TIMEZONE": os.environ.get("KIOSK_TIMEZONE", "Asia/Shanghai"),
        # The base of every public link and QR code. Unset, `kiosk serve` uses the address it listens on.
        "KIOSK_PUBLIC_URL": (os.environ.get("KIOSK_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/"),
        "KIOSK_PUBLIC_URL_SET": bool(os.environ.get("KIOSK_PUBLIC_URL")),
        "KIOSK_SCHEDULER": scheduler_mode,
        # Screens' heartbeats are kept in memory and written together this often (0: each at once).
        "KIOSK_HEARTBEAT_BATCH_SECONDS": _seconds("KIOSK_HEARTBEAT_BATCH_SECONDS", 10),
        "KIOSK_TRUSTED_PROXIES": _proxy_hops(),
        # Several server processes need one folder they all see (NFS or the like) for uploads.
        "KIOSK_UPLOAD_PATH": os.environ.get("KIOSK_UPLOAD_PATH") or str(instance_path / "uploads"),
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        # Largest attachment (a notice's full document) accepted, in megabytes.
        "KIOSK_ATTACHMENT_MAX_MB": int(os.environ.get("KIOSK_ATTACHMENT_MAX_MB", "20")),
        # Each attachment's privacy check runs in a process of its own within these limits (the OCR
        # models alone take about 1.4 GB of address space); a file over one fails its check, saying which.
        "KIOSK_CHECK_MEMORY_MB": int(os.environ.get("KIOSK_CHECK_MEMORY_MB", "2048")),
        "KIOSK_CHECK_SECONDS": int(os.environ.get("KIOSK_CHECK_SECONDS", "300")),
        "KIOSK_CHECK_MAX_PAGES": int(os.environ.get("KIOSK_CHECK_MAX_PAGES", "200")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("KIOSK_TIMEZONE", "Asia/Shanghai"),
        # Failed logins allowed per user name (from any address), and per address (for any user
        # name), before each further attempt waits KIOSK_LOGIN_DELAY seconds (accounts/throttle.py).
        "KIOSK_LOGIN_LIMIT": os.environ.get("KIOSK_LOGIN_LIMIT", "5 per 15 minutes"),
        "KIOSK_LOGIN_ADDRESS_LIMIT": os.environ.get("KIOSK_LOGIN_ADDRESS_LIMIT", "20 per 15 minutes"),
        "KIOSK_LOGIN_DELAY": _number("KIOSK_LOGIN_DELAY", "3"),
        # How long a bearer token from createToken stays valid.
        "KIOSK_TOKEN_LIFETIME_DAYS": _number("KIOSK_TOKEN_LIFETIME_DAYS", "30"),
        # Comments and objections accepted per address from the public notice pages and API.
        "KIOSK_COMMENT_LIMIT": os.environ.get("KIOSK_COMMENT_LIMIT", "5 per hour"),
        # The typeface of rendered images and print sheets (a font package's files; see kiosk/render/fonts.py).
        "KIOSK_RENDER_FONT": os.environ.get("KIOSK_RENDER_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        "KIOSK_RENDER_FONT_BOLD": os.environ.get("KIOSK_RENDER_FONT_BOLD",
                                                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
        "KIOSK_RENDER_FONT_FACE": os.environ.get("KIOSK_RENDER_FONT_FACE", "Noto Sans CJK SC"),
        # A township logo drawn in the middle of rendered QR codes (PNG; empty: none).
        "KIOSK_QR_LOGO": os.environ.get("KIOSK_QR_LOGO") or None,
        # Rendered images kept in memory (megabytes), keyed by what they show.
        "KIOSK_RENDER_CACHE_MB": int(os.environ.get("KIOSK_RENDER_CACHE_MB", "64")),
    }
