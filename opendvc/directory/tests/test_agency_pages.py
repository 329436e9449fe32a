import pytest
from django.apps import apps
from django.urls import reverse

from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import (
    AgencyFactory,
    CommuneFactory,
    DeskFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("directory:agency_list")


def procedure(code: str, popularity: int = 0, **extra):
    Procedure = apps.get_model("catalog", "Procedure")
    return Procedure.objects.create(
        code=code, name=f"Thủ tục {code}", popularity=popularity, **extra
    )


def names(response) -> list[str]:
    return [agency.name for agency in response.context["page"]["objects"]]


def test_the_list_shows_the_demo_province_first(client, settings):
    settings.DEMO_PROVINCE_CODE = "24"
    AgencyFactory(name="Bộ Tư pháp", kind=Agency.Kind.MINISTRY, level=Agency.Level.MINISTRY)
    kinh_bac = CommuneFactory(code="09187", short_name="Kinh Bắc")
    AgencyFactory(name="Ủy ban nhân dân phường Kinh Bắc", admin_unit=kinh_bac)
    AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", admin_unit=ProvinceFactory())

    response = client.get(LIST)

    assert response.status_code == 200
    assert names(response) == [
        "Sở Tư pháp tỉnh Bắc Ninh",
        "Ủy ban nhân dân phường Kinh Bắc",
        "Bộ Tư pháp",
    ]
    assert "3 cơ quan" in response.content.decode()


@pytest.mark.parametrize("q", ["Tư pháp", "tu phap", "TƯ PHÁP", "  tu   phap "])
def test_search_by_name_with_or_without_diacritics(client, q):
    AgencyFactory(name="Sở Tư pháp")
    AgencyFactory(name="Bộ Tư pháp")
    AgencyFactory(name="Sở Y tế")

    response = client.get(LIST, {"q": q})

    assert sorted(names(response)) == ["Bộ Tư pháp", "Sở Tư pháp"]


def test_filters_by_kind_and_level(client):
    AgencyFactory(name="Bộ Tư pháp", kind=Agency.Kind.MINISTRY, level=Agency.Level.MINISTRY)
    AgencyFactory(name="Sở Tư pháp", kind=Agency.Kind.DEPARTMENT, level=Agency.Level.PROVINCE)
    AgencyFactory(name="Công an xã", kind=Agency.Kind.POLICE, level=Agency.Level.COMMUNE)

    assert names(client.get(LIST, {"kind": "MINISTRY"})) == ["Bộ Tư pháp"]
    assert names(client.get(LIST, {"level": "XA"})) == ["Công an xã"]
    assert names(client.get(LIST, {"kind": "POLICE", "level": "TINH"})) == []


def test_inactive_agencies_are_hidden(client):
    AgencyFactory(name="Sở Khoa học", is_active=False)

    assert names(client.get(LIST)) == []


def test_paging(client):
    for n in range(25):
        AgencyFactory(name=f"Cơ quan {n:02d}")

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2, "q": "co quan"})
    beyond = client.get(LIST, {"page": 9})

    assert len(names(first)) == 20
    assert names(second) == [f"Cơ quan {n:02d}" for n in range(20, 25)]
    assert 'href="?q=co+quan&amp;page=1"' in second.content.decode()
    assert beyond.status_code == 200
    assert "Trang này không có kết quả" in beyond.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "0"}, "Số trang phải là một số nguyên dương."),
        ({"page": "abc"}, "Số trang phải là một số nguyên dương."),
        ({"q": "x" * 201}, "Từ khóa quá dài"),
        ({"kind": "NOPE"}, "Không có loại cơ quan “NOPE”."),
        ({"level": "<b>"}, "Không có cấp “&lt;b&gt;”."),
    ],
)
def test_bad_input_is_explained_not_a_crash(client, params, message):
    response = client.get(LIST, params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_odd_search_text_is_harmless(client):
    AgencyFactory(name="Sở Tư pháp")

    for q in ["<script>alert(1)</script>", "'; DROP TABLE x; --", "😀\x1f", "%_"]:
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
    # A NUL byte cannot be typed; Django refuses it with a message rather than storing it.
    assert client.get(LIST, {"q": "a\x00b"}).status_code == 400


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    province = ProvinceFactory()
    for n in range(30):
        AgencyFactory(name=f"Cơ quan {n}", admin_unit=province if n % 2 else None)

    with django_assert_max_num_queries(3):
        client.get(LIST, {"q": "co quan", "kind": "DEPARTMENT"})


def test_agency_page_shows_details_desks_and_procedures_by_popularity(client):
    province = ProvinceFactory()
    ubnd = AgencyFactory(name="Ủy ban nhân dân tỉnh Bắc Ninh", admin_unit=province)
    agency = AgencyFactory(
        name="Sở Tư pháp tỉnh Bắc Ninh",
        admin_unit=province,
        parent=ubnd,
        address="Số 10 Nguyễn Đăng Đạo, tỉnh Bắc Ninh",
        phone="0222 3822 000",
    )
    desk = DeskFactory(name="Bộ phận Một cửa – Trung tâm Phục vụ hành chính công")
    desk.serves.add(agency)
    rare, popular = procedure("1.000001", 1), procedure("1.000002", 50)
    hidden = procedure("1.000003", 99, kind="STANDARD_INTERNAL")
    for p in (rare, popular, hidden):
        p.implementing_agencies.add(agency)

    response = client.get(reverse("directory:agency", args=[agency.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert [p.code for p in response.context["implemented"]["objects"]] == ["1.000002", "1.000001"]
    expected = [agency.name, "Tỉnh Bắc Ninh", "Số 10 Nguyễn Đăng Đạo", "tel:02223822000"]
    for text in [*expected, desk.name, desk.address, "Ủy ban nhân dân tỉnh Bắc Ninh"]:
        assert text in page
    assert "Thủ tục cơ quan thực hiện (2)" in page


def test_a_concrete_agency_lists_the_procedures_of_its_generic_counterparts(client):
    generic = AgencyFactory(name="Ủy ban nhân dân cấp xã")
    concrete = AgencyFactory(name="Ủy ban nhân dân phường Kinh Bắc", admin_unit=CommuneFactory())
    concrete.stands_for.add(generic)
    procedure("1.001193").implementing_agencies.add(generic)

    response = client.get(reverse("directory:agency", args=[concrete.slug]))
    generic_page = client.get(reverse("directory:agency", args=[generic.slug]))

    assert [p.code for p in response.context["implemented"]["objects"]] == ["1.001193"]
    assert "Ủy ban nhân dân phường Kinh Bắc" in generic_page.content.decode()


def test_a_publishing_agency_shows_the_procedures_it_published(client):
    publisher = AgencyFactory(name="UBND tỉnh Bắc Ninh")
    for n in range(22):
        procedure(f"3.{n:06d}", n, publishing_agency=publisher, kind="SPECIFIC")

    first = client.get(reverse("directory:agency", args=[publisher.slug]))
    second = client.get(reverse("directory:agency", args=[publisher.slug]), {"cong_bo": 2})

    assert "Thủ tục do cơ quan công bố (22)" in first.content.decode()
    assert len(first.context["published"]["objects"]) == 20
    assert [p.code for p in second.context["published"]["objects"]] == ["3.000001", "3.000000"]


def test_agency_page_query_count_is_constant(client, django_assert_max_num_queries):
    agency = AgencyFactory(admin_unit=ProvinceFactory())
    for n in range(15):
        procedure(f"2.{n:06d}", n).implementing_agencies.add(agency)
        DeskFactory().serves.add(agency)

    with django_assert_max_num_queries(6):
        client.get(reverse("directory:agency", args=[agency.slug]), {"page": "x"})


def test_unknown_or_inactive_agency_is_404(client):
    hidden = AgencyFactory(is_active=False)

    assert client.get(reverse("directory:agency", args=["khong-co"])).status_code == 404
    assert client.get(reverse("directory:agency", args=[hidden.slug])).status_code == 404


@pytest.mark.parametrize("q", ["kỹ thuật", "kĩ thuật", "ky thuat", "ki thuat"])
def test_search_accepts_both_spellings_of_a_final_y(client, q):
    AgencyFactory(name="Cục Kỹ thuật an toàn và Môi trường công nghiệp")

    assert names(client.get(LIST, {"q": q})) == ["Cục Kỹ thuật an toàn và Môi trường công nghiệp"]
