"""`kiosk audit verify`: walk the hash chain; exit 0 when it holds, 1 at the first broken link."""
import sys

import click


@click.group("audit")
def audit_cli():
    """The audit log."""


@audit_cli.command("verify")
def verify_command():
    """Check that no audit entry was changed or deleted since it was written."""
    from kiosk.audit.chain import verify
    from kiosk.cli import _app
    with _app().app_context():
        verdict = verify()
    if verdict.holds:
        click.echo(f"audit chain holds: {verdict.checked} entries, newest hash {verdict.newest_hash}")
        return
    click.echo(f"audit chain broken at entry #{verdict.broken_at}: {verdict.problem} "
               f"({verdict.checked} entries before it hold)", err=True)
    sys.exit(1)
