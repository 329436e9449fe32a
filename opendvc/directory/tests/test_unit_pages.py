import pytest
from django.urls import reverse

from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    DeskFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("directory:unit_list")


def unit_url(code: str) -> str:
    return reverse("directory:unit", args=[code])


def test_the_34_provinces_are_listed_with_their_commune_counts(client, admin_units):
    response = client.get(LIST)

    provinces = response.context["provinces"]
    assert response.status_code == 200
    assert len(provinces) == 34
    bac_ninh = next(p for p in provinces if p.code == "24")
    assert bac_ninh.commune_count == 99
    assert 'href="/dia-ban/24/"' in response.content.decode()
    # Sorted by name without the prefix, diacritics folded: An Giang first.
    assert provinces[0].short_name == "An Giang"


def test_commune_search_by_name(client, admin_units):
    response = client.get(LIST, {"q": "kinh bac"})

    assert [(u.name, u.parent.name) for u in response.context["matches"]] == [
        ("Phường Kinh Bắc", "Tỉnh Bắc Ninh")
    ]
    assert 'href="/dia-ban/09187/"' in response.content.decode()


def test_commune_names_starting_with_the_query_come_first(client, admin_units):
    response = client.get(LIST, {"q": "kinh"})

    names = [u.name for u in response.context["matches"]]
    assert names[:2] == ["Phường Kinh Bắc", "Phường Kinh Môn"]
    assert "Phường Đông Kinh" in names


def test_a_too_long_commune_search_is_refused_with_a_message(client):
    response = client.get(LIST, {"q": "x" * 201})

    assert response.status_code == 400
    assert "Từ khóa quá dài" in response.content.decode()


def test_unit_list_query_count_is_constant(client, admin_units, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(LIST, {"q": "an"})


def test_province_page_groups_communes_by_first_letter(client, admin_units):
    response = client.get(unit_url("24"))

    page = response.content.decode()
    groups = dict(response.context["groups"])
    assert response.status_code == 200
    assert response.context["commune_count"] == 99
    assert [u.name for u in groups["K"]] == ["Xã Kép", "Xã Kiên Lao", "Phường Kinh Bắc"]
    letters = [letter for letter, _ in response.context["groups"]]
    assert letters.index("D") + 1 == letters.index("Đ")
    assert [u.name for u in groups["Đ"]][:2] == ["Phường Đa Mai", "Xã Đại Đồng"]
    assert "Xã An Lạc" in [u.name for u in groups["A"]]
    assert 'href="/dia-ban/09187/"' in page
    assert "99 (trong đó" in page


def test_province_page_lists_its_agencies_and_desks(client):
    province = ProvinceFactory()
    CommuneFactory(parent=province, short_name="Kinh Bắc")
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", admin_unit=province)
    AgencyFactory(name="Ủy ban nhân dân tỉnh Bắc Ninh", admin_unit=province,
                  kind=Agency.Kind.PROVINCE_PC)  # fmt: skip
    DeskFactory(agency=agency, admin_unit=province, name="Bộ phận Một cửa tỉnh")

    response = client.get(unit_url("24"))

    page = response.content.decode()
    assert [a.name for a in response.context["agencies"]] == [
        "Ủy ban nhân dân tỉnh Bắc Ninh",
        "Sở Tư pháp tỉnh Bắc Ninh",
    ]
    assert "Bộ phận Một cửa tỉnh" in page
    assert "Phường Kinh Bắc" in page


def test_commune_page_shows_parent_type_area_agencies_and_desks(client):
    commune = CommuneFactory(code="09187", short_name="Kinh Bắc", area_km2=7.25)
    agency = AgencyFactory(name="Ủy ban nhân dân phường Kinh Bắc", admin_unit=commune)
    DeskFactory(agency=agency, admin_unit=commune, name="Bộ phận Một cửa phường Kinh Bắc")

    response = client.get(unit_url("09187"))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ["Phường Kinh Bắc", "Tỉnh Bắc Ninh", 'href="/dia-ban/24/"', "Phường", "7,25 km²",
                 agency.name, "Bộ phận Một cửa phường Kinh Bắc"]:  # fmt: skip
        assert text in page


def test_unit_pages_query_counts(client, admin_units, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(unit_url("24"))
    with django_assert_max_num_queries(3):
        client.get(unit_url("09187"))


def test_unknown_unit_is_404(client, admin_units):
    assert client.get(unit_url("99")).status_code == 404
    assert client.get(unit_url("<x>")).status_code == 404
