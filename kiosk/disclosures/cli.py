"""`kiosk checks`: the attachments' privacy checks from the command line."""
import click


@click.group("checks")
def checks_cli():
    """Privacy checks of attachments (OCR of images and scanned pages)."""


@checks_cli.command("run")
def checks_run():
    """Check every waiting attachment now, in this process (the scheduler does it every 5 s)."""
    from kiosk.cli import _app
    from kiosk.disclosures.checks import run_pending_checks
    with _app().app_context():
        click.echo(f"checked {run_pending_checks()} attachments")
