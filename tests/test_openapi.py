"""The published API description matches what the endpoints answer."""

import pytest

pytestmark = pytest.mark.django_db


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _item_properties(spec: dict, path: str, *keys: str) -> set[str]:
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    schema = _resolve(spec, schema["schema"])
    for key in keys:
        schema = _resolve(spec, schema["properties"][key])
        if schema.get("type") == "array":
            schema = _resolve(spec, schema["items"])
        elif "anyOf" in schema:
            schema = _resolve(spec, next(s for s in schema["anyOf"] if s.get("type") != "null"))
    return set(schema["properties"])


def test_each_schema_name_describes_one_shape(client):
    """Two apps' schemas of one name would silently replace each other in the document."""
    spec = client.get("/api/v1/openapi.json").json()
    assert _item_properties(spec, "/api/v1/agencies", "items") >= {"code", "kind", "level"}
    assert _item_properties(spec, "/api/v1/procedures/{code}", "agencies") == {"slug", "name"}
    assert _item_properties(spec, "/api/v1/procedures", "items") >= {"code", "online_level"}


def test_every_4xx_documents_the_one_error_body(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        for status, answer in methods["get"]["responses"].items():
            if status.startswith("4"):
                schema = answer["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/ErrorOut"), (path, status)
