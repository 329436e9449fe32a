import pytest

from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db
AGENCIES = "/api/v1/agencies"
UNITS = "/api/v1/admin-units"


def test_agencies_are_listed_with_the_demo_province_first(client, settings):
    settings.DEMO_PROVINCE_CODE = "24"
    AgencyFactory(name="Bộ Tư pháp", code="BTP", kind=Agency.Kind.MINISTRY)
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", code="T24-STP",
                           admin_unit=ProvinceFactory())  # fmt: skip

    body = client.get(AGENCIES).json()

    assert body["total"] == 2
    assert (body["page"], body["page_size"]) == (1, 20)
    assert body["items"][0] == {
        "code": "T24-STP",
        "name": "Sở Tư pháp tỉnh Bắc Ninh",
        "slug": agency.slug,
        "kind": "DEPARTMENT",
        "level": "TINH",
        "admin_unit": "24",
        "url": f"/co-quan/{agency.slug}/",
    }
    assert body["items"][1]["admin_unit"] is None


def test_agencies_filters_and_paging(client):
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province)
    AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", admin_unit=province)
    AgencyFactory(name="Công an phường", kind=Agency.Kind.POLICE, level=Agency.Level.COMMUNE,
                  admin_unit=commune)  # fmt: skip
    AgencyFactory(name="Bộ Tư pháp", kind=Agency.Kind.MINISTRY, level=Agency.Level.MINISTRY)

    def names(**params):
        return [item["name"] for item in client.get(AGENCIES, params).json()["items"]]

    assert names(q="tu phap") == ["Sở Tư pháp tỉnh Bắc Ninh", "Bộ Tư pháp"]
    assert names(kind="POLICE") == ["Công an phường"]
    assert names(level="BO") == ["Bộ Tư pháp"]
    assert names(unit=commune.code) == ["Công an phường"]
    assert names(unit="24") == ["Sở Tư pháp tỉnh Bắc Ninh", "Công an phường"]
    second = client.get(AGENCIES, {"page": 2, "page_size": 2}).json()
    assert (second["total"], len(second["items"])) == (3, 1)
    assert client.get(AGENCIES, {"page": 50}).json() == {
        "items": [],
        "total": 3,
        "page": 50,
        "page_size": 20,
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": 0}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "9" * 30}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"q": "x" * 201}, "q"),
        ({"kind": "NOPE"}, "kind"),
        ({"level": "<script>"}, "level"),
        ({"unit": "1" * 11}, "unit"),
    ],
)
def test_bad_agency_input_answers_422_with_the_error_body(client, params, field):
    response = client.get(AGENCIES, params)

    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid_input"
    assert [d["field"] for d in body["error"]["details"]] == [field]


def test_an_unknown_unit_filter_answers_400(client):
    response = client.get(AGENCIES, {"unit": "99"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_filter"


def test_odd_text_never_breaks_the_agency_search(client):
    AgencyFactory(name="Sở Tư pháp")
    for q in ["<script>", "' OR 1=1 --", "😀", "\x00\x1f", "%", " "]:
        response = client.get(AGENCIES, {"q": q})
        assert response.status_code == 200, q


def test_admin_units_give_the_provinces_then_the_communes_of_one(client, admin_units):
    provinces = client.get(UNITS, {"page_size": 100}).json()
    communes = client.get(UNITS, {"parent": "24", "page_size": 100}).json()

    assert provinces["total"] == 34
    assert {"code": "24", "name": "Tỉnh Bắc Ninh", "short_name": "Bắc Ninh",
            "unit_type": "Tỉnh", "level": "PROVINCE", "parent": None,
            "url": "/dia-ban/24/"} in provinces["items"]  # fmt: skip
    assert communes["total"] == 99
    assert len(communes["items"]) == 99
    kinh_bac = next(item for item in communes["items"] if item["code"] == "09187")
    assert kinh_bac == {
        "code": "09187",
        "name": "Phường Kinh Bắc",
        "short_name": "Kinh Bắc",
        "unit_type": "Phường",
        "level": "COMMUNE",
        "parent": "24",
        "url": "/dia-ban/09187/",
    }


def test_admin_units_paging(client, admin_units):
    body = client.get(UNITS, {"parent": "01", "page": 2, "page_size": 10}).json()

    assert body["total"] == 126
    assert (body["page"], body["page_size"], len(body["items"])) == (2, 10, 10)


def test_an_unknown_parent_answers_404_with_the_error_body(client):
    response = client.get(UNITS, {"parent": "99"})

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Không tìm thấy.", "details": []}
    }


@pytest.mark.parametrize("params", [{"page": -1}, {"page_size": 1000}, {"parent": "x" * 50}])
def test_bad_admin_unit_input_answers_422(client, params):
    response = client.get(UNITS, params)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_api_query_counts_are_constant(client, admin_units, django_assert_max_num_queries):
    for n in range(30):
        AgencyFactory(name=f"Cơ quan {n}")
    with django_assert_max_num_queries(3):
        client.get(AGENCIES, {"q": "co quan", "page_size": 100})
    with django_assert_max_num_queries(3):
        client.get(UNITS, {"parent": "24", "page_size": 100})


def test_the_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    parameters = [p["name"] for p in paths["/api/v1/agencies"]["get"]["parameters"]]
    assert parameters == ["page", "page_size", "q", "kind", "level", "unit"]
    assert "/api/v1/admin-units" in paths
