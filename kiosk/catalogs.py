"""Translation catalogues, one per feature package (`make messages` runs `update`).

Message ids are English; each catalogue holds the Simplified Chinese (`zh`) translations,
and English needs none. A feature with a `translations/` folder owns the strings of its own
package; the root catalogue in kiosk/translations owns everything else.

    python -m kiosk.catalogs update    # extract strings and merge them into each zh .po
    python -m kiosk.catalogs compile   # write the .mo files the server loads
    python -m kiosk.catalogs check     # list untranslated or stale entries (the tests call this)
"""
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_file, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
LOCALE = "zh"
METHODS = [("**/translations/**", "ignore"), ("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3), "lazy_ngettext": (1, 2),
            "lazy_pgettext": ((1, "c"), 2), "_lp": ((1, "c"), 2)}


def catalogues() -> dict[Path, list[Path]]:
    """Each translations folder and the source folders whose strings it holds."""
    owned = {d.parent: d for d in PACKAGE.glob("*/translations") if d.is_dir()}
    root_sources = [p for p in PACKAGE.iterdir()
                    if p.name not in ("translations", "migrations", "__pycache__") and p not in owned
                    and (p.is_dir() or p.suffix == ".py")]
    result = {PACKAGE / "translations": root_sources}
    result.update({translations: [package] for package, translations in owned.items()})
    return result


def extract(sources: list[Path]) -> Catalog:
    template = Catalog(locale=LOCALE)
    for source in sources:
        if source.is_dir():
            found = extract_from_dir(str(source), METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",))
            for filename, lineno, message, comments, context in found:
                template.add(message, locations=[(str(source.relative_to(PACKAGE) / filename), lineno)],
                             auto_comments=comments, context=context)
        else:
            with source.open("rb") as handle:
                for lineno, message, comments, context in extract_file("python", handle, keywords=KEYWORDS):
                    template.add(message, locations=[(source.name, lineno)], auto_comments=comments,
                                 context=context)
    return template


def _po_path(translations: Path) -> Path:
    return translations / LOCALE / "LC_MESSAGES" / "messages.po"


def _load(po: Path) -> Catalog:
    if not po.exists():
        return Catalog(locale=LOCALE)
    with po.open("rb") as handle:
        return read_po(handle, locale=LOCALE)


def update() -> None:
    for translations, sources in catalogues().items():
        template = extract(sources)
        po = _po_path(translations)
        catalog = _load(po)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
        print(f"{po.relative_to(PACKAGE.parent)}: {len(catalog)} messages")


def compile_all() -> None:
    for translations in catalogues():
        po = _po_path(translations)
        if po.exists():
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, _load(po), use_fuzzy=False)


def _key(value):
    """Plural ids and strings come as lists or tuples; make them comparable."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def problems() -> list[str]:
    """Strings with no Chinese translation, and .mo files that lag their .po."""
    found = []
    for translations, sources in catalogues().items():
        po = _po_path(translations)
        catalog = _load(po)
        for message in extract(sources):
            if not message.id:
                continue
            msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id  # plurals
            entry = catalog.get(msgid, context=message.context)
            strings = entry.string if entry else None
            complete = entry and not entry.fuzzy and (all(strings) if isinstance(strings, tuple) else strings)
            if not complete:
                where = message.locations[0] if message.locations else ("?", 0)
                found.append(f"{po.relative_to(PACKAGE.parent)}: untranslated {msgid!r} ({where[0]}:{where[1]})")
        mo = po.with_suffix(".mo")
        if po.exists():
            if not mo.exists():
                found.append(f"{mo.relative_to(PACKAGE.parent)}: missing; run `make messages`")
            else:
                with mo.open("rb") as handle:
                    compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
                current = {_key(m.id): _key(m.string) for m in catalog if m.id and not m.fuzzy and m.string}
                if compiled != current:
                    found.append(f"{mo.relative_to(PACKAGE.parent)}: stale; run `make messages`")
    return found


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
        compile_all()
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        print("\n".join(issues) or "all catalogues complete")
        sys.exit(1 if issues else 0)
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
