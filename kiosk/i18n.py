"""Locale choice: Simplified Chinese unless the visitor picked English (?lang=en, kept in a cookie)."""
from pathlib import Path

from flask import has_request_context, request

from kiosk.core.cookies import set_cookie

LOCALES = ("zh", "en")
LANG_COOKIE = "kiosk_lang"


def select_locale() -> str:
    if not has_request_context():  # the CLI and scheduled jobs speak the default language
        return "zh"
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LOCALES else "zh"


def remember_locale(response):
    chosen = request.args.get("lang")
    if chosen in LOCALES and request.cookies.get(LANG_COOKIE) != chosen:
        set_cookie(response, LANG_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=False)
    return response


def translation_directories() -> str:
    """Each feature package keeps its own catalogue in <feature>/translations; Flask-Babel merges them."""
    package = Path(__file__).resolve().parent
    dirs = [package / "translations"] + sorted(package.glob("*/translations"))
    return ";".join(str(d) for d in dirs if d.is_dir())
