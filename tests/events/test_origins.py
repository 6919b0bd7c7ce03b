"""Socket.IO accepts pages from the address they were loaded from, and no other site's pages."""
import pytest
import socketio as socketio_client


def _connect(url, origin):
    client = socketio_client.Client(reconnection=False)
    try:
        client.connect(url, transports=["polling"], headers={"Origin": origin}, wait_timeout=5)
        return True
    except socketio_client.exceptions.ConnectionError:
        return False
    finally:
        client.disconnect()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_same_origin_is_accepted_whatever_the_address(demo_app, live_server, host):
    server = live_server(demo_app)
    url = f"http://{host}:{server.port}"
    assert _connect(url, url)


def test_another_sites_page_is_refused(demo_app, live_server):
    server = live_server(demo_app)
    assert not _connect(server.url, "http://evil.example")
