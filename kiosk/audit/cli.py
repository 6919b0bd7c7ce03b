"""`kiosk audit verify`: walk the hash chain; exit 0 when it holds, 1 listing every break.
`kiosk audit rotate-key`: a new key signs entries from now on; the old ones keep verifying theirs.
`kiosk audit archive`: what the daily job does now (entries past the retention into signed files)."""
import sys
from pathlib import Path

import click


@click.group("audit")
def audit_cli():
    """The audit log."""


@audit_cli.command("verify")
@click.option("--head", "head_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A signed head statement kept elsewhere (the audit page's download, the anchor file's lines).")
def verify_command(head_files):
    """Check that no audit entry was changed or deleted since it was written."""
    from kiosk.audit.anchor import check_statement
    from kiosk.audit.chain import verify
    from kiosk.cli import _app
    with _app().app_context():
        verdict = verify()
        statements = [(name, check_statement(statement)) for name in head_files
                      for statement in Path(name).read_text().split("\n\n") if statement.strip()]
    rewritten = [(name, problem) for name, problem in statements if problem]
    for name, problem in rewritten:
        click.echo(f"head statement in {name}: {problem}", err=True)
    if verdict.holds:
        click.echo(f"audit chain holds: {verdict.checked} entries, newest #{verdict.newest_id} "
                   f"hash {verdict.newest_hash}")
        sys.exit(1 if rewritten else 0)
    click.echo(f"audit chain broken in {len(verdict.breaks)} places ({verdict.checked} entries checked):", err=True)
    for found in verdict.breaks:
        where = f"entry #{found.entry_id}" if found.entry_id else "after the newest entry"
        after = f" (after entry #{found.previous_id})" if found.previous_id else ""
        click.echo(f"  broken at {where}{after}: {found.problem}", err=True)
    sys.exit(1)


@audit_cli.command("rotate-key")
def rotate_key_command():
    """Add a new audit key to the key file; entries from now on are signed with it."""
    import os

    from kiosk.audit.keys import rotate
    from kiosk.cli import _app
    if os.environ.get("KIOSK_AUDIT_KEY"):
        click.echo("KIOSK_AUDIT_KEY is set: add a new random key at its end (after a comma), keeping the old "
                   "ones, and restart every process.", err=True)
        sys.exit(2)
    new_id = rotate(Path(_app().config["KIOSK_AUDIT_KEY_FILE"]))
    click.echo(f"new audit key {new_id} added; restart every server process and the scheduler to sign with it")


@audit_cli.command("archive")
def archive_command():
    """Move entries older than KIOSK_AUDIT_RETENTION_DAYS into signed files (the daily job, now)."""
    from kiosk.audit.archive import archive_folder, archive_old_entries
    from kiosk.cli import _app
    with _app().app_context():
        try:
            done = archive_old_entries()
        except RuntimeError as refused:   # a broken chain is not archived
            click.echo(str(refused), err=True)
            sys.exit(1)
        click.echo(done or f"nothing older than the retention; archives are in {archive_folder()}")
