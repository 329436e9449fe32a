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
        for method, operation in methods.items():
            for status, answer in operation["responses"].items():
                if str(status).startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema["$ref"].endswith("/ErrorOut"), (path, method, status)


def test_signed_in_endpoints_name_both_ways_to_sign_in_and_their_401(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["BearerToken"]["scheme"] == "bearer"
    assert schemes["SessionCookie"]["in"] == "cookie"
    mine = spec["paths"]["/api/v1/dossiers/{dossier_id}/submit"]["post"]
    assert mine["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
    assert {"401", "404", "409", "422"} <= set(mine["responses"])
    assert "security" not in spec["paths"]["/api/v1/dossiers/track"]["get"]


def test_every_staff_action_has_its_endpoint_and_error_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    for action in (
        "accept",
        "refuse",
        "forward",
        "request_supplement",
        "request_payment",
        "confirm_payment",
        "stop",
        "finish",
        "return_result",
        "apology",
        "complete_step",
        "return_step",
    ):
        operation = spec["paths"][f"/api/v1/staff/dossiers/{{code}}/actions/{action}"]["post"]
        assert {"200", "401", "403", "404", "409", "422"} <= set(operation["responses"]), action
