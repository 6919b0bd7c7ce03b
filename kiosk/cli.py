"""The `kiosk` command. Bad arguments exit 2 with one line on stderr."""
import sys

from kiosk.launch import patch_for_serving

patch_for_serving()  # before anything else imports socket or threading (kiosk serve under gevent)

from pathlib import Path  # noqa: E402

import click  # noqa: E402

from kiosk.core.errors import KioskError  # noqa: E402


class KioskGroup(click.Group):
    """Prints usage errors as one line (`kiosk: error: ...`) instead of Click's three."""

    def main(self, args=None, prog_name=None, **extra):
        try:
            return super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.Abort:
            click.echo("kiosk: aborted", err=True)
            sys.exit(1)
        except click.UsageError as error:
            click.echo(f"kiosk: error: {error.format_message()}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"kiosk: error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except KioskError as error:
            click.echo(f"kiosk: error: {error.message}", err=True)
            sys.exit(2)


def _app(overrides: dict | None = None):
    from kiosk import create_app
    from kiosk.core import clock
    try:
        clock.start_from_environment()
        return create_app(overrides)
    except ValueError as error:  # bad configuration values
        raise click.UsageError(str(error))


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Township kiosk and noticeboards."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--dev", is_flag=True, help="Werkzeug's development server (threads; not for production).")
def serve(host, port, dev):
    """Serve the staff pages, the API, the screens and the kiosk (gevent; KIOSK_ASYNC_MODE)."""
    from kiosk.serving import serve as run_server
    from kiosk.serving import serve_dev
    if dev:
        serve_dev(_app({"KIOSK_ASYNC_MODE": "threading"}), host, port)
        return
    app = _app()
    if app.config["KIOSK_ASYNC_MODE"] == "threading":
        raise click.UsageError("KIOSK_ASYNC_MODE=threading runs only on Werkzeug's development server: "
                               "`kiosk serve --dev`, or unset KIOSK_ASYNC_MODE to serve with gevent")
    run_server(app, host, port)


@main.group()
def db():
    """Database schema."""


@db.command("upgrade")
def db_upgrade():
    """Bring the database to the latest schema."""
    from kiosk.core.migrate import upgrade
    app = _app()
    with app.app_context():
        upgrade()
    click.echo(f"database at the latest schema: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")


def _transfer_report(copied: dict[str, int]) -> None:
    rows = sum(copied.values())
    click.echo(f"{rows} rows in {sum(1 for n in copied.values() if n)} tables: " +
               ", ".join(f"{name} {n}" for name, n in copied.items() if n))


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path):
    """Write a consistent copy of the database (SQLite or PostgreSQL) to a new SQLite file, while serving."""
    from kiosk.core.transfer import backup
    app = _app()
    with app.app_context():  # messages in the server's language
        _transfer_report(backup(app.config["SQLALCHEMY_DATABASE_URI"], path))
    click.echo(f"backup written to {path}; copy {app.config['KIOSK_UPLOAD_PATH']} with it")


@db.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_restore(path):
    """Replace everything in the database with a backup (stop every server process first)."""
    from kiosk.core.transfer import restore
    app = _app()
    with app.app_context():
        _transfer_report(restore(app.config["SQLALCHEMY_DATABASE_URI"], path, replace=True))
    click.echo(f"restored from {path}")


@db.command("import-sqlite")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path),
              help="the township's uploads folder, copied into KIOSK_UPLOAD_PATH")
def db_import_sqlite(path, uploads):
    """Move a township's SQLite database (and its uploads) into this database: a new one, or the
    county's, holding other townships of the same county (ids are given anew there)."""
    from kiosk.core.transfer import copy_uploads, restore
    app = _app()
    with app.app_context():
        _transfer_report(restore(app.config["SQLALCHEMY_DATABASE_URI"], path, replace=False))
        if uploads:
            click.echo(f"{copy_uploads(uploads, Path(app.config['KIOSK_UPLOAD_PATH']))} uploaded files copied")


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already holds data.")
def demo(if_empty):
    """Load the demo township 金家镇 (only into an empty or demo database)."""
    from kiosk.demo import load_demo
    app = _app()
    with app.app_context():
        summary = load_demo(if_empty=if_empty)
    click.echo(summary)


@main.group()
def user():
    """Staff accounts."""


@user.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["administrator", "editor", "reviewer", "screen_manager", "window_clerk"]),
              help="Repeat for several roles.")
@click.option("--unit", "unit_code", help="Unit code the account belongs to (default: the top unit).")
@click.option("--name", "display_name", default="", help="Name shown on the staff pages.")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
def user_add(username, roles, unit_code, display_name, password_stdin):
    """Create a staff account."""
    from sqlalchemy import select

    from kiosk.accounts.models import Role
    from kiosk.accounts.operations import create_user
    from kiosk.extensions import db as database
    from kiosk.org.models import Unit
    from kiosk.org.operations import get_unit_by_code

    password = sys.stdin.readline().rstrip("\r\n")
    app = _app()
    with app.app_context():
        if unit_code:
            unit = get_unit_by_code(unit_code)
        else:
            unit = database.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
            if unit is None:
                raise click.UsageError("no units yet: run `kiosk demo` or create the township first")
        account = create_user(username, password, {Role(r) for r in roles}, unit, display_name)
        database.session.commit()
        click.echo(f"created {account.username} ({', '.join(sorted(roles))}) in {unit.name}")


@main.group()
def holidays():
    """The holiday table (public holidays and 调休 working days)."""


@holidays.command("refresh")
def holidays_refresh():
    """Copy the State Council's arrangement from the chinesecalendar package into the holiday table
    (edits made on the holidays page are kept)."""
    from kiosk.extensions import db as database
    from kiosk.workdays.jobs import warn_if_next_year_missing
    from kiosk.workdays.official import refresh
    app = _app()
    with app.app_context():
        result = refresh()
        database.session.commit()
        click.echo(str(result))
        warn_if_next_year_missing()  # logged to stderr


@main.command()
def scheduler():
    """Run the one scheduler in its own process (for KIOSK_SCHEDULER=external)."""
    from kiosk import scheduling
    from kiosk.serving import freeze_startup_heap
    app = _app()
    if app.config["KIOSK_SCHEDULER"] != "external":
        raise click.UsageError("KIOSK_SCHEDULER is 'embedded': the server runs the scheduler itself")
    click.echo("scheduler running; Ctrl-C to stop")
    freeze_startup_heap()
    scheduling.start(app, blocking=True)


def _add_feature_commands():
    from kiosk.audit.cli import audit_cli
    from kiosk.disclosures.cli import checks_cli
    from kiosk.reports.cli import reports_cli
    from kiosk.screens.schedules import schedules_cli
    from kiosk.video.cli import videos_cli
    main.add_command(schedules_cli)
    main.add_command(reports_cli)
    main.add_command(checks_cli)
    main.add_command(audit_cli)
    main.add_command(videos_cli)


_add_feature_commands()
