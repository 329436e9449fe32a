"""Procedure search over a handful of real catalog names (not the full import, to stay fast)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from opendvc.catalog.models import Procedure
from opendvc.catalog.search import SearchFilters, search_procedures
from opendvc.catalog.tests.factories import DocumentFactory, FieldFactory, ProcedureFactory
from opendvc.directory.tests.factories import AgencyFactory

# Real names and codes from the national list (opendvc/data/catalog/dvc_catalog_5670.jsonl.gz).
REAL = {
    "1.001193": "Thủ tục đăng ký khai sinh",
    "1.003583": "Thủ tục đăng ký khai sinh lưu động",
    "1.000689": "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
    "2.000635": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
    "1.000894": "Thủ tục đăng ký kết hôn",
    "1.004873": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
    "1.004222": "Đăng ký thường trú",
    "1.004194": "Đăng ký tạm trú",
    "1.003197": "Xóa đăng ký thường trú",
    "3.000346": "Cấp giấy phép lái xe",
    "3.000347": "Đổi giấy phép lái xe",
    "1.005210": "Cấp lại Giấy phép đào tạo lái xe ô tô khi bị mất, bị hỏng, có sự thay đổi về "
    "tên của cơ sở đào tạo",
    "3.000333": "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú "
    "tại Việt Nam, người Việt Nam đang cư trú ở nước ngoài",
    "1.001612": "Đăng ký thành lập hộ kinh doanh",
    "1.014748": "Hưởng trợ cấp thất nghiệp (Cấp tỉnh)",
}
# A province's own version of a national procedure; its code sorts first, so only the
# preference for the national version can put that one on top.
SPECIFIC_TWIN = "1.000002"


@pytest.fixture(autouse=True)
def _check_catalog_on_every_search(settings):
    # Each test builds its own catalog; the index must notice at once, not after seconds.
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 0


@pytest.fixture
def catalog(db):
    hotich = FieldFactory(name="Hộ tịch", slug="ho-tich")
    cutru = FieldFactory(name="Đăng ký, quản lý cư trú", slug="cu-tru")
    made = {code: ProcedureFactory(code=code, name=name) for code, name in REAL.items()}
    for code in ("1.001193", "1.003583", "1.000689", "2.000635", "1.000894", "1.004873"):
        made[code].fields.set([hotich])
    for code in ("1.004222", "1.004194", "1.003197"):
        made[code].fields.set([cutru])
    return made


def codes(page) -> list[str]:
    by_pk = dict(Procedure.objects.filter(pk__in=page.ids).values_list("pk", "code"))
    return [by_pk[pk] for pk in page.ids]


def first(q: str) -> str:
    return codes(search_procedures(q))[0]


def test_query_without_diacritics_finds_the_procedure_first(catalog):
    assert first("dang ky khai sinh") == "1.001193"
    assert first("Đăng ký khai sinh") == "1.001193"


@pytest.mark.parametrize(
    ("everyday", "code"),
    [
        ("nhập hộ khẩu", "1.004222"),  # → đăng ký thường trú
        ("nhap ho khau", "1.004222"),
        ("bằng lái", "3.000346"),  # → giấy phép lái xe
        ("đổi bằng lái xe", "3.000347"),
        ("giấy độc thân", "1.004873"),  # → xác nhận tình trạng hôn nhân
        ("làm giấy khai sinh cho con", "1.001193"),
        ("cưới", "1.000894"),
    ],
)
def test_everyday_words_find_the_administrative_procedure(catalog, everyday, code):
    assert first(everyday) == code


def test_question_words_do_not_get_in_the_way(catalog):
    assert first("Đăng ký kết hôn cần giấy tờ gì?") == "1.000894"


def test_code_finds_its_procedure_first(catalog):
    page = search_procedures("1.001193")
    assert codes(page)[0] == "1.001193"
    assert codes(search_procedures("mã 3.000347"))[0] == "3.000347"


def test_required_documents_are_searched(catalog):
    DocumentFactory(case__procedure=catalog["1.014748"], name="Sổ bảo hiểm xã hội")
    assert first("bảo hiểm xã hội") == "1.014748"


def test_agency_names_are_searched(catalog):
    police = AgencyFactory(name="Phòng Cảnh sát giao thông")
    catalog["1.004194"].implementing_agencies.set([police])
    assert first("cảnh sát giao thông") == "1.004194"


def test_national_version_outranks_a_province_variant(catalog):
    lang_son = AgencyFactory(name="UBND tỉnh Lạng Sơn", slug="ubnd-lang-son")
    ProcedureFactory(
        code=SPECIFIC_TWIN,
        name="Đăng ký thường trú",
        kind=Procedure.Kind.SPECIFIC,
        publishing_agency=lang_son,
    )
    assert codes(search_procedures("đăng ký thường trú"))[:2] == ["1.004222", SPECIFIC_TWIN]
    # Once the user picked the province, its own version is what they look for.
    only_lang_son = SearchFilters(publisher="ubnd-lang-son")
    assert codes(search_procedures("đăng ký thường trú", only_lang_son)) == [SPECIFIC_TWIN]


def test_popularity_breaks_ties_and_orders_an_empty_query(catalog):
    Procedure.objects.filter(code="1.004194").update(popularity=50)
    Procedure.objects.filter(code="3.000346").update(popularity=90)
    page = search_procedures("")
    assert codes(page)[:2] == ["3.000346", "1.004194"]
    assert codes(page)[2:] == sorted(codes(page)[2:])  # then by code
    assert page.total == len(REAL)


def test_only_public_procedures_are_found(catalog):
    ProcedureFactory(code="6.000001", name="Đăng ký khai sinh nội bộ", kind="STANDARD_INTERNAL")
    ProcedureFactory(code="1.000001", name="Đăng ký khai sinh cũ", state="ABOLISHED")
    found = codes(search_procedures("khai sinh", page_size=100))
    assert "6.000001" not in found and "1.000001" not in found
    assert "1.001193" in found


def test_field_filter(catalog):
    page = search_procedures("đăng ký", SearchFilters(field="cu-tru"), page_size=100)
    assert sorted(codes(page)) == ["1.003197", "1.004194", "1.004222"]
    assert search_procedures("", SearchFilters(field="ho-tich")).total == 6


def test_agency_filter(catalog):
    police = AgencyFactory(name="Công an cấp xã", slug="cong-an-cap-xa")
    for code in ("1.004222", "1.004194"):
        catalog[code].implementing_agencies.set([police])
    page = search_procedures("đăng ký", SearchFilters(agency="cong-an-cap-xa"))
    assert sorted(codes(page)) == ["1.004194", "1.004222"]


def test_level_and_online_filters(catalog):
    Procedure.objects.filter(code="3.000346").update(
        is_province_level=False, is_ministry_level=True, online_level="TOAN_TRINH"
    )
    Procedure.objects.filter(code="1.004222").update(online_level="")
    assert codes(search_procedures("", SearchFilters(level="BO"))) == ["3.000346"]
    assert codes(search_procedures("lái xe", SearchFilters(online="TOAN_TRINH"))) == ["3.000346"]
    assert search_procedures("", SearchFilters(online="MOT_PHAN")).total == len(REAL) - 2
    assert search_procedures("", SearchFilters(online="ANY")).total == len(REAL) - 1
    assert search_procedures("", SearchFilters(level="TINH", online="TOAN_TRINH")).total == 0


def test_unknown_filter_values_match_nothing(catalog):
    assert search_procedures("", SearchFilters(field="khong-co")).total == 0
    assert search_procedures("", SearchFilters(publisher="khong-co")).total == 0
    assert search_procedures("", SearchFilters(level="HUYEN")).total == 0


def test_paging_and_totals(catalog):
    everything = codes(search_procedures("", page_size=100))
    pages = [codes(search_procedures("", page=n, page_size=4)) for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [4, 4, 4, 3]
    assert sum(pages, []) == everything
    beyond = search_procedures("", page=9, page_size=4)
    assert beyond.ids == [] and beyond.total == len(REAL)
    assert (beyond.page, beyond.page_size) == (9, 4)


def test_query_total_counts_every_match_across_pages(catalog):
    page = search_procedures("khai sinh", page_size=2)
    assert page.total == 4  # three registrations and the copy of the birth certificate
    assert len(page.ids) == 2


def test_misspelt_query_gets_suggestions(catalog):
    page = search_procedures("khia snh")
    assert page.total == 0 and page.ids == []
    assert page.suggestions[0] == "khai sinh"
    assert "Thủ tục đăng ký khai sinh" in page.suggestions


def test_no_suggestions_when_something_was_found(catalog):
    assert search_procedures("khai sinh").suggestions == []


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "'; DROP TABLE catalog_procedure; --",
        "😀🎉🇻🇳",
        "\x00\x01\x1b[31m\u200b\ufeff",
        "%_%\\",
        "a" * 200,
        "ẫẫẫ ỹỹỹ " * 20,
        "1.",
        "0.000000",
    ],
)
def test_bad_text_never_raises(catalog, text):
    page = search_procedures(text)
    assert page.total >= 0 and isinstance(page.suggestions, list)
    assert Procedure.objects.count() == len(REAL)


def test_text_without_words_finds_nothing(catalog):
    page = search_procedures("!!! ???")
    assert (page.total, page.suggestions) == (0, [])


def test_index_rebuilds_after_a_catalog_change(catalog):
    assert search_procedures("căn cước").total == 0
    ProcedureFactory(code="1.014061", name="Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên")
    assert codes(search_procedures("căn cước")) == ["1.014061"]
    Procedure.objects.filter(code="1.014061").update(state=Procedure.State.ABOLISHED)
    Procedure.objects.get(code="1.001193").save()  # any save moves imported_at
    assert search_procedures("căn cước").total == 0


def test_index_is_checked_at_most_every_few_seconds(catalog, settings):
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 3600
    search_procedures("khai sinh")  # builds or reuses the index
    ProcedureFactory(code="1.014061", name="Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên")
    assert search_procedures("căn cước").total == 0  # not checked yet
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 0
    assert search_procedures("căn cước").total == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_searches_build_the_index_once(monkeypatch, settings):
    from opendvc.catalog import search

    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 60
    for code, name in REAL.items():
        ProcedureFactory(code=code, name=name)
    builds = []

    def slow_build(signature):
        builds.append(signature)
        time.sleep(0.2)  # long enough for every thread to arrive while it builds
        return real_build(signature)

    real_build = search.build_index
    monkeypatch.setattr(search, "build_index", slow_build)
    monkeypatch.setattr(search, "_holder", search._Holder())

    def one_search(_):
        try:
            return search_procedures("khai sinh").total
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        totals = list(pool.map(one_search, range(8)))
    assert totals == [4] * 8
    assert len(builds) == 1


def test_an_empty_catalog_finds_nothing_without_failing(db):
    assert search_procedures("").total == 0
    page = search_procedures("đăng ký khai sinh")
    assert (page.ids, page.total, page.suggestions) == ([], 0, [])


def test_a_procedure_with_every_word_beats_one_repeating_the_common_ones(catalog):
    for code, name in (
        (
            "1.000312",
            "Cấp Giấy phép kinh doanh vận chuyển hàng không, Giấy phép kinh doanh hàng không chung",
        ),
        ("1.004682", "Cấp Giấy phép kinh doanh cảng hàng không"),
        ("1.001029", "Thủ tục cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"),
    ):
        ProcedureFactory(code=code, name=name)
    assert first("giấy phép kinh doanh karaoke") == "1.001029"


def test_a_concrete_agency_finds_the_procedures_of_the_generic_one_it_stands_for(catalog):
    generic = AgencyFactory(name="Ủy ban nhân dân cấp xã", slug="ubnd-cap-xa")
    catalog["1.001193"].implementing_agencies.set([generic])
    ward = AgencyFactory(name="Ủy ban nhân dân phường Kinh Bắc", slug="ubnd-phuong-kinh-bac")
    ward.stands_for.set([generic])
    linked_by_generic = AgencyFactory(name="UBND xã Tam Đa", slug="ubnd-xa-tam-da", generic=generic)
    unrelated = AgencyFactory(name="Sở Xây dựng tỉnh Bắc Ninh", slug="so-xay-dung-bac-ninh")
    for agency, expected in (
        (ward, ["1.001193"]),
        (linked_by_generic, ["1.001193"]),
        (unrelated, []),
    ):
        assert codes(search_procedures("", SearchFilters(agency=agency.slug))) == expected


def test_a_page_carries_its_result_lines_without_another_query(catalog, django_assert_num_queries):
    hotich = catalog["1.001193"].fields.get()
    catalog["1.001193"].is_ministry_level = False
    catalog["1.001193"].is_province_level = False
    catalog["1.001193"].is_commune_level = True
    catalog["1.001193"].online_level = "MOT_PHAN"
    catalog["1.001193"].save()
    search_procedures("khai sinh")  # build the index
    with django_assert_num_queries(1):  # the catalog signature check, nothing else
        page = search_procedures("dang ky khai sinh", page_size=2)
    first = page.items[0]
    assert [item.pk for item in page.items] == page.ids
    assert (first.code, first.name, first.fields) == ("1.001193", REAL["1.001193"], (hotich.name,))
    assert (first.levels, first.online_level, first.url) == (
        ("XA",),
        "MOT_PHAN",
        "/thu-tuc/1.001193/",
    )
