"""Journey 9 in a real Chromium: the county's platform POSTs a CAP alert for 金家镇 and a village
screen shows it full screen within a second; its update turns it into an urgent ticker line."""
import time

import pytest

from tests.broadcast.conftest import cap_alert, reference

pytestmark = pytest.mark.browser


def test_an_alert_posted_by_the_platform_is_on_a_village_screen_within_a_second(open_player, post_alert):
    page, _screen = open_player(groups=("villages", ("lizhuang", "board")))
    started = time.monotonic()
    response = post_alert(cap_alert())
    answered = time.monotonic() - started
    assert response.status_code == 201, response.get_json()
    page.wait_for_selector("#urgent:not([hidden]) .urgent-title:has-text('金家镇暴雨红色预警')", timeout=3000)
    elapsed = time.monotonic() - started
    print(f"CAP alert on the village screen {elapsed:.2f} s after the POST was sent (answered after {answered:.2f} s)")
    assert elapsed < 2.0    # the bar is 1 s; generous for a loaded CI machine (the print says what it took)
    assert "请立即转移到安全地带" in page.inner_text("#urgent")
    started = time.monotonic()
    update = post_alert(cap_alert("CN-20261123-0002", msg_type="Update", severity="Moderate", event="暴雨黄色预警",
                                  headline="暴雨预警降为黄色", references=reference()))
    assert update.status_code == 201
    page.wait_for_selector("#urgent", state="hidden", timeout=3000)
    page.wait_for_selector("#ticker.urgent:not([hidden]) .ticker-text:has-text('暴雨预警降为黄色')", timeout=3000)
    print(f"the update's ticker line {time.monotonic() - started:.2f} s after its POST")
