"""The API's readable documentation page, drawn in a browser from /api/v1/openapi.json by Swagger
UI (the flask-swagger-ui package's files, served by us), and the API's 404 as readable UTF-8 JSON."""


def test_an_unknown_api_address_answers_readable_utf8_json(app):
    response = app.test_client().get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.mimetype == "application/json"
    raw = response.get_data()
    assert b"\\u" not in raw and response.get_json()["message"] in raw.decode("utf-8")
    assert response.get_json()["error"] == "not_found"


def test_the_docs_page_lists_the_operations(app, live_server, page):
    server = live_server(app)
    page.goto(f"{server.url}/api/v1/docs")
    page.wait_for_selector("text=createToken", timeout=30000)
    text = page.inner_text("body")
    assert "issueTicket" in text and "rateAtKiosk" in text and "Township kiosk and noticeboards" in text
