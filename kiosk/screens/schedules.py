"""Rotations as plain files (`schedules/*.toml`, `*.yaml`), so a township can keep them under
version control: `kiosk schedules apply DIR` and `kiosk schedules export DIR`. See schedules/README.md."""
import tomllib
from pathlib import Path

import click
import tomli_w
import yaml
from pydantic import ValidationError
from sqlalchemy import select

from kiosk.core.errors import InvalidInput, KioskError
from kiosk.extensions import db
from kiosk.org.models import Unit
from kiosk.screens.models import Rotation
from kiosk.screens.rotations import create_rotation, rotation_as_input, update_rotation
from kiosk.screens.schemas import RotationIn

SUFFIXES = (".toml", ".yaml", ".yml")


class ScheduleError(InvalidInput):
    """A schedule file that cannot be applied; the message names the file and the place."""


def _read(path: Path) -> dict:
    try:
        if path.suffix == ".toml":
            return tomllib.loads(path.read_text(encoding="utf-8"))
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise ScheduleError(f"{path.name}: cannot be read: {error}")


def load_dir(directory: Path) -> list[tuple[str, RotationIn]]:
    """Every rotation in the directory's files, validated; (where, rotation) in file order."""
    if not directory.is_dir():
        raise ScheduleError(f"{directory}: no such directory")
    found = []
    files = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES)
    if not files:
        raise ScheduleError(f"{directory}: no .toml or .yaml files")
    for path in files:
        content = _read(path)
        if not isinstance(content, dict) or set(content) - {"rotation"}:
            raise ScheduleError(f"{path.name}: expected only [[rotation]] entries")
        entries = content.get("rotation", [])
        if not isinstance(entries, list):
            raise ScheduleError(f"{path.name}: `rotation` must be a list ([[rotation]] in TOML)")
        for number, entry in enumerate(entries, start=1):
            where = f"{path.name}: rotation {number}"
            if isinstance(entry, dict) and "slide" in entry:  # TOML's [[rotation.slide]] reads best in files
                entry = dict(entry)
                entry["slides"] = entry.pop("slide")
            try:
                found.append((where, RotationIn.model_validate(entry)))
            except ValidationError as error:
                first = error.errors()[0]
                place = ".".join(str(part) for part in first["loc"])
                raise ScheduleError(f"{where}: {place}: {first['msg']}")
    names = [(r.unit, r.name) for _, r in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ScheduleError(f"rotation named twice: {sorted(duplicates)[0][1]}")
    return found


def apply_dir(directory: Path) -> tuple[int, int]:
    """Create or replace the rotations in the files (matched by unit and name), all or nothing.
    Rotations not in the files are left alone. Returns (created, updated)."""
    created = updated = 0
    for where, data in load_dir(directory):
        try:
            existing = db.session.scalar(select(Rotation).join(Unit).where(Unit.code == data.unit,
                                                                          Rotation.name == data.name.strip()))
            if existing is None:
                create_rotation(None, data)
                created += 1
            else:
                update_rotation(None, existing, data)
                updated += 1
        except KioskError as error:
            db.session.rollback()
            raise ScheduleError(f"{where} ({data.name}): {error.message}")
    return created, updated


def export_dir(directory: Path, fmt: str = "toml") -> list[Path]:
    """Write one file per unit holding its rotations; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    by_unit: dict[str, list[dict]] = {}
    for rotation in db.session.scalars(select(Rotation).join(Unit).order_by(Unit.path, Rotation.priority.desc(),
                                                                            Rotation.name)):
        entry = rotation_as_input(rotation)
        entry["slide"] = entry.pop("slides")
        by_unit.setdefault(rotation.unit.code, []).append(entry)
    written = []
    for unit_code, entries in by_unit.items():
        path = directory / f"{unit_code}.{fmt}"
        if fmt == "toml":
            path.write_text(tomli_w.dumps({"rotation": entries}), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump({"rotation": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written


@click.group("schedules")
def schedules_cli():
    """Rotations as files (see schedules/README.md)."""


@schedules_cli.command("apply")
@click.argument("directory", type=click.Path(path_type=Path))
def apply_command(directory):
    """Create or replace the rotations described in DIRECTORY's .toml/.yaml files."""
    from kiosk.cli import _app
    app = _app()
    with app.app_context():
        created, updated = apply_dir(directory)  # a bad file: one line naming it, exit 2
        db.session.commit()
    click.echo(f"rotations applied from {directory}: {created} created, {updated} replaced")


@schedules_cli.command("export")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["toml", "yaml"]), default="toml", show_default=True)
def export_command(directory, fmt):
    """Write every rotation to DIRECTORY, one file per unit."""
    from kiosk.cli import _app
    app = _app()
    with app.app_context():
        written = export_dir(directory, fmt)
    click.echo(f"{len(written)} files written to {directory}")
