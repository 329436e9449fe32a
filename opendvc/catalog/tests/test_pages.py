"""The citizen catalog pages, through the Django test client."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opendvc.catalog.models import Procedure
from opendvc.catalog.tests.factories import (
    CaseFactory,
    ChannelFactory,
    DocumentFactory,
    FeeFactory,
    FieldFactory,
    LifeEventFactory,
    ProcedureFactory,
)
from opendvc.directory.tests.factories import AgencyFactory

LIST = "/thu-tuc/"


def add_procedure(code, name, *, agencies=(), level="TINH", online="", **extra):
    """A procedure at one level; the factory's defaults (province, partly online) made explicit."""
    procedure = ProcedureFactory(
        code=code,
        name=name,
        is_province_level=level == "TINH",
        is_commune_level=level == "XA",
        online_level=online,
        **extra,
    )
    procedure.implementing_agencies.set(agencies)
    return procedure


@pytest.fixture(autouse=True)
def search_sees_every_change(settings):
    # The index rechecks the catalog every few seconds; each test changes it at once.
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 0


@pytest.fixture
def sample_catalog(db):
    """Three real procedures, one abolished and one internal, in two fields."""
    civil = FieldFactory(name="Hộ tịch", slug="ho-tich")
    traffic = FieldFactory(name="Đường bộ", slug="duong-bo")
    justice = AgencyFactory(code="G-STP", name="Sở Tư pháp", slug="so-tu-phap")
    commune = AgencyFactory(code="G-UBX", name="Ủy ban nhân dân cấp xã", slug="ubnd-cap-xa")
    ministry = AgencyFactory(code="G-BTP", name="Bộ Tư pháp", slug="bo-tu-phap")
    birth = add_procedure(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        fields=[civil],
        agencies=[commune],
        publishing_agency=ministry,
        level="XA",
        online=Procedure.OnlineLevel.FULL,
        popularity=900,
        target_groups=["Công dân Việt Nam"],
        steps=[{"name": "Bước 1", "description": "Nộp hồ sơ tại Bộ phận Một cửa."}],
        legal_basis=[{"code": "60/2014/QH13", "name": "Luật Hộ tịch"}],
        results=[{"code": "KQ1", "name": "Giấy khai sinh"}],
        requirements="Không có.",
    )
    case = CaseFactory(procedure=birth, name="Đăng ký khai sinh đúng hạn", processing_amount=None)
    DocumentFactory(
        case=case,
        name="Tờ khai đăng ký khai sinh",
        original_qty=1,
        forms=[{"name": "Mẫu tờ khai", "url": "https://example.vn/to-khai.docx"}],
    )
    DocumentFactory(
        case=case, name="Giấy chứng sinh", original_qty=0, copy_qty=1, is_required=False, forms=[]
    )
    ChannelFactory(
        procedure=birth,
        channel="DIRECT",
        processing_amount=Decimal("12"),
        processing_unit="WORKING_DAY",
        description="Nộp tại Trung tâm phục vụ hành chính công.",
    )
    ChannelFactory(
        procedure=birth, channel="ONLINE", processing_amount=Decimal("7.5"), processing_unit="OTHER"
    )
    FeeFactory(procedure=birth, kind="CHARGE", amount=50000, description="")
    FeeFactory(procedure=birth, kind="FEE", amount=0, description="Miễn phí cho hộ nghèo")
    add_procedure(
        "1.000080",
        "Thủ tục đăng ký nhận cha, mẹ, con có yếu tố nước ngoài",
        fields=[civil],
        agencies=[justice],
        publishing_agency=ministry,
        popularity=50,
        receiving_address="Trung tâm phục vụ hành chính công tỉnh",
    )
    add_procedure(
        "1.002804",
        "Cấp đổi giấy phép lái xe",
        fields=[traffic],
        online=Procedure.OnlineLevel.PARTIAL,
        popularity=500,
    )
    add_procedure("1.009999", "Thủ tục khai sinh đã bãi bỏ", fields=[civil], state="ABOLISHED")
    add_procedure("2.000001", "Thủ tục khai sinh nội bộ", fields=[civil], kind="STANDARD_INTERNAL")
    event = LifeEventFactory(name="Khai sinh cho con", slug="khai-sinh-cho-con")
    event.procedures.add(birth)
    return {"civil": civil, "traffic": traffic, "birth": birth, "event": event}


def codes_in(response) -> list[str]:
    return [procedure.code for procedure in response.context["procedures"]]


# Home


def test_home_shows_search_popular_fields_and_events(
    client, sample_catalog, django_assert_max_num_queries
):
    # Popular procedures and their fields, field counts, life events.
    with django_assert_max_num_queries(4):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html
    popular = [procedure.code for procedure in response.context["popular"]]
    assert popular == ["1.001193", "1.002804", "1.000080"]
    fields = {field.slug: field.count for field in response.context["fields"]}
    assert fields == {"ho-tich": 2, "duong-bo": 1}  # abolished and internal are not counted
    assert 'href="/su-kien/khai-sinh-cho-con/"' in html
    assert "Nộp hồ sơ" in html and "Nhận kết quả" in html


def test_home_shows_the_most_used_fields_and_links_to_all(client, db):
    for number in range(26):
        field = FieldFactory(name=f"Lĩnh vực {number:02d}", slug=f"lv-{number:02d}")
        for copy in range(number % 3 + 1):
            add_procedure(f"7.{number:03d}{copy:03d}", f"Thủ tục {number} {copy}", fields=[field])
    response = client.get("/")
    shown = [field.count for field in response.context["fields"]]
    assert len(shown) == 24 and shown == sorted(shown, reverse=True)
    assert 'href="/linh-vuc/"' in response.content.decode()


# Search through the list page


@pytest.mark.parametrize("q", ["khai sinh", "KHAI SINH", "khai sinh "])
def test_search_with_diacritics_finds_the_procedure(client, sample_catalog, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert codes_in(response) == ["1.001193"]


def test_search_without_diacritics_finds_the_same_procedure(client, sample_catalog):
    response = client.get(LIST, {"q": "dang ky khai sinh"})
    assert codes_in(response)[0] == "1.001193"
    assert "1.001193" in response.content.decode()


def test_empty_search_lists_public_procedures_by_popularity(client, sample_catalog):
    response = client.get(LIST)
    assert codes_in(response) == ["1.001193", "1.002804", "1.000080"]
    assert "3 thủ tục" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "duong-bo"}, ["1.002804"]),
        ({"agency": "so-tu-phap"}, ["1.000080"]),
        ({"publisher": "bo-tu-phap"}, ["1.001193", "1.000080"]),
        ({"level": "TINH"}, ["1.002804", "1.000080"]),
        ({"online": "TOAN_TRINH"}, ["1.001193"]),
        ({"online": "ANY"}, ["1.001193", "1.002804"]),
        ({"field": "ho-tich", "level": "XA"}, ["1.001193"]),
    ],
)
def test_filters_narrow_the_results(client, sample_catalog, params, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert codes_in(response) == expected


def test_result_shows_code_fields_level_and_online_badge(client, sample_catalog):
    html = client.get(LIST, {"q": "khai sinh"}).content.decode()
    assert "1.001193" in html and "Hộ tịch" in html and "Cấp xã" in html
    assert "Toàn trình" in html


def test_unknown_filter_value_says_so_and_shows_no_results(client, sample_catalog):
    response = client.get(LIST, {"field": "khong-co", "level": "Z"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không có lĩnh vực “khong-co”." in html
    assert "Không có cấp thực hiện “Z”." in html
    assert "procedures" not in response.context


def test_nothing_found_offers_suggestions(client, sample_catalog):
    response = client.get(LIST, {"q": "khaii sinnh"})
    html = response.content.decode()
    assert response.context["found"].total == 0
    assert "Không tìm thấy thủ tục nào." in html
    assert "Có phải bạn muốn tìm:" in html
    assert 'href="/thu-tuc/?q=khai%20sinh"' in html


# Paging


@pytest.fixture
def many_procedures(db):
    field = FieldFactory(name="Đất đai", slug="dat-dai")
    for number in range(45):
        add_procedure(
            f"9.{number:06d}",
            f"Thủ tục đất đai số {number}",
            fields=[field],
            popularity=1000 - number,
        )
    return field


def test_paging_links_mark_the_current_page(client, many_procedures):
    response = client.get(LIST, {"page": 2})
    html = response.content.decode()
    assert codes_in(response)[0] == "9.000020"
    assert len(codes_in(response)) == 20
    assert 'href="?page=2" aria-current="page"' in html
    assert 'href="?page=3"' in html and 'href="?page=1"' in html


def test_paging_keeps_the_query_and_filters(client, many_procedures):
    html = client.get(LIST, {"q": "dat dai", "field": "dat-dai"}).content.decode()
    assert 'href="?q=dat+dai&amp;field=dat-dai&amp;page=2"' in html


def test_page_past_the_end_says_so(client, many_procedures):
    response = client.get(LIST, {"page": 50})
    assert response.status_code == 200
    assert "Trang này không có kết quả." in response.content.decode()


@pytest.mark.parametrize("extra", [0, 25])
def test_list_query_count_does_not_grow_with_the_page(
    client, db, extra, django_assert_max_num_queries
):
    field = FieldFactory(name="Thuế", slug="thue")
    for number in range(5 + extra):
        add_procedure(f"8.{number:06d}", f"Thủ tục thuế {number}", fields=[field])
    client.get(LIST, {"q": "thue"})  # builds the search index
    # 3 filter choice lists, the search's catalog check and 2 to load the page.
    with django_assert_max_num_queries(6):
        response = client.get(LIST, {"q": "thue"})
    assert len(codes_in(response)) == min(20, 5 + extra)


# Bad input


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "Số trang phải là một số nguyên dương."),
        ({"page": "-1"}, "Số trang phải là một số nguyên dương."),
        ({"page": "0"}, "Số trang phải là một số nguyên dương."),
        ({"page": "99999999999"}, "Số trang quá lớn."),
        ({"q": "a" * 5000}, "Từ khóa quá dài: tối đa 200 ký tự (bạn đã nhập 5000)."),
        ({"q": "khai\x00sinh"}, "Từ khóa có ký tự không hợp lệ."),
    ],
)
def test_malformed_input_answers_400_with_a_message(client, sample_catalog, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", "' OR 1=1; DROP TABLE catalog_procedure; --", "😀\x01"]
)
def test_html_and_sql_in_q_are_harmless_and_escaped(client, sample_catalog, q):
    response = client.get(LIST, {"q": q})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in html
    assert Procedure.objects.count() == 5


def test_q_is_echoed_escaped(client, sample_catalog):
    html = client.get(LIST, {"q": '<b>"khai"</b>'}).content.decode()
    assert "&lt;b&gt;&quot;khai&quot;&lt;/b&gt;" in html
    assert '<b>"khai"</b>' not in html


# Fields and life events


def test_fields_page_lists_every_field_with_counts(client, sample_catalog):
    html = client.get("/linh-vuc/").content.decode()
    assert 'href="/linh-vuc/ho-tich/"' in html and 'href="/linh-vuc/duong-bo/"' in html
    assert "2 thủ tục" in html


def test_field_page_lists_its_procedures(client, sample_catalog):
    response = client.get("/linh-vuc/ho-tich/")
    assert response.status_code == 200
    assert codes_in(response) == ["1.001193", "1.000080"]
    assert "Thủ tục lĩnh vực Hộ tịch" in response.content.decode()


def test_field_page_searches_within_the_field(client, sample_catalog):
    inside = client.get("/linh-vuc/duong-bo/", {"q": "giay phep lai xe"})
    outside = client.get("/linh-vuc/ho-tich/", {"q": "giay phep lai xe"})
    assert codes_in(inside) == ["1.002804"]
    assert "1.002804" not in codes_in(outside)


def test_life_event_page_lists_its_procedures(client, sample_catalog):
    response = client.get("/su-kien/khai-sinh-cho-con/")
    assert response.status_code == 200
    assert [p.code for p in response.context["page"]] == ["1.001193"]


@pytest.mark.parametrize("url", ["/linh-vuc/khong-co/", "/su-kien/khong-co/", "/thu-tuc/0.000000/"])
def test_unknown_pages_answer_the_friendly_404(client, sample_catalog, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'name="q"' in html


# Procedure page


def test_procedure_page_shows_the_full_record(
    client, sample_catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/thu-tuc/1.001193/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Thủ tục đăng ký khai sinh",
        "Thủ tục chuẩn quốc gia",
        "Bộ Tư pháp",
        "Ủy ban nhân dân cấp xã",
        "Cấp xã",
        "Công dân Việt Nam",
        "Nộp hồ sơ tại Bộ phận Một cửa.",
        "12 ngày làm việc",
        "7,5 – xem mô tả",  # a number without a unit is not given one
        "Đăng ký khai sinh đúng hạn",
        "Tờ khai đăng ký khai sinh",
        "Bản chính: 1 – Bản sao: 0",
        "Không bắt buộc",
        'href="https://example.vn/to-khai.docx"',
        "50.000 đ",
        "Xem mô tả: Miễn phí cho hộ nghèo",
        "Luật Hộ tịch",
        "Giấy khai sinh",
    ]:
        assert text in html, text


def test_online_procedure_offers_to_file_after_signing_in(client, sample_catalog):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert 'href="/thu-tuc/1.001193/nop-ho-so/"' in html
    assert "Nộp hồ sơ trực tuyến" in html
    # A visitor who is not signed in is asked to, and comes back to the filing page.
    response = client.get("/thu-tuc/1.001193/nop-ho-so/")
    login = reverse("accounts:login")
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next=/thu-tuc/1.001193/nop-ho-so/"


def test_offline_procedure_says_where_to_file_in_person(client, sample_catalog):
    html = client.get("/thu-tuc/1.000080/").content.decode()
    assert "Thủ tục này chưa cung cấp dịch vụ công trực tuyến" in html
    assert "Trung tâm phục vụ hành chính công tỉnh" in html
    assert "Nộp hồ sơ trực tuyến" not in html


@pytest.mark.parametrize("code", ["1.009999", "2.000001"])
def test_abolished_and_internal_procedures_are_not_published(client, sample_catalog, code):
    assert client.get(f"/thu-tuc/{code}/").status_code == 404


# Language


def test_english_switch_changes_the_page_language(client, sample_catalog):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Public Service Portal" in html
    assert "Tiếng Việt" in html  # the switch back


def test_pages_answer_head_requests(client, sample_catalog):
    assert client.head("/thu-tuc/1.001193/").status_code == 200


def test_vietnamese_is_the_default_language(client, sample_catalog):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html and "Cổng Dịch vụ công" in html


def test_the_error_page_stands_alone_in_vietnamese():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # Django renders it without a request or context
    assert "Hệ thống đang gặp sự cố" in html and 'action="/thu-tuc/"' in html
