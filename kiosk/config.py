"""Configuration from environment variables, each with a safe default (listed in the README)."""
import ipaddress
import os
import secrets
from datetime import time
from pathlib import Path

from kiosk.audit.keys import ALGORITHMS, load_keys
from kiosk.core.crypto import load_data_cipher, load_data_key
from kiosk.launch import DEFAULT_ASYNC_MODE


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


def _id_shown() -> tuple[int, int]:
    value = os.environ.get("KIOSK_PRIVACY_ID_SHOWN", "6+4")
    head, plus, tail = value.partition("+")
    if not (plus and head.isdigit() and tail.isdigit() and int(head) <= 6 and int(tail) <= 4):
        raise ValueError("KIOSK_PRIVACY_ID_SHOWN must be first+last characters an ID may show, "
                         f"at most 6+4 (e.g. 6+4, 3+4, 0+4), not {value!r}")
    return int(head), int(tail)


def _retention_days() -> int:
    days = _number("KIOSK_AUDIT_RETENTION_DAYS", "180")
    if days < 180:   # 网络安全法 Art. 21: network logs kept no less than six months
        raise ValueError(f"KIOSK_AUDIT_RETENTION_DAYS must be at least 180 (six months), not {days}")
    return days


def _networks(name: str, default: str) -> tuple:
    value = os.environ.get(name, default)
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"{name} must list addresses or networks separated by commas, not {value!r}")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _local_time(name: str, default: str) -> time:
    value = os.environ.get(name, default)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a local time such as 02:30, not {value!r}")


def _whole(name: str, default: str) -> int:
    """A whole number of at least 0 (0 switching the rule off)."""
    value = os.environ.get(name, default)
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number (0 or more), not {value!r}")
    return int(value)


def load_config(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("KIOSK_DATABASE_URL") or f"sqlite:///{instance_path / 'kiosk.sqlite3'}"
    scheduler_mode = os.environ.get("KIOSK_SCHEDULER", "embedded")
    if scheduler_mode not in ("embedded", "external"):
        raise ValueError(f"KIOSK_SCHEDULER must be 'embedded' or 'external', not {scheduler_mode!r}")
    async_mode = os.environ.get("KIOSK_ASYNC_MODE", DEFAULT_ASYNC_MODE)
    if async_mode not in ASYNC_MODES:
        raise ValueError(f"KIOSK_ASYNC_MODE must be 'threading' or 'gevent', not {async_mode!r}")
    audit_key_file = Path(os.environ.get("KIOSK_AUDIT_KEY_FILE") or instance_path / "audit-keys")
    audit_hash = os.environ.get("KIOSK_AUDIT_HASH", "sha256")
    if audit_hash not in ALGORITHMS:
        raise ValueError(f"KIOSK_AUDIT_HASH must be 'sha256' or 'sm3', not {audit_hash!r}")
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
        # Videos for video slides (kiosk/video): the largest upload, the longest video, the input's
        # highest bitrate (kbit/s) and longer side, the time its check and conversion may take, and
        # the storage a screen keeps for offline play unless its group sets another.
        "KIOSK_VIDEO_MAX_MB": int(os.environ.get("KIOSK_VIDEO_MAX_MB", "500")),
        "KIOSK_VIDEO_MAX_SECONDS": int(os.environ.get("KIOSK_VIDEO_MAX_SECONDS", "600")),
        "KIOSK_VIDEO_MAX_KBPS": int(os.environ.get("KIOSK_VIDEO_MAX_KBPS", "40000")),
        "KIOSK_VIDEO_MAX_SIDE": int(os.environ.get("KIOSK_VIDEO_MAX_SIDE", "3840")),
        "KIOSK_VIDEO_CHECK_SECONDS": int(os.environ.get("KIOSK_VIDEO_CHECK_SECONDS", "3600")),
        "KIOSK_VIDEO_CACHE_MB": int(os.environ.get("KIOSK_VIDEO_CACHE_MB", "1024")),
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
        # 等保 2.0 identity authentication (accounts/passwords.py, docs/security.md): a password's
        # least length (three of four character classes, not the username, not one of the last
        # KIOSK_PASSWORD_HISTORY); its age in days after which a new one is asked (0: never); a staff
        # session ends after KIOSK_SESSION_IDLE_MINUTES without a request and KIOSK_SESSION_MAX_HOURS
        # after the login, whatever happens (bearer tokens have KIOSK_TOKEN_LIFETIME_DAYS).
        "KIOSK_PASSWORD_MIN_LENGTH": _number("KIOSK_PASSWORD_MIN_LENGTH", "10"),
        "KIOSK_PASSWORD_HISTORY": _number("KIOSK_PASSWORD_HISTORY", "5"),
        "KIOSK_PASSWORD_MAX_AGE_DAYS": _whole("KIOSK_PASSWORD_MAX_AGE_DAYS", "0"),
        "KIOSK_SESSION_IDLE_MINUTES": _number("KIOSK_SESSION_IDLE_MINUTES", "30"),
        "KIOSK_SESSION_MAX_HOURS": _number("KIOSK_SESSION_MAX_HOURS", "12"),
        # The AES-256 key of personal data at rest (kiosk/core/crypto.py): KIOSK_DATA_KEY (URL-safe
        # base64 of 32 bytes) or KIOSK_DATA_KEY_FILE; unset, a key file made in the instance folder.
        "KIOSK_DATA_KEY": load_data_key(instance_path),
        # Its cipher for new values: aes-256-gcm, or sm4-gcm (国密); values already written keep theirs.
        "KIOSK_DATA_CIPHER": load_data_cipher(),
        # How long a bearer token from createToken stays valid.
        "KIOSK_TOKEN_LIFETIME_DAYS": _number("KIOSK_TOKEN_LIFETIME_DAYS", "30"),
        # Comments and objections accepted per address from the public notice pages and API.
        "KIOSK_COMMENT_LIMIT": os.environ.get("KIOSK_COMMENT_LIMIT", "5 per hour"),
        # The touch kiosk's visitors (kiosk/touch/limits.py), limits-library syntax: messages per visit
        # (until the idle reset) under a ceiling per kiosk; numbers taken the same way; wrong rating
        # codes per ticket number (then it waits, or is rated at the window) and per kiosk.
        "KIOSK_TOUCH_MESSAGE_VISIT_LIMIT": os.environ.get("KIOSK_TOUCH_MESSAGE_VISIT_LIMIT", "3 per 10 minutes"),
        "KIOSK_TOUCH_MESSAGE_LIMIT": os.environ.get("KIOSK_TOUCH_MESSAGE_LIMIT", "30 per hour;200 per day"),
        "KIOSK_TOUCH_TICKET_VISIT_LIMIT": os.environ.get("KIOSK_TOUCH_TICKET_VISIT_LIMIT", "3 per 10 minutes"),
        "KIOSK_TOUCH_TICKET_LIMIT": os.environ.get("KIOSK_TOUCH_TICKET_LIMIT", "20 per minute;300 per hour"),
        "KIOSK_TOUCH_RATING_TICKET_LIMIT": os.environ.get("KIOSK_TOUCH_RATING_TICKET_LIMIT", "5 per 15 minutes"),
        "KIOSK_TOUCH_RATING_LIMIT": os.environ.get("KIOSK_TOUCH_RATING_LIMIT", "30 per 10 minutes;100 per day"),
        # 群众评议 surveys (kiosk/surveys): answers per kiosk (one per visit besides), and answers from
        # phones per address (one per phone besides; villagers behind one router share an address).
        "KIOSK_TOUCH_SURVEY_LIMIT": os.environ.get("KIOSK_TOUCH_SURVEY_LIMIT", "30 per 10 minutes;300 per day"),
        "KIOSK_SURVEY_LIMIT": os.environ.get("KIOSK_SURVEY_LIMIT", "30 per hour"),
        # The typeface of rendered images and print sheets (a font package's files; see kiosk/render/fonts.py).
        "KIOSK_RENDER_FONT": os.environ.get("KIOSK_RENDER_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        "KIOSK_RENDER_FONT_BOLD": os.environ.get("KIOSK_RENDER_FONT_BOLD",
                                                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
        "KIOSK_RENDER_FONT_FACE": os.environ.get("KIOSK_RENDER_FONT_FACE", "Noto Sans CJK SC"),
        # A township logo drawn in the middle of rendered QR codes (PNG; empty: none).
        "KIOSK_QR_LOGO": os.environ.get("KIOSK_QR_LOGO") or None,
        # Tickers (kiosk/broadcast): the default crawl speed in characters per second (read at 3 m).
        "KIOSK_TICKER_SPEED": float(os.environ.get("KIOSK_TICKER_SPEED", "4")),
        # Official warnings (CAP 1.2, kiosk/broadcast): the largest alert accepted (bytes), and the
        # longest a feed poll may take (seconds).
        "KIOSK_WARNING_MAX_BYTES": int(os.environ.get("KIOSK_WARNING_MAX_BYTES", "262144")),
        "KIOSK_WARNING_FEED_TIMEOUT": float(os.environ.get("KIOSK_WARNING_FEED_TIMEOUT", "10")),
        # Rendered images kept in memory (megabytes), keyed by what they show.
        "KIOSK_RENDER_CACHE_MB": int(os.environ.get("KIOSK_RENDER_CACHE_MB", "64")),
        # The masking rule (kiosk/privacy/gate.py): how many first and last characters of an ID a
        # public text may show, "6+4" at most; stricter values ("3+4", "0+4") apply to checks and masking.
        "KIOSK_PRIVACY_ID_SHOWN": _id_shown(),
        # The audit log (kiosk/audit): HMAC keys kept outside the database (KIOSK_AUDIT_KEY: keys separated
        # by commas, the last signs; else the key file, created 0600), the chain's hash (sha256 or sm3),
        # the chain's head on the public guide page, days entries stay in the database before the archive
        # job moves them to signed files (at least 180) and the files' folder, and 三员分立
        # (administrators cannot read the log; auditors can).
        "KIOSK_AUDIT_KEY_FILE": str(audit_key_file),
        "KIOSK_AUDIT_KEYS": load_keys(os.environ.get("KIOSK_AUDIT_KEY"), audit_key_file),
        "KIOSK_AUDIT_HASH": audit_hash,
        "KIOSK_AUDIT_HEAD_PUBLIC": os.environ.get("KIOSK_AUDIT_HEAD_PUBLIC", "") in ("1", "true", "yes"),
        "KIOSK_AUDIT_RETENTION_DAYS": _retention_days(),
        "KIOSK_AUDIT_ARCHIVE_PATH": os.environ.get("KIOSK_AUDIT_ARCHIVE_PATH") or str(instance_path / "audit-archive"),
        "KIOSK_SEPARATION_OF_DUTIES": os.environ.get("KIOSK_SEPARATION_OF_DUTIES", "") in ("1", "true", "yes"),
        # Operations (kiosk/metrics, kiosk/logs.py, kiosk/backups): who may read /metrics (addresses or
        # networks, or the bearer of the token); log lines as JSON ("json") or text; the nightly
        # backup's local time, folder and how many daily and weekly (Sunday) backups are kept.
        "KIOSK_METRICS_ALLOW": _networks("KIOSK_METRICS_ALLOW", "127.0.0.1,::1"),
        "KIOSK_METRICS_TOKEN": os.environ.get("KIOSK_METRICS_TOKEN") or None,
        "KIOSK_LOG_FORMAT": _choice("KIOSK_LOG_FORMAT", "text", ("text", "json")),
        "KIOSK_BACKUP_TIME": _local_time("KIOSK_BACKUP_TIME", "02:30"),
        "KIOSK_BACKUP_PATH": os.environ.get("KIOSK_BACKUP_PATH") or str(instance_path / "backups"),
        "KIOSK_BACKUP_KEEP_DAILY": _number("KIOSK_BACKUP_KEEP_DAILY", "14"),
        "KIOSK_BACKUP_KEEP_WEEKLY": _number("KIOSK_BACKUP_KEEP_WEEKLY", "8"),
        # Applications for information (kiosk/applications): days an applicant's name and contacts are
        # kept after the application is closed (past the remedies: 复议 60 days, 诉讼 6 months), then erased.
        "KIOSK_APPLICATION_RETENTION_DAYS": _number("KIOSK_APPLICATION_RETENTION_DAYS", "730"),
        # Alerts (kiosk/incidents): the local time of the morning digest of what is still open.
        "KIOSK_ALERT_DIGEST_TIME": _local_time("KIOSK_ALERT_DIGEST_TIME", "08:00"),
    }
