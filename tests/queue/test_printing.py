"""The printed ticket: the browser's 58/80 mm page and direct ESC/POS printing (python-escpos)."""
from escpos.printer import Dummy

from kiosk.extensions import db
from kiosk.queue.models import Ticket
from kiosk.queue.printing import write_ticket
from kiosk.qr import public_url, scanned_link
from tests.queue.conftest import HALL, issue

RASTER = b"\x1dv0"  # GS v 0: the ticket is printed as one picture (kiosk/render/tickets.py)
CUT = b"\x1dV"


def test_escpos_ticket_is_the_rendered_picture(clerk, demo_app):
    import zxingcpp

    from kiosk.render.tickets import ticket_image
    ticket = issue(clerk, "B", priority="green")
    printer = Dummy()
    with demo_app.test_request_context():
        row = db.session.get(Ticket, ticket["id"])
        write_ticket(printer, row, waiting_ahead=0)
        picture = ticket_image(row, 0)
        link = scanned_link(public_url(f"t/{ticket['token']}"))
    output = printer.output
    assert RASTER in output and CUT in output
    assert picture.width == 576 and [r.text for r in zxingcpp.read_barcodes(picture.convert("L"))] == [
        link]


def test_issue_and_reprint_on_a_configured_printer(make_app, demo_db, staff, tmp_path, monday_morning):
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    app = make_app(demo_db, KIOSK_QUEUE_PRINTER=f"file:{device}")
    from tests.conftest import StaffClient
    clerk = StaffClient(app.test_client(), "window1")
    ticket = issue(clerk, "A", print=True)
    assert ticket["printed"] is True
    first = device.read_bytes()
    assert RASTER in first and CUT in first
    response = clerk.api("POST", f"/api/v1/queue/tickets/{ticket['id']}/print")
    assert response.status_code == 200
    assert device.read_bytes().count(RASTER) >= 1


def test_reprint_without_a_printer_is_a_clear_error(clerk):
    ticket = issue(clerk, "A")
    response = clerk.api("POST", f"/api/v1/queue/tickets/{ticket['id']}/print")
    assert response.status_code == 400 and "浏览器" in response.get_json()["message"]


def test_browser_print_layout_in_both_widths(clerk):
    ticket = issue(clerk, "A", priority="green")
    for paper in ("58", "80"):
        html = clerk.get(f"/hall/{HALL}/tickets/{ticket['id']}/print?paper={paper}").get_data(as_text=True)
        assert f"size: {paper}mm auto" in html and "A001" in html and "绿色通道" in html
        assert f"/qr/t/{ticket['token']}.svg" in html and f"评价码 {ticket['rating_code']}" in html
    assert clerk.get(f"/hall/{HALL}/tickets/{ticket['id']}/print?paper=100").status_code == 400
