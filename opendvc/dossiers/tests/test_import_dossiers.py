"""`opendvc import_dossiers`: a legacy system's past dossiers loaded for the 766 indicators."""

import gzip
import hashlib
import json
import shutil
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from opendvc.audit.actions import verify_chain
from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import CaseFactory, ProcedureFactory
from opendvc.dossiers.importing import loading
from opendvc.dossiers.management.commands.import_dossiers import Command
from opendvc.dossiers.models import (
    Apology,
    Dossier,
    DossierCounter,
    Status,
    StatusChange,
    SupplementRequest,
)
from opendvc.dossiers.tests.factories import DossierFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
SAMPLE = Path(__file__).parent / "data" / "dossiers_sample.jsonl"
SAMPLE_CODES = [json.loads(line)["code"] for line in SAMPLE.read_text().splitlines()]

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(agency, other_agency):
    """The two real procedures the sample file files, with the agencies it names."""
    birth = CaseFactory(
        procedure=ProcedureFactory(code="1.001193", name="Đăng ký khai sinh"),
        name="Đăng ký khai sinh",
        processing_amount=3,
    )
    residence = CaseFactory(
        procedure=ProcedureFactory(code="1.004222", name="Đăng ký thường trú"),
        name="Trường hợp chung",
        processing_amount=7,
    )
    return {"1.001193": birth, "1.004222": residence}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_dossiers", *map(str, args), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2025-{text}+07:00")


def good_line(code: str, **changes) -> dict:
    """A simple decided online dossier; `changes` replace its fields (None removes one)."""
    line = {
        "code": code,
        "procedure_code": "1.001193",
        "agency_code": "T24-STP",
        "channel": "ONLINE",
        "applicant_type": "CITIZEN",
        "submitted_at": "2025-03-03T08:00:00+07:00",
        "received_at": "2025-03-03T08:00:00+07:00",
        "due_at": "2025-03-06T17:00:00+07:00",
        "status": 9,
        "history": [
            {"at": "2025-03-03T08:00:00+07:00", "status": 2},
            {"at": "2025-03-04T08:00:00+07:00", "status": 4},
            {"at": "2025-03-05T08:00:00+07:00", "status": 9},
        ],
    }
    line.update(changes)
    return {key: value for key, value in line.items() if value is not None}


def write_lines(path: Path, *lines) -> Path:
    texts = [
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    ]
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    return path


def test_sample_file_imports_every_channel_with_its_history_and_supplements(catalog, frozen):
    out, err = run(SAMPLE)

    assert err == ""
    assert "Đọc 8 dòng: đã nhập 8, đã có 0, bị loại 0" in out
    assert set(Dossier.objects.values_list("code", flat=True)) == set(SAMPLE_CODES)
    assert set(Dossier.objects.values_list("channel", flat=True)) == {1, 2, 3}
    assert not Dossier.objects.filter(imported_at__isnull=True).exists()

    online = Dossier.objects.get(code="BN-STP-250303-0001")
    assert online.procedure.code == "1.001193"
    assert online.case == catalog["1.001193"]
    assert online.agency.code == "T24-STP"
    assert (online.channel, online.status, online.applicant_type) == (2, 10, "CITIZEN")
    assert (online.applicant_name, online.applicant_phone) == ("Nguyễn Thị Lan", "0912345678")
    assert online.submitted_at == at("03-03T08:15:00") == online.created_at
    assert online.due_at == at("03-06T17:00:00") == online.original_due_at
    assert (online.finished_at, online.returned_at) == (at("03-05T15:00:00"), at("03-06T10:00:00"))
    assert online.is_paid_online and online.is_eid_verified and online.has_electronic_result
    assert online.result_url.endswith("BN-STP-250303-0001.pdf")
    assert online.imported_at == NOW
    assert [(c.name, c.is_digitised, c.is_from_vault) for c in online.components.all()] == [
        ("Tờ khai đăng ký khai sinh", True, False),
        ("Giấy chứng sinh", True, True),
    ]
    history = list(online.history.order_by("at", "pk"))
    assert [(h.from_status, h.to_status, h.action) for h in history] == [
        (0, 1, "submit"), (1, 2, "accept"), (2, 4, "forward"), (4, 9, "finish"),
        (9, 10, "return_result"),
    ]  # fmt: skip
    assert {h.actor_id for h in history} == {None}
    assert history[-1].note == "Trả qua bưu điện"

    counter = Dossier.objects.get(code="BN-SXD-250310-0002")
    assert (counter.channel, counter.status, counter.procedure.code) == (1, 9, "1.004222")
    assert list(counter.history.values_list("action", flat=True)) == ["accept", "import", "import"]
    assert counter.supplement_count == 0


def test_two_supplements_become_requests_with_their_reasons(catalog, frozen):
    run(SAMPLE)

    postal = Dossier.objects.get(code="BN-STP-250401-0003")
    assert postal.channel == Dossier.Channel.POSTAL
    assert (postal.supplement_count, postal.resubmission_count) == (2, 2)
    first, second = postal.supplements.order_by("requested_at")
    birth_certificate = postal.components.get(name="Giấy chứng sinh")
    assert birth_certificate.is_reused
    assert (first.from_status, first.requested_at, first.answered_at) == (
        Status.PROCESSING, at("04-03T09:00:00"), at("04-07T09:00:00"),
    )  # fmt: skip
    assert first.reasons == [
        {"component": birth_certificate.pk, "code": "MISSING", "note": "Chưa nộp bản chính"}
    ]
    # Monday 7 April 2025 was the Hùng Kings' day off: the clock restarts the next morning.
    assert first.resumed_at == at("04-08T07:30:00")
    assert second.reasons == [{"component": None, "code": "ILLEGIBLE", "note": ""}]
    assert first.requested_by is None  # the legacy export does not say who asked
    assert postal.history.filter(to_status=Status.SUPPLEMENT).count() == 2


def test_open_and_abandoned_supplements_keep_the_clock_as_the_actions_would(catalog, frozen):
    run(SAMPLE)

    waiting = Dossier.objects.get(code="BN-SXD-250915-0006")
    request = waiting.supplements.get()
    assert waiting.status == Status.SUPPLEMENT and waiting.case == catalog["1.004222"]
    assert request.answered_at is None and request.from_status == Status.PROCESSING
    assert waiting.paused_at == at("09-17T08:00:00") and waiting.due_at is None
    # Wednesday 17 → Monday 22 September 2025: Thursday, Friday and Monday are left.
    assert request.working_days_left == waiting.working_days_left == 3
    assert request.due_at_before == at("09-22T17:00:00")

    withdrawn = Dossier.objects.get(code="BN-STP-250916-0007")
    closed = withdrawn.supplements.get()
    assert closed.from_status == Status.RECEIVED
    assert closed.answered_at == at("09-18T11:00:00") and closed.resumed_at is None
    assert (withdrawn.supplement_count, withdrawn.resubmission_count) == (1, 0)
    assert withdrawn.closed_at == at("09-18T11:00:00")


def test_apology_sets_the_new_due_moment_and_keeps_the_first(catalog, frozen):
    run(SAMPLE)

    dossier = Dossier.objects.get(code="BN-STP-250505-0004")
    apology = Apology.objects.get(dossier=dossier)
    assert apology.reason.startswith("Cần xác minh")
    assert (apology.issued_at, apology.previous_due_at, apology.new_due_at) == (
        at("05-08T10:00:00"), at("05-08T17:00:00"), at("05-13T17:00:00"),
    )  # fmt: skip
    assert dossier.due_at == at("05-13T17:00:00")
    assert dossier.original_due_at == at("05-08T17:00:00")


def test_personal_data_may_be_left_out(catalog, frozen):
    run(SAMPLE)

    refused = Dossier.objects.get(code="BN-SXD-250602-0005")
    assert refused.applicant_name == "(dữ liệu chuyển đổi)"
    assert (refused.applicant_phone, refused.applicant_email) == ("", "")
    assert refused.status == Status.REFUSED
    assert refused.closed_at == at("06-03T08:00:00")  # taken from the history
    assert refused.history.last().reason_code == "NOT_COMPETENT"


def test_766_late_dossiers_are_the_late_one_and_the_twice_supplemented_one(catalog, frozen):
    run(SAMPLE)

    # 0002 finished two days after its due moment; 0003 was asked twice for supplements; 0004
    # finished after its first due moment but before the one its apology set.
    late = set(Dossier.objects.late_for_766().values_list("code", flat=True))
    assert late == {"BN-SXD-250310-0002", "BN-STP-250401-0003"}


def test_running_the_same_file_twice_changes_nothing(catalog, frozen):
    run(SAMPLE)
    counts = [m.objects.count() for m in (Dossier, StatusChange, SupplementRequest, AuditEntry)]

    out, err = run(SAMPLE)

    assert "đã nhập 0, đã có 8, bị loại 0" in out
    assert err == ""
    assert counts == [
        m.objects.count() for m in (Dossier, StatusChange, SupplementRequest, AuditEntry)
    ]


def test_bad_lines_are_reported_with_their_line_numbers_and_the_good_ones_imported(
    catalog, frozen, tmp_path
):
    history_from_new = [
        {"at": "2025-03-03T08:00:00+07:00", "status": 1},
        {"at": "2025-03-04T08:00:00+07:00", "status": 5},
    ]
    path = write_lines(
        tmp_path / "legacy.jsonl",
        good_line("OK-1"),
        '{"code": "BROKEN", ',
        good_line("NO-PROC", procedure_code=None),
        good_line("UNKNOWN-PROC", procedure_code="9.999999"),
        good_line("UNKNOWN-AGENCY", agency_code="T99-XXX"),
        good_line("NAIVE-TIME", submitted_at="2025-03-03T08:00:00"),
        good_line("LAST-STATUS", status=10),
        good_line(
            "BACKWARDS",
            history=[
                {"at": "2025-03-05T08:00:00+07:00", "status": 2},
                {"at": "2025-03-04T08:00:00+07:00", "status": 9},
            ],
        ),  # fmt: skip
        good_line("OK-1", channel=1),
        good_line(
            "SUPPL-FROM-1",
            status=5,
            history=history_from_new,
            supplements=[{"requested_at": "2025-03-04T08:00:00+07:00"}],
        ),  # fmt: skip
        good_line("BAD-CHANNEL", channel=7),
        "",
        good_line("OK-2", channel="POSTAL", applicant_type="BUSINESS"),
        "[1, 2]",
    )

    out, err = run(path)

    reported = err.splitlines()
    assert reported == [
        "legacy.jsonl:2: JSON không hợp lệ (Expecting property name enclosed in double quotes, "
        "ký tự 19)",
        "legacy.jsonl:3: thiếu trường “procedure_code”",
        "legacy.jsonl:4: không có thủ tục mã “9.999999” trong danh mục",
        "legacy.jsonl:5: không có cơ quan mã “T99-XXX”",
        "legacy.jsonl:6: thời điểm “submitted_at” thiếu múi giờ (ví dụ +07:00): "
        "“2025-03-03T08:00:00”",
        "legacy.jsonl:7: lịch sử không nhất quán: bước cuối có trạng thái 9, "
        "khác trạng thái hồ sơ 10",
        "legacy.jsonl:8: lịch sử không nhất quán: history[2] sớm hơn bước trước",
        "legacy.jsonl:9: mã hồ sơ “OK-1” trùng với dòng 1",
        "legacy.jsonl:10: supplements[1]: trạng thái trước yêu cầu bổ sung là 1 theo lịch sử, "
        "phải là 2 hoặc 4",
        "legacy.jsonl:11: kênh nộp “7” không hợp lệ (1, 2, 3 hoặc COUNTER, ONLINE, POSTAL)",
        "legacy.jsonl:14: dòng không phải một đối tượng JSON",
    ]
    assert "Đọc 13 dòng: đã nhập 2, đã có 0, bị loại 11" in out
    assert set(Dossier.objects.values_list("code", "channel")) == {("OK-1", 2), ("OK-2", 3)}


def test_a_line_whose_procedure_is_unknown_is_rejected_and_writes_nothing(catalog, tmp_path):
    path = write_lines(tmp_path / "one.jsonl", good_line("X-1", procedure_code="1.000000"))

    out, err = run(path)

    assert err == "one.jsonl:1: không có thủ tục mã “1.000000” trong danh mục\n"
    assert "đã nhập 0, đã có 0, bị loại 1" in out
    assert not Dossier.objects.exists()
    assert not AuditEntry.objects.filter(action="dossiers.import").exists()


def test_gzipped_file_is_read_like_a_plain_one(catalog, tmp_path):
    path = tmp_path / "legacy.jsonl.gz"
    with SAMPLE.open("rb") as plain, gzip.open(path, "wb") as packed:
        shutil.copyfileobj(plain, packed)

    out, err = run(path)

    assert "đã nhập 8" in out and err == ""
    assert Dossier.objects.count() == 8
    entry = AuditEntry.objects.get(action="dossiers.import")
    assert entry.payload["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_checks_and_counts_but_writes_nothing(catalog, tmp_path):
    path = write_lines(tmp_path / "legacy.jsonl", *SAMPLE.read_text().splitlines(), "{oops")

    out, err = run(path, "--dry-run")

    assert "sẽ nhập (chạy thử, không ghi gì) 8, đã có 0, bị loại 1" in out
    assert err.startswith("legacy.jsonl:9: JSON không hợp lệ")
    assert not Dossier.objects.exists() and not StatusChange.objects.exists()
    assert not AuditEntry.objects.exists()


def test_one_audit_entry_per_batch(catalog, frozen):
    run(SAMPLE, "--batch-size", "3")

    entries = list(AuditEntry.objects.filter(action="dossiers.import").order_by("id"))
    digest = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert [e.payload for e in entries] == [
        {"file": SAMPLE.name, "sha256": digest, "lines": [1, 3], "codes": 3},
        {"file": SAMPLE.name, "sha256": digest, "lines": [4, 6], "codes": 3},
        {"file": SAMPLE.name, "sha256": digest, "lines": [7, 8], "codes": 2},
    ]
    assert {(e.actor_id, e.actor_label, e.target_type) for e in entries} == {
        (None, "system", "dossiers.dossier")
    }
    assert verify_chain().ok


def test_missing_file_exits_with_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="không tìm thấy tệp"):
        run(tmp_path / "absent.jsonl")


def test_a_file_that_is_not_jsonl_exits_non_zero_and_imports_nothing(
    catalog, tmp_path, capsys, monkeypatch
):
    # run_from_argv (what the `opendvc` program calls) closes the connections when done,
    # which would close the test database under the test.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = tmp_path / "export.jsonl"
    path.write_text("ma_ho_so;thu_tuc\n" + "BN-1;1.001193\n" * 60, encoding="utf-8")

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["opendvc", "import_dossiers", str(path), "--skip-checks"])

    assert exit_.value.code == 1
    assert "tệp không phải JSONL" in capsys.readouterr().err
    assert not Dossier.objects.exists()


def test_a_binary_file_is_a_file_level_error(catalog, tmp_path):
    path = tmp_path / "legacy.jsonl.gz"
    path.write_bytes(b"\x00\x01 not gzip at all")

    with pytest.raises(CommandError, match="tệp .gz hỏng"):
        run(path)


def test_a_code_taken_meanwhile_rejects_that_line_not_the_batch(catalog, tmp_path, monkeypatch):
    DossierFactory(status=Status.RECEIVED, code="TAKEN-1")
    path = write_lines(tmp_path / "legacy.jsonl", good_line("NEW-1"), good_line("TAKEN-1"),
                       good_line("NEW-2"))  # fmt: skip
    # Another process inserts TAKEN-1 between the "already here?" check and the insert.
    monkeypatch.setattr(loading.Loader, "_existing", lambda self, codes: set())

    out, err = run(path)

    assert err == (
        "legacy.jsonl:2: mã hồ sơ đã có trong cơ sở dữ liệu (ghi cùng lúc bởi tiến trình khác)\n"
    )
    assert "đã nhập 2, đã có 0, bị loại 1" in out
    assert set(
        Dossier.objects.filter(imported_at__isnull=False).values_list("code", flat=True)
    ) == {
        "NEW-1",
        "NEW-2",
    }
    assert AuditEntry.objects.get(action="dossiers.import").payload["codes"] == 2


def test_the_examples_of_the_format_document_import(catalog, tmp_path):
    document = (Path(__file__).parents[3] / "docs" / "formats" / "dossiers.md").read_text()
    blocks = [block.split("```")[0] for block in document.split("```json\n")[1:]]
    path = write_lines(tmp_path / "doc.jsonl", *(json.dumps(json.loads(b)) for b in blocks))

    out, err = run(path)

    assert err == "" and "đã nhập 2, đã có 0, bị loại 0" in out
    complete = Dossier.objects.get(code="T24-STP-250310-0042")
    assert complete.case == catalog["1.001193"]
    assert (complete.supplement_count, complete.resubmission_count) == (1, 1)
    assert complete.apology.new_due_at == complete.due_at == at("03-18T17:00:00")
    assert complete.components.filter(is_from_vault=True).count() == 1
    assert complete not in Dossier.objects.late_for_766()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"applicant_type": "ROBOT"}, "loại người nộp “ROBOT” không hợp lệ"),
        ({"email": "not-an-address"}, "địa chỉ thư điện tử không hợp lệ"),
        ({"case": "Trường hợp không có"}, "không có trường hợp “Trường hợp không có”"),
        ({"case": 3}, "thủ tục “1.001193” không có trường hợp “3”"),
        ({"status": True}, "trường “status” phải là số nguyên"),
        ({"finished_at": "2025-03-01T08:00:00+07:00"}, "“finished_at” sớm hơn “submitted_at”"),
        ({"paid_online": "yes"}, "trường “paid_online” phải là true hoặc false"),
        (
            {
                "apology": {
                    "issued_at": "2025-03-04T08:00:00+07:00",
                    "reason": "Chậm",
                    "new_due_at": "2025-03-05T08:00:00+07:00",
                }
            },
            "apology: new_due_at phải sau due_at",
        ),  # fmt: skip
        (
            {
                "supplements": [
                    {
                        "requested_at": "2025-03-04T09:00:00+07:00",
                        "answered_at": "2025-03-04T10:00:00+07:00",
                        "reasons": [{"component": "Bản vẽ", "code": "MISSING"}],
                    }
                ]
            },
            "supplements[1].reasons: thành phần “Bản vẽ” không có trong “components”",
        ),  # fmt: skip
        (
            {
                "supplements": [
                    {"requested_at": "2025-03-04T09:00:00+07:00", "reasons": [{"code": "LOST"}]}
                ]
            },
            "supplements[1].reasons: mã lý do “LOST” không hợp lệ",
        ),  # fmt: skip
        (
            {
                "status": 5,
                "history": [
                    {"at": "2025-03-03T08:00:00+07:00", "status": 2},
                    {"at": "2025-03-04T08:00:00+07:00", "status": 5},
                ],
            },
            "trạng thái 5 (yêu cầu bổ sung) nhưng không có yêu cầu bổ sung đang chờ",
        ),  # fmt: skip
        (
            {"history": [{"at": "2025-03-03 08:00", "status": 9}]},
            "thời điểm “history[1].at” thiếu múi giờ",
        ),
        (
            {
                "status": 10,
                "history": [
                    {"at": "2025-03-03T08:00:00+07:00", "status": 2},
                    {"at": "2025-03-05T08:00:00+07:00", "status": 10},
                ],
            },
            "trạng thái 10 cần “finished_at”",
        ),  # fmt: skip
    ],
)
def test_each_inconsistency_is_named(catalog, tmp_path, changes, reason):
    path = write_lines(tmp_path / "one.jsonl", good_line("BAD-1", **changes))

    out, err = run(path)

    assert err.startswith("one.jsonl:1: ") and reason in err
    assert "bị loại 1" in out
    assert not Dossier.objects.exists()


def test_batch_size_must_be_sensible(db):
    with pytest.raises(CommandError, match="--batch-size phải từ 1 đến 5000"):
        run(SAMPLE, "--batch-size", "0")


def test_codes_in_the_opendvc_pattern_move_the_day_counter_past_them(catalog, agency, tmp_path):
    # Dossiers in flight on the go-live day, coded by the legacy system as OpenDVC codes them.
    DossierCounter.objects.create(agency=agency, day=date(2026, 11, 23), last=9)
    path = write_lines(
        tmp_path / "today.jsonl",
        good_line("T24-STP-261123-0012"),
        good_line("T24-STP-261123-0004"),
        good_line("T24-STP-261122-0003"),
        good_line("T24-STP-261122-0002"),
        good_line("T24-SXD-261122-0050"),  # another agency's pattern: not this one's counter
        good_line("T24-STP-2611-0001"),
    )

    run(path)

    counters = dict(DossierCounter.objects.filter(agency=agency).values_list("day", "last"))
    assert counters == {date(2026, 11, 23): 12, date(2026, 11, 22): 3}
