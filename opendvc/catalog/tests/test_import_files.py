"""The importer on small files written by the tests: merging, updates and bad lines."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opendvc.audit.models import AuditEntry
from opendvc.catalog.models import Fee, Procedure, ProcedureCase, RequiredDocument
from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def listed(code="1.000001", **changes):
    row = {
        "id": f"portal-{code}",
        "code": code,
        "codeNotation": code,
        "name": f"Thủ tục {code}",
        "categories": ["Hộ tịch"],
        "departments": ["Sở  Tư pháp."],
        "departmentPromulgate": "UBND tỉnh Bắc Ninh",
        "formalityTargetType": ["Công dân Việt Nam"],
        "state": "ACTIVE",
        "type": "SPECIFIC",
    }
    return {**row, **changes}


def detailed(code="1.000001", **changes):
    data = {
        "id": f"portal-{code}",
        "code": code,
        "name": f"Thủ tục {code}",
        "isWard": True,
        "isProvince": False,
        "isMinistry": False,
        "isFullProcess": False,
        "executionSteps": [{"name": "Bước 1", "description": "Nộp hồ sơ"}],
        "executionMethods": [
            {
                "submissionMethod": "ONLINE",
                "processingTime": 5,
                "processingTimeUnit": "WORKING_DAY",
                "description": "",
                "fees": [{"type": "SERVICE_FEE", "value": 8000, "description": "Lệ phí"}],
            }
        ],
        "cases": [],
        "executionCases": [
            {
                "name": "* Giấy tờ phải nộp:",
                "profileComponents": [
                    {
                        "name": "Tờ khai",
                        "originalQty": 1,
                        "copyQty": 0,
                        "required": False,
                        "attachments": [{"fileName": "To-khai.docx", "filePath": "a/To-khai.docx"}],
                    }
                ],
            }
        ],
        "legalBasisesDetails": [{"code": "123/2015/QH13", "name": "Luật Hộ tịch"}],
        "resultsDetails": [{"code": "KQ.1", "name": "Giấy xác nhận"}],
        "requirementsAndConditions": "",
        "updatedAt": 1776242191512,
    }
    return {"code": "OK", "data": {**data, **changes}}


PAGE_METHODS = (
    "Hình thức nộpThời gianPhí, lệ phíMô tả"
    "Trực tiếp15 Ngày làm việcLệ phí : 50.000 Đồng(Lệ phí cấp giấy)Nộp tại Bộ phận Một cửa"
    "Trực tuyến15 Ngày làm việcMiễn phí"
)


def page(code="1.000001", **changes):
    row = {
        "ma_thu_tuc": code,
        "ten_thu_tuc": f"Thủ tục {code} (trang)",
        "cap_thuc_hien": "Cấp tỉnh, Cấp xã",
        "linh_vuc": "Hộ tịch",
        "co_quan_thuc_hien": "Sở Tư pháp",
        "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ.Bước 2: Nhận kết quả.",
        "cach_thuc_thuc_hien": PAGE_METHODS,
        "thanh_phan_ho_so": (
            "Giấy tờ phải nộpTên giấy tờMẫu đơn, tờ khaiSố lượng"
            "Đơn đề nghị theo mẫu;Mau01.docx1 bản chính"
            "Bản sao giấy tờ tùy thân0 bản chính,1 bản sao"
        ),
        "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13",
        "yeu_cau_dieu_kien": "Người yêu cầu từ đủ 18 tuổi",
        "ket_qua_xu_ly": "Giấy chứng nhậnMã: KQ.G15.000001Từ khóaKhông có thông tin",
        "doi_tuong_thuc_hien": "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "so_quyet_dinh": "1/QĐ-BTP",
    }
    return {**row, **changes}


def write(path, rows):
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*paths):
    out, err = StringIO(), StringIO()
    call_command("import_catalog", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_details_win_and_page_texts_fill_only_what_is_missing(tmp_path):
    files = [
        write(tmp_path / "list.jsonl", [listed()]),
        write(tmp_path / "details.jsonl.gz", [detailed()]),
        write(tmp_path / "pages.jsonl", [page()]),
    ]

    out, err = run(*files)

    assert out.startswith(
        "Read 3 lines (1 procedures): created 1, updated 0, unchanged 0, skipped 0"
    )
    procedure = Procedure.objects.get(code="1.000001")
    assert procedure.name == "Thủ tục 1.000001"  # the page's name does not overwrite
    assert procedure.sources == ["list", "details", "page_text"]
    assert procedure.levels == ["XA"]  # the details' level wins
    assert procedure.steps == [{"name": "Bước 1", "description": "Nộp hồ sơ"}]
    assert procedure.requirements == "Người yêu cầu từ đủ 18 tuổi"  # filled from the page
    assert procedure.online_level == Procedure.OnlineLevel.PARTIAL
    assert list(procedure.fees.values_list("channel", "amount")) == [("ONLINE", 8000)]
    [case] = procedure.cases.all()
    assert case.name == "Trường hợp chung"
    assert (case.processing_amount, case.processing_unit) == (5, "WORKING_DAY")
    [document] = case.documents.all()
    assert (document.group, document.name, document.is_required) == (
        "Giấy tờ phải nộp",
        "Tờ khai",
        True,
    )
    assert document.forms == [{"name": "To-khai.docx", "url": "", "path": "a/To-khai.docx"}]


def test_page_text_tables_are_read_by_their_headers_and_units(tmp_path):
    write(tmp_path / "list.jsonl", [listed(type="STANDARD", departmentPromulgate="Bộ Tư pháp")])
    write(tmp_path / "pages.jsonl", [page()])

    run(tmp_path / "list.jsonl", tmp_path / "pages.jsonl")

    procedure = Procedure.objects.get(code="1.000001")
    assert procedure.levels == ["TINH", "XA"]
    assert procedure.online_level == Procedure.OnlineLevel.PARTIAL
    channels = procedure.channels.values_list(
        "channel", "processing_amount", "processing_unit", "description"
    )
    assert list(channels) == [
        ("DIRECT", 15, "WORKING_DAY", "Nộp tại Bộ phận Một cửa"),
        ("ONLINE", 15, "WORKING_DAY", ""),
    ]
    fees = procedure.fees.values_list("channel", "kind", "amount", "description")
    assert list(fees) == [
        ("DIRECT", Fee.Kind.CHARGE, 50000, "Lệ phí cấp giấy"),
        ("ONLINE", Fee.Kind.OTHER, 0, "Miễn phí"),
    ]
    documents = RequiredDocument.objects.filter(case__procedure=procedure)
    assert list(documents.values_list("name", "original_qty", "copy_qty", "forms")) == [
        ("Đơn đề nghị theo mẫu;", 1, 0, [{"name": "Mau01.docx", "url": ""}]),
        ("Bản sao giấy tờ tùy thân", 0, 1, []),
    ]
    assert procedure.legal_basis == [{"name": "Luật 54/2014/QH13", "code": "54/2014/QH13"}]
    assert procedure.results == [{"code": "KQ.G15.000001", "name": "Giấy chứng nhận"}]
    assert procedure.steps == [
        {"name": "Bước 1", "description": "Nộp hồ sơ."},
        {"name": "Bước 2", "description": "Nhận kết quả."},
    ]
    assert procedure.target_groups == ["Công dân Việt Nam"]  # the list's, not the page's


def test_an_unparsable_table_is_kept_as_text(tmp_path):
    text = "Người nộp mang theo giấy tờ tùy thân"
    write(tmp_path / "pages.jsonl", [page(thanh_phan_ho_so=text, can_cu_phap_ly="Luật Cư trú")])

    run(tmp_path / "pages.jsonl")

    procedure = Procedure.objects.get(code="1.000001")
    assert procedure.sources == ["page_text"]
    document = RequiredDocument.objects.get(case__procedure=procedure)
    assert (document.name, document.original_qty, document.forms) == (text, 0, [])
    assert procedure.legal_basis == [{"code": "", "name": "Luật Cư trú"}]
    assert procedure.target_groups == [
        "Công dân Việt Nam",
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    ]


def test_a_changed_record_is_updated_and_its_children_replaced(tmp_path):
    rows = [listed("1.000001"), listed("1.000002")]
    write(tmp_path / "list.jsonl", rows)
    write(tmp_path / "details.jsonl", [detailed("1.000001")])
    run(tmp_path / "list.jsonl", tmp_path / "details.jsonl")
    old_case = ProcedureCase.objects.get(procedure__code="1.000001")
    untouched = Procedure.objects.get(code="1.000002").imported_at

    changed = detailed("1.000001", name="Thủ tục đã sửa")
    changed["data"]["executionMethods"][0]["fees"][0]["value"] = 10000
    write(tmp_path / "details.jsonl", [changed])
    out, _ = run(tmp_path / "list.jsonl", tmp_path / "details.jsonl")

    assert "created 0, updated 1, unchanged 1, skipped 0" in out
    procedure = Procedure.objects.get(code="1.000001")
    assert procedure.name == "Thủ tục đã sửa"
    assert list(procedure.fees.values_list("amount", flat=True)) == [10000]
    assert not ProcedureCase.objects.filter(pk=old_case.pk).exists()
    assert procedure.cases.count() == 1
    assert Procedure.objects.get(code="1.000002").imported_at == untouched
    assert AuditEntry.objects.filter(action="catalog.catalog_imported").count() == 2


def test_malformed_lines_are_reported_with_file_and_line_and_skipped(tmp_path):
    bad_types = detailed("1.000003")
    bad_types["data"]["executionMethods"] = {"submissionMethod": "ONLINE"}  # a dict, not a list
    path = write(
        tmp_path / "mixed.jsonl",
        [
            listed("1.000001"),
            '{"code": "1.000002", "name": ',
            listed(code=""),
            bad_types,
            {"code": "OK", "data": ["not", "a", "record"]},
            listed("1.000004"),
        ],
    )

    out, err = run(path)

    assert err.splitlines() == [
        "mixed.jsonl:2: malformed JSON",
        "mixed.jsonl:3: missing code",
        "mixed.jsonl:4: wrong types",
        "mixed.jsonl:5: wrong types",
    ]
    assert out.startswith(
        "Read 6 lines (2 procedures): created 2, updated 0, unchanged 0, skipped 4 "
        "(malformed JSON: 1, missing code: 1, wrong types: 2)"
    )
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["1.000001", "1.000004"]
    entry = AuditEntry.objects.get(action="catalog.catalog_imported")
    assert entry.payload["skipped"] == 4
    assert entry.payload["skipped_reasons"] == {
        "malformed JSON": 1,
        "missing code": 1,
        "wrong types": 2,
    }


def test_a_missing_file_stops_the_command(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(tmp_path / "nothing.jsonl")
    assert not AuditEntry.objects.exists()


def test_agencies_are_found_by_their_normalised_name(tmp_path):
    existing = AgencyFactory(code="T24-STP", name="Sở Tư pháp", slug="t24-stp")
    rows = [
        listed("1.000001", departments=["Sở  Tư pháp."]),
        listed(
            "1.000002", departments=["Sở\xa0Tư pháp"], departmentPromulgate="UBND tỉnh Bắc Ninh"
        ),
    ]
    write(tmp_path / "list.jsonl", rows)

    out, _ = run(tmp_path / "list.jsonl")

    assert "agencies 1," in out  # only the province's people's committee is new
    for code in ("1.000001", "1.000002"):
        assert list(Procedure.objects.get(code=code).implementing_agencies.all()) == [existing]
    committee = Agency.objects.get(name="UBND tỉnh Bắc Ninh")
    assert (committee.kind, committee.level) == (Agency.Kind.PROVINCE_PC, Agency.Level.PROVINCE)
    assert committee.code.startswith("DVC-ubnd-tinh-bac-ninh-")
    assert Procedure.objects.get(code="1.000001").levels == ["TINH"]


def test_quiet_runs_print_nothing(tmp_path):
    write(tmp_path / "list.jsonl", [listed()])
    out = StringIO()

    call_command("import_catalog", str(tmp_path / "list.jsonl"), verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Procedure.objects.count() == 1


def test_a_level_no_source_gives_is_taken_from_the_implementing_agencies(tmp_path):
    rows = [
        listed(
            "1.000010",
            type="STANDARD",
            departmentPromulgate="Bộ Tư pháp",
            departments=["Sở Tư pháp"],
        ),
        listed(
            "1.000011",
            type="STANDARD",
            departmentPromulgate="Bộ Tư pháp",
            departments=["Ủy ban nhân dân xã, phường, thị trấn", "Bộ Tư pháp"],
        ),
        listed(
            "1.000012",
            type="STANDARD",
            departmentPromulgate="Bộ Tư pháp",
            departments=["Cơ quan khác"],
        ),
    ]
    run(write(tmp_path / "list.jsonl", rows))
    levels = {p.code: p.levels for p in Procedure.objects.all()}
    assert levels == {"1.000010": ["TINH"], "1.000011": ["BO", "XA"], "1.000012": []}
