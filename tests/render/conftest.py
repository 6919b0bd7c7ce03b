"""Helpers for the renderer tests: a pinned clock, notices approved through the API, image-only
boards registered through the API, and a real QR decoder (zxing-cpp)."""
import io
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from kiosk.core import clock
from tests.disclosures.conftest import approved, clients, draft  # noqa: F401  (fixtures shared with these tests)
from tests.screens.conftest import group_id, manager  # noqa: F401

# A Monday morning, pinned before each test's own data exists.
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TABLE_BODY = ("本月收支明细如下，截至10月8日共收入50,000.00元。\n\n"
              "| 项目 | 金额（元） | 日期 |\n|---|---:|---|\n| 上级转移支付补助资金 | 50,000.00 | 10月8日 |\n"
              "| 村道路面修补工程款 | 21,300.00 | 10月9日 |\n\n1. 收入按时到账；\n2. 支出严格执行“四议两公开”。")


@pytest.fixture(autouse=True)
def monday():
    clock.set_now(MONDAY)
    yield MONDAY


@pytest.fixture
def notice(approved):
    """A 李庄村 finance notice with a table, under a 7-day publicity period, showing now."""
    return approved(title="李庄村10月财务收支公开", body=TABLE_BODY, period_length=7, period_unit="calendar_days")


@pytest.fixture
def board(demo_app, manager):  # noqa: F811
    """board(kind="image_board") → (screen JSON, device token) of a new 李庄村 screen in the villages group."""
    def create(kind="image_board", name="李庄村墨水屏"):
        response = manager.api("POST", "/api/v1/screens", json={
            "unit": "lizhuang", "kind": kind, "name": name, "groups": [group_id(demo_app, "villages")]})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        link = urlsplit(body["player_url"])
        if kind == "image_board":       # the board polls its picture: the token is in that link
            assert link.path == "/api/v1/render/screen-now"
            return body, parse_qs(link.query)["token"][0]
        return body, link.path.rsplit("/", 1)[1]
    return create


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def decoded(image: Image.Image) -> list[str]:
    """Every QR code a real decoder finds in the picture."""
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))
            if result.format == zxingcpp.BarcodeFormat.QRCode]
