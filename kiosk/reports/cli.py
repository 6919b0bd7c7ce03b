"""`kiosk reports annual --year 2026 --unit jinjia --docx report.docx --pdf report.pdf`: a township's
annual report as it stands (saved words and figures, the rest drafted from the data), written out."""
from pathlib import Path

import click


@click.group("reports")
def reports_cli():
    """The annual report on open government information."""


@reports_cli.command("annual")
@click.option("--year", type=int, required=True, help="The year reported on.")
@click.option("--unit", "unit_code", required=True, help="The township's code, e.g. jinjia.")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False), help="Write the DOCX here.")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Write the PDF here.")
def annual_command(year, unit_code, docx_path, pdf_path):
    """Write a township's annual report as DOCX and/or PDF."""
    from kiosk.cli import _app
    from kiosk.reports.operations import document, existing_or_new, township_of
    from kiosk.reports.writers import docx_bytes, pdf_bytes
    if not docx_path and not pdf_path:
        raise click.UsageError("give --docx, --pdf or both")
    with _app().app_context():
        doc = document(existing_or_new(township_of(unit_code), year))   # a KioskError exits 2 with its words
        for path, write in ((docx_path, docx_bytes), (pdf_path, pdf_bytes)):
            if path:
                Path(path).write_bytes(write(doc))
                click.echo(f"{doc.title}: {path}")
