"""The JSON API under /api/v1: one blueprint, one decorator that registers each operation
with its OpenAPI description, and the errors as {"error": code, "message": text}."""
from flask_swagger_ui import get_swaggerui_blueprint

from kiosk.api.registry import api_bp, json_body, operation, parse_query

__all__ = ["api_bp", "operation", "json_body", "parse_query", "register_api"]


def register_api(app):
    import kiosk.api.openapi  # noqa: F401  (adds /openapi.json to the blueprint)
    app.register_blueprint(api_bp)
    # A readable page for the document: Swagger UI's files as the flask-swagger-ui package ships them.
    app.register_blueprint(get_swaggerui_blueprint(
        "/api/v1/docs", "/api/v1/openapi.json", blueprint_name="api_docs",
        config={"app_name": "Township kiosk and noticeboards: API", "displayOperationId": True}))
