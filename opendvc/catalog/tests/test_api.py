"""The catalog API v1, through the Django test client."""

# The page tests' catalog fixtures are imported, which ruff reads as redefinitions.
# ruff: noqa: F811

import pytest

from opendvc.catalog.models import Procedure, ProcedureCase

from .test_pages import (  # noqa: F401 - shared fixtures
    many_procedures,
    sample_catalog,
    search_sees_every_change,
)

API = "/api/v1"


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("q", ["đăng ký khai sinh", "dang ky khai sinh", "DANG KY KHAI SINH"])
def test_search_with_and_without_diacritics(client, sample_catalog, q):
    response = client.get(f"{API}/procedures", {"q": q})
    assert response.status_code == 200
    assert codes(response)[0] == "1.001193"


def test_search_item_shape(client, sample_catalog):
    body = client.get(f"{API}/procedures", {"q": "khai sinh"}).json()
    assert body["total"] == 1 and body["page"] == 1 and body["page_size"] == 20
    assert body["items"][0] == {
        "code": "1.001193",
        "name": "Thủ tục đăng ký khai sinh",
        "fields": ["Hộ tịch"],
        "agencies": ["Ủy ban nhân dân cấp xã"],
        "level": ["XA"],
        "online_level": "TOAN_TRINH",
        "url": "/thu-tuc/1.001193/",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "duong-bo"}, ["1.002804"]),
        ({"agency": "so-tu-phap"}, ["1.000080"]),
        ({"publisher": "bo-tu-phap"}, ["1.001193", "1.000080"]),
        ({"level": "TINH"}, ["1.002804", "1.000080"]),
        ({"online": "ANY"}, ["1.001193", "1.002804"]),
        ({"online": "MOT_PHAN"}, ["1.002804"]),
    ],
)
def test_filters(client, sample_catalog, params, expected):
    response = client.get(f"{API}/procedures", params)
    assert response.status_code == 200
    assert codes(response) == expected


def test_paging(client, many_procedures):
    body = client.get(f"{API}/procedures", {"page": 3, "page_size": 20}).json()
    assert body["total"] == 45 and body["page"] == 3
    assert [item["code"] for item in body["items"]] == [f"9.{n:06d}" for n in range(40, 45)]


def test_page_past_the_end_is_empty_with_the_true_total(client, many_procedures):
    body = client.get(f"{API}/procedures", {"page": 9}).json()
    assert body["items"] == [] and body["total"] == 45


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "a" * 5000}, "q"),
        ({"page": -1}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": 100000}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"level": "Z"}, "level"),
        ({"online": "MUC_4"}, "online"),
    ],
)
def test_malformed_input_answers_422_with_the_error_body(client, sample_catalog, params, field):
    error = assert_error(client.get(f"{API}/procedures", params), 422, "invalid_input")
    assert [detail["field"] for detail in error["details"]] == [field]


@pytest.mark.parametrize("name", ["field", "agency", "publisher"])
def test_unknown_filter_slug_answers_400(client, sample_catalog, name):
    error = assert_error(client.get(f"{API}/procedures", {name: "khong-co"}), 400, "unknown_filter")
    assert error["details"] == [{"field": name, "message": "Không có giá trị “khong-co”."}]


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "'; DROP TABLE catalog_procedure; --"])
def test_html_and_sql_in_q_are_only_searched(client, sample_catalog, q):
    response = client.get(f"{API}/procedures", {"q": q})
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert Procedure.objects.count() == 5


def test_control_characters_and_emoji_in_q_answer_a_page(client, sample_catalog):
    response = client.get(f"{API}/procedures", {"q": "\x00\x07😀 "})
    assert response.status_code == 200
    assert set(response.json()) == {"items", "total", "page", "page_size", "suggestions"}


def test_procedure_detail_has_the_full_record(client, sample_catalog):
    response = client.get(f"{API}/procedures/1.001193")
    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    assert body["publishing_agency"] == {"slug": "bo-tu-phap", "name": "Bộ Tư pháp"}
    assert body["agencies"] == [{"slug": "ubnd-cap-xa", "name": "Ủy ban nhân dân cấp xã"}]
    assert body["channels"][0]["processing_amount"] == 12
    assert body["channels"][0]["processing_unit"] == "WORKING_DAY"
    assert [fee["amount"] for fee in body["fees"]] == [50000, 0]
    case = body["cases"][0]
    assert case["name"] == "Đăng ký khai sinh đúng hạn"
    assert case["documents"][0]["forms"] == [
        {"name": "Mẫu tờ khai", "url": "https://example.vn/to-khai.docx"}
    ]
    assert [doc["is_required"] for doc in case["documents"]] == [True, False]
    first = ProcedureCase.objects.get(procedure__code="1.001193", name=case["name"]).documents
    assert [doc["id"] for doc in case["documents"]] == list(first.values_list("pk", flat=True))
    assert body["legal_basis"] == [{"code": "60/2014/QH13", "name": "Luật Hộ tịch"}]
    assert body["results"] == [{"code": "KQ1", "name": "Giấy khai sinh"}]
    assert body["steps"][0]["name"] == "Bước 1"


@pytest.mark.parametrize("code", ["0.000000", "1.009999", "2.000001"])
def test_unknown_abolished_or_internal_procedure_is_404(client, sample_catalog, code):
    assert_error(client.get(f"{API}/procedures/{code}"), 404, "not_found")


def test_fields_with_counts_of_public_procedures(client, sample_catalog):
    response = client.get(f"{API}/fields")
    assert response.status_code == 200
    assert sorted(response.json(), key=lambda field: field["slug"]) == [
        {"slug": "duong-bo", "name": "Đường bộ", "procedure_count": 1},
        {"slug": "ho-tich", "name": "Hộ tịch", "procedure_count": 2},
    ]


def test_openapi_schema_describes_the_catalog(client, db):
    response = client.get(f"{API}/openapi.json")
    schema = response.json()
    assert response.status_code == 200
    paths = schema["paths"]
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/fields"} <= set(paths)
    described = paths["/api/v1/procedures"]["get"]
    assert "unknown_filter" in described["description"]
    assert {"200", "400", "422"} <= set(described["responses"])


def test_api_docs_page_loads(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


@pytest.mark.parametrize("page_size", [5, 45])
def test_search_query_count_does_not_grow_with_the_page_size(
    client, many_procedures, page_size, django_assert_max_num_queries
):
    client.get(f"{API}/procedures")  # builds the search index
    # The catalog check, the unknown-filter check, then procedures, fields and agencies.
    with django_assert_max_num_queries(5):
        body = client.get(f"{API}/procedures", {"field": "dat-dai", "page_size": page_size}).json()
    assert len(body["items"]) == page_size
