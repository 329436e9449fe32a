"""The slips of Circular 01/2018/TT-VPCP as PDF, through the citizen's and the staff's pages:
each one exists exactly when the dossier has reached it, and says what the form asks for."""

import io
import re
import unicodedata
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from opendvc.dossiers import actions
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(hours=1)
KINDS = ["bien-nhan", "tiep-nhan", "tu-choi", "xin-loi", "bo-sung-1"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# Reading the text back: reportlab writes each line as `/Font size Tf (bytes) Tj` with a
# subset font whose ToUnicode map turns the bytes back into characters.

_TOKEN = re.compile(
    rb"(/[^\s/\[\]()<>]+)\s+[-\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|(\bT\*|\bET\b|\bT[dm]\b)", re.S
)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, raw)


def _cmap(font) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].data
    pairs = b"".join(re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S))
    return {
        int(code, 16): bytes.fromhex(uni.decode()).decode("utf-16-be")
        for code, uni in re.findall(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", pairs)
    }


def _pages(node):
    if node["/Type"] == "/Pages":
        for kid in node["/Kids"]:
            yield from _pages(kid.get_object())
    else:
        yield node


def pdf_text(data: bytes) -> str:
    """All the text drawn on the PDF's pages, whitespace collapsed, NFC."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = []
    for page in _pages(reader.root["/Pages"]):
        fonts = {name: _cmap(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()}
        contents = page["/Contents"]
        streams = contents if isinstance(contents, list) else [contents]
        cmap: dict[int, str] = {}
        for stream in streams:
            for font, string, line_break in _TOKEN.findall(stream.get_object().data):
                if font:
                    cmap = fonts.get(font.decode(), {})
                elif line_break:
                    out.append(" ")
                else:
                    out.append("".join(cmap.get(b, chr(b)) for b in _unescape(string)))
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))


def slip_url(dossier, kind: str, *, staff: bool = False) -> str:
    name = "dossiers:staff_slip" if staff else "dossiers:slip"
    return reverse(name, kwargs={"code": dossier.code, "kind": kind})


def _get_pdf(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    return pdf_text(response.content)


def _new_dossier(agency, citizen, **kwargs):
    dossier = DossierFactory(
        status=Status.NEW,
        agency=agency,
        applicant=citizen,
        applicant_phone="0912345678",
        case__procedure__name="Đăng ký khai sinh",
        **kwargs,
    )
    DossierComponentFactory(dossier=dossier, name="Tờ khai đăng ký khai sinh")
    DossierComponentFactory(dossier=dossier, name="Giấy chứng sinh")
    return dossier


def _accepted(agency, citizen, desk_officer):
    dossier = _new_dossier(agency, citizen)
    return actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)


def test_receipt_of_an_online_submission_tells_how_to_track_without_the_secret(
    client, citizen, agency, settings
):
    # Given an online dossier just submitted
    settings.SITE_URL = "https://dichvucong.example.vn"
    dossier = _new_dossier(agency, citizen)
    client.force_login(citizen)

    # When the applicant downloads the receipt
    response = client.get(slip_url(dossier, "bien-nhan"))
    text = pdf_text(response.content)

    # Then it is the receipt, with the heading, the agency, code, procedure, applicant, time,
    # components and the tracking address — and a file name made of the code
    assert response["Content-Disposition"] == f'inline; filename="{dossier.code}-bien-nhan.pdf"'
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP TỈNH BẮC NINH",
        "GIẤY BIÊN NHẬN HỒ SƠ",
        dossier.code,
        "Đăng ký khai sinh",
        "Nguyễn Văn An",
        "23/11/2026 09:00",
        "1. Tờ khai đăng ký khai sinh",
        "2. Giấy chứng sinh",
        "https://dichvucong.example.vn/tra-cuu-ho-so/",
        "mã bí mật được hiển thị khi nộp hồ sơ",
    ]:
        assert expected in text, expected


def test_counter_dossier_has_no_online_receipt(client, desk_officer, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency)  # no account: the counter
    client.force_login(desk_officer)

    assert client.get(slip_url(dossier, "bien-nhan", staff=True)).status_code == 404


def test_reception_slip_gives_the_appointment_and_the_desk_officer(
    client, citizen, agency, desk_officer
):
    # Given a dossier the desk received on Monday (5 working days)
    dossier = _accepted(agency, citizen, desk_officer)
    client.force_login(citizen)

    # When the applicant downloads the Mẫu 01 slip
    text = _get_pdf(client, slip_url(dossier, "tiep-nhan"))

    # Then it shows the reception, the due moment in local time and who received it
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu số 01" in text
    assert "Thời gian tiếp nhận 23/11/2026 09:00" in text
    due = dossier.due_at.astimezone(MONDAY.tzinfo).strftime("%d/%m/%Y %H:%M")
    assert f"Hẹn trả kết quả {due}" in text
    assert "Cán bộ tiếp nhận Lê Văn Cường" in text
    assert "Giấy chứng sinh" in text


def test_supplement_slip_lists_each_coded_reason_per_request(client, citizen, agency, desk_officer):
    # Given a received dossier asked for a supplement naming one document
    dossier = _accepted(agency, citizen, desk_officer)
    component = dossier.components.get(name="Giấy chứng sinh")
    actions.request_supplement(
        dossier=dossier,
        by=desk_officer,
        reasons=[{"component": component.pk, "code": "ILLEGIBLE", "note": "Ảnh bị mờ"}],
        now=NOW + timedelta(minutes=5),
    )
    client.force_login(citizen)

    # When the applicant downloads the first request's Mẫu 02
    text = _get_pdf(client, slip_url(dossier, "bo-sung-1"))

    # Then the component, the coded reason's label and the note are there; no second request
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Mẫu số 02 – lần 1" in text
    assert "1. Giấy chứng sinh: Bản chụp, bản quét không đọc được. Ảnh bị mờ" in text
    assert "Lê Văn Cường" in text
    assert client.get(slip_url(dossier, "bo-sung-2")).status_code == 404
    assert client.get(slip_url(dossier, "bo-sung-x")).status_code == 404


def test_refusal_slip_gives_the_coded_reason_and_the_note(client, citizen, agency, desk_officer):
    # Given a dossier the desk refused
    dossier = _new_dossier(agency, citizen)
    actions.refuse_dossier(
        dossier=dossier,
        by=desk_officer,
        reason_code="NOT_COMPETENT",
        note="Nộp tại UBND xã nơi cư trú",
        now=NOW,
    )
    client.force_login(citizen)

    # When the applicant downloads the Mẫu 03 slip
    text = _get_pdf(client, slip_url(dossier, "tu-choi"))

    # Then
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 03" in text
    assert "Lý do Không thuộc thẩm quyền giải quyết" in text
    assert "Giải thích Nộp tại UBND xã nơi cư trú" in text
    assert client.get(slip_url(dossier, "tiep-nhan")).status_code == 404


def test_apology_slip_gives_the_old_and_the_new_appointment(
    client, citizen, agency, desk_officer, leader
):
    # Given a received dossier whose leader apologised and set a new due moment
    dossier = _accepted(agency, citizen, desk_officer)
    old_due = dossier.due_at
    new_due = old_due + timedelta(days=3)
    actions.issue_apology(
        dossier=dossier, by=leader, reason="Cần xác minh thêm", new_due_at=new_due, now=NOW
    )
    client.force_login(citizen)

    # When the applicant downloads the Mẫu 04 slip
    text = _get_pdf(client, slip_url(dossier, "xin-loi"))

    # Then
    local = MONDAY.tzinfo
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert f"Thời hạn trả kết quả đã hẹn {old_due.astimezone(local):%d/%m/%Y %H:%M}" in text
    assert f"Hẹn lại ngày trả kết quả {new_due.astimezone(local):%d/%m/%Y %H:%M}" in text
    assert "Lý do chậm trễ Cần xác minh thêm" in text
    assert "Hoàng Văn Em" in text


@pytest.mark.parametrize(
    ("status", "available"),
    [
        (Status.NEW, {"bien-nhan"}),
        (Status.RECEIVED, {"bien-nhan", "tiep-nhan"}),
        (Status.PROCESSING, {"bien-nhan", "tiep-nhan"}),
        (Status.SUPPLEMENT, {"bien-nhan", "tiep-nhan", "bo-sung-1"}),
        (Status.FINISHED, {"bien-nhan", "tiep-nhan"}),
        (Status.WITHDRAWN, {"bien-nhan"}),
    ],
)
def test_only_the_slips_a_dossier_has_reached_are_served(
    client, citizen, agency, status, available
):
    # Given a dossier in `status` (WITHDRAWN from 1: never received)
    dossier = DossierFactory(status=status, agency=agency, applicant=citizen)
    if status == Status.WITHDRAWN:
        dossier.received_at = None
        dossier.save()
    client.force_login(citizen)

    # When every kind is asked for
    served = {kind for kind in KINDS if client.get(slip_url(dossier, kind)).status_code == 200}
    missing = {client.get(slip_url(dossier, k)).status_code for k in set(KINDS) - served}

    # Then exactly the slips it has are served, the others are 404
    assert served == available
    assert missing <= {404}
    assert client.get(slip_url(dossier, "khong-co")).status_code == 404


def test_staff_of_the_agency_get_every_slip_the_dossier_has(client, citizen, agency, desk_officer):
    dossier = _accepted(agency, citizen, desk_officer)
    client.force_login(desk_officer)

    text = _get_pdf(client, slip_url(dossier, "tiep-nhan", staff=True))

    assert dossier.code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text


@pytest.mark.parametrize("kind", KINDS)
def test_nobody_else_gets_a_slip(
    client, citizen, other_citizen, agency, desk_officer, leader, other_agency_officer, kind
):
    # Given a dossier that has every slip
    dossier = _accepted(agency, citizen, desk_officer)
    actions.issue_apology(
        dossier=dossier,
        by=leader,
        reason="Chậm",
        new_due_at=dossier.due_at + timedelta(days=1),
        now=NOW,
    )
    actions.request_supplement(
        dossier=dossier,
        by=desk_officer,
        reasons=[{"component": None, "code": "MISSING", "note": ""}],
        now=NOW,
    )

    # Then another citizen and another agency's officer get 404 on both sides, like a
    # dossier that does not exist; the applicant is no official; anonymous users sign in
    client.force_login(other_citizen)
    assert client.get(slip_url(dossier, kind)).status_code == 404
    assert client.get(slip_url(dossier, kind, staff=True)).status_code == 404
    client.force_login(other_agency_officer)
    assert client.get(slip_url(dossier, kind)).status_code == 404
    assert client.get(slip_url(dossier, kind, staff=True)).status_code == 404
    client.force_login(citizen)
    assert client.get(slip_url(dossier, kind, staff=True)).status_code == 404
    client.logout()
    assert client.get(slip_url(dossier, kind)).status_code == 302
    assert client.get(slip_url(dossier, kind, staff=True)).status_code == 302


def test_detail_pages_link_the_slips_available_now(client, citizen, agency, desk_officer):
    # Given a received dossier
    dossier = _accepted(agency, citizen, desk_officer)

    # When the applicant and the desk open its page
    client.force_login(citizen)
    mine = client.get(reverse("dossiers:detail", kwargs={"code": dossier.code})).content.decode()
    client.force_login(desk_officer)
    staff = client.get(
        reverse("dossiers:staff_detail", kwargs={"code": dossier.code})
    ).content.decode()

    # Then each page links its own side's slips, and not the ones not reached
    assert slip_url(dossier, "tiep-nhan") in mine
    assert slip_url(dossier, "bien-nhan") in mine
    assert slip_url(dossier, "tu-choi") not in mine
    assert slip_url(dossier, "tiep-nhan", staff=True) in staff
    assert slip_url(dossier, "tiep-nhan", staff=True) not in mine


def test_each_supplement_request_is_listed_with_its_number(client, citizen, agency):
    dossier = DossierFactory(status=Status.SUPPLEMENT, agency=agency, applicant=citizen)
    client.force_login(citizen)

    page = client.get(reverse("dossiers:detail", kwargs={"code": dossier.code})).content.decode()

    assert slip_url(dossier, "bo-sung-1") in page
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (lần 1)" in page
    assert slip_url(dossier, "bo-sung-2") not in page


def test_a_long_note_runs_onto_the_next_page(client, citizen, agency, desk_officer):
    # Given a refusal explained at great length
    dossier = _new_dossier(agency, citizen)
    note = "Hồ sơ chưa đúng mẫu quy định. " * 800
    actions.refuse_dossier(
        dossier=dossier, by=desk_officer, reason_code="OTHER", note=note, now=NOW
    )
    client.force_login(citizen)

    # When the slip is downloaded, then all of it is there, over several pages
    response = client.get(slip_url(dossier, "tu-choi"))
    assert response.status_code == 200
    assert pdf_text(response.content).count("Hồ sơ chưa đúng mẫu quy định.") == 800
    pages = _pages(PdfFileReader(io.BytesIO(response.content), strict=False).root["/Pages"])
    assert len(list(pages)) > 1
