"""E-forms: the five real specs and the generated one, their Django forms, the coded rules,
and cleaning to JSON for Dossier.form_data."""

import json
from datetime import date

import pytest
from django.http import QueryDict
from django.utils.html import escape

from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
from opendvc.directory.tests.factories import CommuneFactory, ProvinceFactory
from opendvc.dossiers.eforms import (
    FORM_SLUGS,
    build_django_form,
    catalog,
    clean,
    get_form_spec,
    real_specs,
    validate,
)
from opendvc.dossiers.eforms.forms import MEMBER_ROWS
from opendvc.dossiers.eforms.spec import FORMS_DIR, load_real_spec
from opendvc.dossiers.tests.factories import DossierFactory

TODAY = date(2026, 11, 23)
KHAI_SINH, THUONG_TRU, DNTN, NOI_QUY, GPXD = (
    "dang-ky-khai-sinh",
    "dang-ky-thuong-tru",
    "dang-ky-thanh-lap-dntn",
    "dang-ky-noi-quy-lao-dong",
    "cap-gpxd-nha-o-rieng-le",
)


@pytest.fixture
def units(db):
    """Bắc Ninh with one ward, and Hà Nội with one ward (codes as in the 2025 data)."""
    bac_ninh = ProvinceFactory()
    ha_noi = ProvinceFactory(
        code="01",
        name="Thành phố Hà Nội",
        short_name="Hà Nội",
        unit_type="Thành phố",
        key="thanhphohanoi",
    )
    return {
        "province": bac_ninh,
        "commune": CommuneFactory(parent=bac_ninh, short_name="Kinh Bắc"),
        "other_province": ha_noi,
        "other_commune": CommuneFactory(parent=ha_noi, short_name="Ba Đình"),
    }


def _value(field, units):
    """A valid value for any field of the shipped specs."""
    if field.pattern:
        return "0" * int(field.pattern.split("{")[1].rstrip("}"))
    if field.options_ref == "tinh":
        return units["province"].code
    if field.options_ref == "phuongXa":
        return units["commune"].code
    values = {
        "date": "2000-01-15",
        "number": "12",
        "email": "nguoi.dan@example.vn",
        "tel": "0912 345 678",
        "checkbox": True,
        "textarea": "Số 1 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh",
    }
    if field.options:
        return field.options[0]
    return values.get(field.type, "Nguyễn Văn An")


def valid_data(spec, units) -> dict:
    data = {f.name: _value(f, units) for f in spec.fields() if f.type != "member-table"}
    if spec.slug == DNTN:  # the amount in words must say the amount in figures
        data.update(von_dau_tu_bang_so="1.000.000.000", von_dau_tu_bang_chu="Một tỷ đồng")
    if spec.slug == NOI_QUY:  # at least 10 workers, registered within 10 days
        data.update(tong_so_lao_dong=25, ngay_ban_hanh_noi_quy="2026-11-20")
    return data


def codes(errors) -> list[str]:
    return [e.code for e in errors]


def generated_spec(db):
    return get_form_spec(ProcedureFactory(code="9.900001", name="Cấp phép thử nghiệm"))


# --- specs ------------------------------------------------------------------------------


@pytest.mark.parametrize("code, slug", FORM_SLUGS.items())
def test_each_real_spec_loads_every_field_of_its_file(code, slug):
    raw = json.loads((FORMS_DIR / f"{slug}.form.json").read_text(encoding="utf-8"))
    spec = load_real_spec(slug)
    assert spec.procedure_code == code
    assert spec.title == raw["tenToKhai"]
    assert [f.name for f in spec.fields()] == [
        f["name"] for s in raw["sections"] for f in s["fields"]
    ]
    assert [f.required for f in spec.fields()] == [
        bool(f.get("required")) for s in raw["sections"] for f in s["fields"]
    ]
    json.dumps(spec.as_json())  # publishable as is


def test_option_lists_come_from_options_json():
    spec = load_real_spec(KHAI_SINH)
    options = json.loads((FORMS_DIR / "options.json").read_text(encoding="utf-8"))
    assert spec.field("dan_toc").options == tuple(options["danToc"])
    assert spec.field("de_nghi_cap_ban_sao").options == ("Có", "Không")


@pytest.mark.parametrize("slug", FORM_SLUGS.values())
def test_each_real_spec_builds_a_form_that_renders_its_labels(slug, units):
    spec = load_real_spec(slug)
    html = build_django_form(spec).as_div()
    for field in spec.fields():
        if field.type != "member-table":
            assert f'name="{field.name}"' in html
            assert escape(field.label) in html
    assert 'type="date"' in html


def test_get_form_spec_gives_the_real_form_of_each_mapped_procedure(db):
    for code, slug in FORM_SLUGS.items():
        spec = get_form_spec(ProcedureFactory(code=code))
        assert (spec.slug, spec.is_generated) == (slug, False)


def test_a_procedure_without_a_form_gets_one_generated_from_its_catalog_data(db):
    case = CaseFactory(procedure__code="9.900002", procedure__name="Cấp giấy phép thử nghiệm")
    DocumentFactory(case=case, name="Đơn đề nghị cấp phép")
    DocumentFactory(case=case, name="Bản sao giấy chứng nhận")

    spec = get_form_spec(case.procedure, case)

    assert spec.is_generated and spec.procedure_code == "9.900002"
    assert "Cấp giấy phép thử nghiệm" in spec.title
    assert [f.name for f in spec.fields()] == [
        "ho_ten", "ngay_sinh", "so_dinh_danh_ca_nhan", "dien_thoai", "email",
        "tinh_thanh_pho", "phuong_xa", "dia_chi_chi_tiet", "noi_dung_yeu_cau",
    ]  # fmt: skip
    assert "đính kèm riêng cho từng thành phần" in spec.note
    assert "Đơn đề nghị cấp phép" in spec.note and "Bản sao giấy chứng nhận" in spec.note
    assert json.loads(json.dumps(spec.as_json()))["sections"][0]["fields"][0]["name"] == "ho_ten"


def test_the_commune_list_is_the_chosen_provinces_so_it_works_without_javascript(units):
    spec = generated_spec(units)
    mine, other = units["commune"], units["other_commune"]

    first = build_django_form(spec).as_div()
    posted = build_django_form(spec, {"tinh_thanh_pho": units["province"].code}).as_div()
    prefilled = build_django_form(spec, initial={"tinh_thanh_pho": "Thành phố Hà Nội"}).as_div()

    assert "Chọn tỉnh/thành phố trước" in first and mine.name not in first
    assert f'<option value="{mine.code}">{mine.name}</option>' in posted
    assert other.name not in posted
    assert other.name in prefilled and mine.name not in prefilled


# --- valid data -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", FORM_SLUGS.values())
def test_valid_data_of_each_real_form_passes_and_cleans_to_json(slug, units):
    spec = load_real_spec(slug)

    result = clean(spec, valid_data(spec, units), today=TODAY)

    assert result.errors == []
    assert result.is_valid
    stored = json.loads(json.dumps(result.data))
    assert stored == result.data
    dates = [f.name for f in spec.fields() if f.type == "date"]
    assert all(date.fromisoformat(result.data[name]) for name in dates)


def test_cleaned_values_fit_dossier_form_data(units):
    spec = load_real_spec(DNTN)
    data = clean(spec, valid_data(spec, units), today=TODAY).data

    dossier = DossierFactory(form_data=data)
    dossier.refresh_from_db()

    assert dossier.form_data == data
    assert dossier.form_data["von_dau_tu_bang_so"] == 1_000_000_000
    assert dossier.form_data["ngay_sinh_chu_dntn"] == "2000-01-15"
    assert dossier.form_data["dien_thoai_chu_dntn"] == "0912345678"
    assert dossier.form_data["tru_so_tinh"] == units["province"].code
    assert dossier.form_data["doanh_nghiep_xa_hoi"] is True


def test_decimal_numbers_clean_to_json_numbers(units):
    spec = load_real_spec(GPXD)
    data = valid_data(spec, units) | {"dien_tich": "85.5", "so_tang": "3"}
    result = clean(spec, data, today=TODAY)
    assert (result.data["dien_tich"], result.data["so_tang"]) == (85.5, 3)


def test_a_page_post_binds_and_cleans_like_the_api(units):
    spec = generated_spec(units)
    post = QueryDict(mutable=True)
    post.update(valid_data(spec, units) | {"ngay_sinh": "15/01/2000"})

    form = build_django_form(spec, post, today=TODAY)

    assert form.is_valid(), form.errors
    assert form.json_data()["ngay_sinh"] == "2000-01-15"
    assert form.json_data()["tinh_thanh_pho"] == units["province"].code


def test_a_current_province_may_be_given_by_name(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"tinh_thanh_pho": "Tỉnh Bắc Ninh"}
    assert clean(spec, data, today=TODAY).data["tinh_thanh_pho"] == units["province"].code


# --- coded rules ------------------------------------------------------------------------


def test_missing_required_fields_give_e_required_naming_the_label(units):
    spec = generated_spec(units)
    errors = validate(spec, {}, today=TODAY)
    required = [f.name for f in spec.fields() if f.required]
    assert sorted(e.field for e in errors if e.code == "E_REQUIRED") == sorted(required)
    first = next(e for e in errors if e.field == "ho_ten")
    assert first.message == 'Trường "Họ, chữ đệm và tên" là bắt buộc.'
    assert first.suggestion == "Vui lòng điền Họ, chữ đệm và tên trước khi nộp."
    assert first.is_blocking


@pytest.mark.parametrize("value", ["12345678901", "1234567890123", "12345678901a", "1234 5678 901"])
def test_an_id_number_without_exactly_12_digits_gives_e_dinh_danh_12(value, units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"so_dinh_danh_ca_nhan": value}
    errors = validate(spec, data, today=TODAY)
    assert codes(errors) == ["E_DINH_DANH_12"]
    assert errors[0].message == "Số định danh cá nhân phải gồm đúng 12 chữ số."


def test_a_tax_code_without_10_digits_gives_e_mst_10(units):
    spec = load_real_spec(NOI_QUY)
    data = valid_data(spec, units) | {"ma_so_doanh_nghiep": "010012345"}
    assert codes(validate(spec, data, today=TODAY)) == ["E_MST_10"]


def test_an_industry_code_not_of_4_digits_gives_err_dn_06(units):
    spec = load_real_spec(DNTN)
    data = valid_data(spec, units) | {"nganh_nghe_1_ma": "123"}
    errors = validate(spec, data, today=TODAY)
    assert codes(errors) == ["ERR-DN-06"]
    assert errors[0].field == "nganh_nghe_1_ma"


def test_a_birth_date_in_the_future_gives_e_ngay_tuong_lai(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"ngay_sinh": "2026-11-24"}
    errors = validate(spec, data, today=TODAY)
    assert codes(errors) == ["E_NGAY_TUONG_LAI"]
    assert errors[0].message == '"Ngày, tháng, năm sinh" không được là ngày trong tương lai.'
    assert validate(spec, data | {"ngay_sinh": "2026-11-23"}, today=TODAY) == []


def test_an_old_province_chosen_names_the_province_it_joined(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"tinh_thanh_pho": "Tỉnh Bắc Giang"}

    errors = validate(spec, data, today=TODAY)

    assert codes(errors) == ["E_TINH_SAP_NHAP"]
    assert errors[0].field == "tinh_thanh_pho"
    assert errors[0].message == '"Tỉnh Bắc Giang" không còn là tỉnh/thành phố hiện hành.'
    assert errors[0].suggestion == (
        'Từ 01/7/2025, Tỉnh Bắc Giang đã sáp nhập vào Tỉnh Bắc Ninh. Vui lòng ghi "Tỉnh Bắc Ninh".'
    )


def test_an_old_province_in_an_address_text_is_an_error_and_a_district_a_warning(units):
    spec = load_real_spec(THUONG_TRU)
    text = "Đăng ký thường trú tại thôn 3, huyện Vị Xuyên, tỉnh Hà Giang"
    data = valid_data(spec, units) | {"noi_dung_de_nghi": text}

    errors = validate(spec, data, today=TODAY)

    assert codes(errors) == ["E_TINH_SAP_NHAP", "E_CAP_HUYEN"]
    assert "Tỉnh Tuyên Quang" in errors[0].suggestion and "Hà Giang" in errors[0].message
    assert (errors[1].severity, errors[1].is_blocking) == ("warning", False)


def test_a_district_alone_warns_but_does_not_block(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"dia_chi_chi_tiet": "Số 5 phố Kim Mã, quận Ba Đình"}

    result = clean(spec, data, today=TODAY)
    form = build_django_form(spec, data, today=TODAY)

    assert codes(result.errors) == ["E_CAP_HUYEN"]
    assert result.is_valid and form.is_valid()
    assert result.data["dia_chi_chi_tiet"] == "Số 5 phố Kim Mã, quận Ba Đình"


def test_current_addresses_and_the_word_co_quan_give_no_finding(units):
    spec = generated_spec(units)
    text = "Cơ quan đề nghị xác nhận tại phường Kinh Bắc, tỉnh Bắc Ninh; TP Hồ Chí Minh"
    assert validate(spec, valid_data(spec, units) | {"noi_dung_yeu_cau": text}, today=TODAY) == []


def test_a_commune_of_another_province_is_refused(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"phuong_xa": units["other_commune"].code}
    errors = validate(spec, data, today=TODAY)
    assert codes(errors) == ["E_XA_KHONG_THUOC_TINH"]
    assert errors[0].message == f'"{units["other_commune"].name}" không thuộc Tỉnh Bắc Ninh.'


def test_khai_sinh_needs_the_mother_or_the_father(units):
    spec = load_real_spec(KHAI_SINH)
    data = valid_data(spec, units) | {"ho_ten_me": "", "ho_ten_cha": ""}
    errors = validate(spec, data, today=TODAY)
    assert codes(errors) == ["E_KS_CHA_ME"]
    assert errors[0].message == "Tờ khai phải có thông tin của ít nhất cha hoặc mẹ."
    assert validate(spec, data | {"ho_ten_cha": "Trần Văn Bình"}, today=TODAY) == []


def test_khai_sinh_copies_asked_for_need_a_number(units):
    spec = load_real_spec(KHAI_SINH)
    data = valid_data(spec, units) | {"de_nghi_cap_ban_sao": "Có", "so_luong_ban_sao": ""}
    assert codes(validate(spec, data, today=TODAY)) == ["E_REQUIRED"]
    assert validate(spec, data | {"de_nghi_cap_ban_sao": "Không"}, today=TODAY) == []


def test_dntn_a_capital_part_above_the_total_and_words_that_differ(units):
    spec = load_real_spec(DNTN)
    data = valid_data(spec, units) | {
        "von_dau_tu_bang_so": "2000000000",
        "von_dau_tu_bang_chu": "Một tỷ đồng",
        "gop_von_dong_vn": "3000000000",
    }
    errors = validate(spec, data, today=TODAY)
    assert sorted(codes(errors)) == ["E_GOP_VON_VUOT_TONG", "E_SO_CHU_LECH"]
    words = data | {"von_dau_tu_bang_chu": "Hai tỷ đồng chẵn", "gop_von_dong_vn": "2000000000"}
    assert validate(spec, words, today=TODAY) == []


def test_dntn_words_that_are_not_a_plain_amount_are_not_judged(units):
    spec = load_real_spec(DNTN)
    data = valid_data(spec, units) | {"von_dau_tu_bang_chu": "Xem phụ lục đính kèm"}
    assert validate(spec, data, today=TODAY) == []


def test_noi_quy_few_workers_is_information_and_late_registration_a_warning(units):
    spec = load_real_spec(NOI_QUY)
    data = valid_data(spec, units) | {"tong_so_lao_dong": 8, "ngay_ban_hanh_noi_quy": "2026-11-01"}

    result = clean(spec, data, today=TODAY)

    assert [(e.code, e.severity) for e in result.errors] == [
        ("ERR-NQ-01", "info"),
        ("ERR-NQ-08", "warning"),
    ]
    assert "DN của bạn có 8 NLĐ" in result.errors[0].message
    assert "ngày 01/11/2026, hôm nay là ngày 23/11/2026" in result.errors[1].message
    assert result.is_valid


def test_every_code_has_a_message_suggestion_and_known_severity():
    for code, entry in catalog().items():
        assert entry["severity"] in ("error", "warning", "info"), code
        assert entry["message"] and entry["suggestion"], code


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("ngay_sinh", "31/02/2000", "E_NGAY"),
        ("ngay_sinh", "không nhớ", "E_NGAY"),
        ("ngay_sinh", ["2000-01-15"], "E_KIEU"),
        ("ho_ten", {"ho": "Nguyễn"}, "E_KIEU"),
        ("ho_ten", True, "E_KIEU"),
        ("ho_ten", "A" * 101, "E_DO_DAI"),
        ("noi_dung_yeu_cau", "x" * 4001, "E_DO_DAI"),
        ("noi_dung_yeu_cau", "nội dung\x00ẩn", "E_DINH_DANG"),
        ("email", "khong-phai-email", "E_EMAIL"),
        ("dien_thoai", "12345", "E_DIEN_THOAI"),
        ("dien_thoai", "09123456789012345678901", "E_DIEN_THOAI"),
        ("tinh_thanh_pho", "99", "E_LUA_CHON"),
        ("tinh_thanh_pho", "Tỉnh Không Có", "E_LUA_CHON"),
        ("phuong_xa", "<b>1</b>", "E_LUA_CHON"),
    ],
)
def test_bad_input_gives_coded_errors_not_exceptions(field, value, code, units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {field: value}

    errors = validate(spec, data, today=TODAY)

    assert [(e.field, e.code) for e in errors] == [(field, code)]
    assert errors[0].is_blocking
    assert not build_django_form(spec, data, today=TODAY).is_valid()


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("so_tang", "ba", "E_SO"),
        ("so_tang", "3.5", "E_SO"),
        ("so_tang", "-1", "E_SO_KHOANG"),
        ("so_tang", str(10**16), "E_SO_KHOANG"),
        ("dien_tich", "NaN", "E_SO"),
        ("dien_tich", "1e400", "E_SO_KHOANG"),
        ("dien_tich", "12.123456", "E_SO"),
        ("cap_cong_trinh", "Cấp I", "E_LUA_CHON"),
    ],
)
def test_bad_numbers_and_choices_give_coded_errors(field, value, code, units):
    spec = load_real_spec(GPXD)
    errors = validate(spec, valid_data(spec, units) | {field: value}, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [(field, code)]


def test_the_length_limit_is_named_in_the_message(units):
    spec = generated_spec(units)
    errors = validate(spec, valid_data(spec, units) | {"ho_ten": "A" * 101}, today=TODAY)
    assert errors[0].message == '"Họ, chữ đệm và tên" dài quá 100 ký tự.'


def test_html_in_text_fields_is_kept_as_text_and_escaped_when_shown(units):
    spec = generated_spec(units)
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = valid_data(spec, units) | {"noi_dung_yeu_cau": script, "ho_ten": "<b>An</b>"}

    result = clean(spec, data, today=TODAY)
    html = build_django_form(spec, data, today=TODAY).as_div()

    assert result.errors == []
    assert result.data["noi_dung_yeu_cau"] == script
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_unknown_keys_are_ignored_and_not_stored(units):
    spec = generated_spec(units)
    data = valid_data(spec, units) | {"is_staff": True, "__proto__": {"x": 1}}
    result = clean(spec, data, today=TODAY)
    assert result.errors == [] and "is_staff" not in result.data


# --- member table -----------------------------------------------------------------------


def test_household_members_clean_to_a_list_of_rows(units):
    spec = load_real_spec(THUONG_TRU)
    members = [
        {"ho_ten": "Nguyễn Thị Hoa", "ngay_sinh": "2015-05-02", "gioi_tinh": "Nữ",
         "so_dinh_danh_ca_nhan": "001215000001", "moi_quan_he_voi_chu_ho": "Con"},
    ]  # fmt: skip
    result = clean(spec, valid_data(spec, units) | {"thanh_vien": members}, today=TODAY)
    assert result.errors == []
    assert result.data["thanh_vien"] == members


def test_a_bad_member_row_names_the_row_and_too_many_rows_are_refused(units):
    spec = load_real_spec(THUONG_TRU)
    row = {"ho_ten": "Nguyễn Thị Hoa", "so_dinh_danh_ca_nhan": "123"}
    errors = validate(spec, valid_data(spec, units) | {"thanh_vien": [row]}, today=TODAY)
    assert [(e.field, e.code) for e in errors] == [
        ("thanh_vien__0__so_dinh_danh_ca_nhan", "E_DINH_DANH_12")
    ]
    assert "dòng 1" in errors[0].message

    too_many = [row] * (MEMBER_ROWS + 1)
    errors = validate(spec, valid_data(spec, units) | {"thanh_vien": too_many}, today=TODAY)
    assert codes(errors) == ["E_SO_DONG"]
    assert codes(validate(spec, valid_data(spec, units) | {"thanh_vien": "x"}, today=TODAY)) == [
        "E_KIEU"
    ]
    assert not build_django_form(spec, valid_data(spec, units) | {"thanh_vien": "x"}).is_valid()


def test_real_specs_lists_the_five_forms():
    assert sorted(s.procedure_code for s in real_specs()) == sorted(FORM_SLUGS)


def test_sections_give_a_page_every_field_in_the_specs_order(units):
    spec = load_real_spec(THUONG_TRU)
    form = build_django_form(spec)

    sections = list(form.sections())

    assert [s.legend for s, _ in sections] == [s.legend for s in spec.sections]
    table = next(fields for s, fields in sections if s.fields[0].type == "member-table")
    assert len(table) == MEMBER_ROWS * len(spec.field("thanh_vien").columns)
    assert table[0].name == "thanh_vien__0__ho_ten"
    assert table[0].label == "Danh sách thành viên, dòng 1: Họ, chữ đệm và tên"


def test_a_page_form_keeps_warnings_apart_from_blocking_errors(units):
    spec = load_real_spec(NOI_QUY)
    form = build_django_form(spec, valid_data(spec, units) | {"tong_so_lao_dong": 8}, today=TODAY)

    assert form.is_valid()
    assert [(f.code, f.is_blocking) for f in form.findings] == [("ERR-NQ-01", False)]


@pytest.mark.parametrize("body", [[], ["ho_ten"], "ho_ten=An", 42])
def test_a_body_that_is_no_object_is_refused_not_accepted(body, units):
    result = clean(generated_spec(units), body, today=TODAY)
    assert not result.is_valid
    assert result.errors[0].code == "E_KIEU" and result.errors[0].field == ""
    assert result.data == {}


def test_no_body_is_an_empty_form_with_every_required_field_missing(units):
    spec = generated_spec(units)
    result = clean(spec, None, today=TODAY)
    assert codes(result.errors) == ["E_REQUIRED"] * len([f for f in spec.fields() if f.required])
