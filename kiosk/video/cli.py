"""`kiosk videos`: the videos' checks from the command line."""
import click


@click.group("videos")
def videos_cli():
    """Videos for video slides."""


@videos_cli.command("check")
def videos_check():
    """Check and convert every waiting video now, in this process (the scheduler does it every 5 s)."""
    from kiosk.cli import _app
    from kiosk.video.checks import run_pending_checks
    with _app().app_context():
        click.echo(f"checked {run_pending_checks()} videos")
