"""Attaching documents: PDF, JPEG and PNG checked by their bytes, limits, and abuse refused with
a clear message while the draft stays as it was, with no stray file left on disk."""

import struct
import zlib
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import IntegrityError

from opendvc.audit.models import AuditEntry
from opendvc.dossiers import actions, uploads
from opendvc.dossiers.actions import IllegalTransition, InvalidRequest, NotAllowed
from opendvc.dossiers.models import ComponentFile, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory, pdf
from opendvc.dossiers.uploads import CHUNK, UploadRejected, clean_display_name

LATER = MONDAY + timedelta(hours=2)

# --- Small real files, written by hand ------------------------------------------------------


def flate_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n%s\nendstream" % (
        len(packed),
        dictionary,
        packed,
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 1, height: int = 1, header: tuple[int, int] | None = None) -> bytes:
    """An 8-bit RGB PNG, every pixel red; `header` declares another size than the pixels'."""
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    width, height = header or (width, height)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def jpeg(width: int = 1, height: int = 1) -> bytes:
    """A baseline grey JPEG of one 8×8 block: one-code Huffman tables (DC difference 0, then
    end of block), so the whole scan is the two bits 00 padded with ones."""
    segment = lambda marker, body: b"\xff" + marker + struct.pack(">H", len(body) + 2) + body  # noqa: E731
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"
    return (
        b"\xff\xd8"
        + segment(b"\xdb", b"\x00" + b"\x01" * 64)
        + segment(b"\xc0", b"\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00")
        + segment(b"\xc4", b"\x00" + one_code)
        + segment(b"\xc4", b"\x10" + one_code)
        + segment(b"\xda", b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"
        + b"\xff\xd9"
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(draft) -> tuple:
    """What must not change when an upload is refused: the dossier's fields, its files and
    their audit entries, and the files on disk."""
    from django.conf import settings

    files = ComponentFile.objects.filter(component__dossier=draft).order_by("pk")
    return (
        type(draft).objects.filter(pk=draft.pk).values().get(),
        list(files.values_list("pk", "component_id", "sha256", "file", "original_name")),
        AuditEntry.objects.filter(action__startswith="dossiers.file_").count(),
        stored_files(settings),
    )


def refused(draft, component, by, uploaded, error=UploadRejected) -> str:
    before = snapshot(draft)
    with pytest.raises(error) as caught:
        actions.attach_file(
            dossier=draft, component=component, uploaded_file=uploaded, by=by, now=LATER
        )
    assert snapshot(draft) == before
    return str(caught.value)


@pytest.fixture
def draft(citizen):
    """A citizen's draft with two components, the first already holding one PDF."""
    dossier = DossierFactory(applicant=citizen, form_data={"ho_ten": "Nguyễn Văn An"})
    first = DossierComponentFactory(dossier=dossier, name="Tờ khai")
    DossierComponentFactory(dossier=dossier, name="Giấy khai sinh", position=1)
    actions.attach_file(
        dossier=dossier,
        component=first,
        uploaded_file=upload("to-khai.pdf", pdf()),
        by=citizen,
        now=MONDAY,
    )
    return dossier


def components(draft):
    return list(draft.components.order_by("position"))


# --- What is accepted -----------------------------------------------------------------------


def test_a_citizen_attaches_a_pdf_a_png_and_a_jpeg_checked_by_their_bytes(draft, citizen, settings):
    _, second = components(draft)
    files = [("bản scan.pdf", pdf(content=b"BT ET")), ("ảnh.png", png(4, 3)), ("ảnh.JPG", jpeg())]

    attached = [
        actions.attach_file(
            dossier=draft, component=second, uploaded_file=upload(n, d), by=citizen, now=LATER
        )
        for n, d in files
    ]

    assert [(f.original_name, f.content_type, f.size) for f in attached] == [
        ("bản scan.pdf", "application/pdf", len(files[0][1])),
        ("ảnh.png", "image/png", len(files[1][1])),
        ("ảnh.JPG", "image/jpeg", len(files[2][1])),
    ]
    for stored, (_, data) in zip(attached, files, strict=True):
        on_disk = Path(settings.MEDIA_ROOT) / stored.file.name
        assert on_disk.read_bytes() == data
        # Stored under its hash in the draft's folder, never under the applicant's name.
        assert stored.file.name.startswith(f"dossiers/draft-{draft.pk}/{stored.sha256[:16]}")
    entry = AuditEntry.objects.filter(action="dossiers.file_attached").last()
    assert entry.target_id == str(draft.pk)
    assert entry.payload == {
        "component": second.pk,
        "file": attached[2].pk,
        "size": len(files[2][1]),
        "content_type": "image/jpeg",
        "sha256": attached[2].sha256,
    }
    assert ComponentFile.objects.filter(component__dossier=draft).count() == 4


def test_the_type_comes_from_the_content_not_the_name(draft, citizen):
    _, second = components(draft)

    stored = actions.attach_file(
        dossier=draft,
        component=second,
        uploaded_file=upload("scan.pdf", jpeg()),
        by=citizen,
        now=LATER,
    )

    assert (stored.content_type, stored.original_name) == ("image/jpeg", "scan.pdf.jpg")
    assert stored.file.name.endswith(".jpg")


def test_a_saved_draft_keeps_its_files_for_later(draft, citizen):
    first, _ = components(draft)

    again = type(draft).objects.get(pk=draft.pk)

    assert [f.original_name for f in first.files.all()] == ["to-khai.pdf"]
    assert again.status == Status.DRAFT


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.png", "x.png"),
        ("C:\\Users\\An\\Giấy tờ\\cccd.pdf", "cccd.pdf"),
        ("tờ\x00khai\x1b[31m.pdf", "tờkhai[31m.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),
        ("...hidden.pdf", "hidden.pdf"),
        ("Gia\u0302\u0301y khai sinh.pdf", "Giấy khai sinh.pdf"),
        ("../", "tệp"),
    ],
)
def test_file_names_are_cleaned_to_display_text(raw, shown):
    assert clean_display_name(raw) == shown


def test_a_long_name_is_cut_and_keeps_its_suffix():
    name = clean_display_name("Đơn đề nghị " * 30 + ".pdf")
    assert len(name) == 120
    assert name.endswith(".pdf")


def test_a_path_traversal_name_is_stored_under_the_hash_and_shown_cleaned(draft, citizen, settings):
    _, second = components(draft)

    stored = actions.attach_file(
        dossier=draft,
        component=second,
        uploaded_file=upload("../../etc/passwd.pdf", png()),
        by=citizen,
        now=LATER,
    )

    assert stored.original_name == "passwd.pdf.png"
    media = Path(settings.MEDIA_ROOT).resolve()
    assert (media / stored.file.name).resolve().is_relative_to(media / "dossiers")
    assert "passwd" not in stored.file.name


# --- Abuse: refused with a clear message, the draft intact -----------------------------------


def bomb(inflated: int) -> bytes:
    packer, zeros = zlib.compressobj(9), bytes(1 << 20)
    packed = b"".join(packer.compress(zeros) for _ in range(inflated >> 20)) + packer.flush()
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)


def object_stream(objects: bytes, count: int = 1, dictionary: bytes = b"") -> bytes:
    header = b"10 0 "  # object 10 at offset 0 of the stream
    return flate_stream(header + objects, b"/Type /ObjStm /N %d /First 5 %s" % (count, dictionary))


MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" * 8
JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>"

ABUSE = {
    "text-named-pdf": ("don.pdf", b"Day la mot tep van ban, khong phai PDF.\n", "không phải PDF"),
    "empty": ("rong.pdf", b"", "rỗng"),
    "renamed-exe": ("setup.pdf", MZ, "không phải PDF, JPEG hoặc PNG"),
    "html-named-png": ("anh.png", b"<html><script>alert(1)</script></html>", "không phải"),
    "pdf-javascript": ("js.pdf", pdf(JS_ACTION), "nội dung chủ động (/JavaScript)"),
    "pdf-hidden-javascript": (
        "js2.pdf",
        pdf(b"<< /S /J#61vaScript /J#53 (x) >>"),
        "nội dung chủ động (/JavaScript)",
    ),
    "pdf-javascript-in-object-stream": (
        "js3.pdf",
        pdf(object_stream(b"<< /OpenAction << /S /JavaScript /JS (x) >> >>")),
        "nội dung chủ động",
    ),
    "pdf-javascript-in-plain-object-stream": (
        "js4.pdf",
        pdf(
            b"<< /Type /ObjStm /N 1 /First 5 /Length 28 >>\n"
            b"stream\n10 0 << /S /JavaScript >>\nendstream"
        ),
        "nội dung chủ động",
    ),
    "pdf-launch": ("launch.pdf", pdf(b"<< /S /Launch /F (cmd.exe) >>"), "(/Launch)"),
    "pdf-nested-flate": (
        "nested.pdf",
        pdf(b"<< /Length 10 /Filter [/FlateDecode /FlateDecode] >>\nstream\n0123456789\nendstream"),
        "nén lồng nhau",
    ),
    "pdf-absurd-length": (
        "length.pdf",
        pdf(b"<< /Length 99999999999 /Filter /FlateDecode >>\nstream\nx\x9c\x03\x00\nendstream"),
        "độ dài dữ liệu bất thường",
    ),
    "pdf-object-stream-in-object-stream": (
        "objstm.pdf",
        pdf(object_stream(b"<< /Type /ObjStm /N 1 /First 4 /Length 3 >>\nstream\nabc")),
        "lồng nhau bất thường",
    ),
    "pdf-objects-declared-by-the-billion": (
        "n.pdf",
        pdf(object_stream(b"<< >>", count=10**9)),
        "quá nhiều đối tượng",
    ),
    "pdf-truncated": ("cut.pdf", pdf()[:-40], "thiếu phần kết thúc"),
    "pdf-stream-never-ends": (
        "open.pdf",
        pdf()[: pdf().index(b"endstream")] + b"\nstartxref\n9\n%%EOF\n",
        "bị cắt cụt",
    ),
    "pdf-no-page": (
        "blank.pdf",
        b"%PDF-1.4\n1 0 obj << >> endobj\nstartxref\n0\n%%EOF\n",
        "không có trang",
    ),
    "pdf-encrypted": (
        "pw.pdf",
        pdf(b"<< /Filter /Standard /V 2 >>").replace(b"/Root", b"/Encrypt 5 0 R /Root"),
        "mã hóa",
    ),
    "pdf-broken-deflate": (
        "z.pdf",
        pdf(b"<< /Length 8 /Filter /FlateDecode >>\nstream\nnot-zlib\nendstream"),
        "dữ liệu nén không đọc được",
    ),
    "pdf-lzw": (
        "lzw.pdf",
        pdf(b"<< /Length 3 /Filter /LZWDecode >>\nstream\nabc\nendstream"),
        "kiểu nén không hỗ trợ",
    ),
    "png-bad-crc": ("x.png", png()[:29] + b"\x00\x00\x00\x00" + png()[33:], "sai mã kiểm tra"),
    "png-with-exe-appended": ("x.png", png() + MZ, "dữ liệu lạ sau phần ảnh PNG"),
    "png-pixel-bomb": ("big.png", png(header=(100_000, 100_000)), "ảnh quá lớn"),
    "png-truncated": ("half.png", png()[:30], "bị cắt cụt"),
    "png-many-empty-chunks": (
        "x.png",
        png()[:33] + _chunk(b"teXt", b"") * 10_001 + png()[33:],
        "quá nhiều khối",
    ),
    "jpeg-many-empty-segments": (
        "x.jpg",
        jpeg()[:2] + b"\xff\xfe\x00\x02" * 10_001 + jpeg()[2:],
        "quá nhiều phân đoạn",
    ),
    "jpeg-truncated": ("half.jpg", jpeg()[:-2], "bị cắt cụt"),
    "jpeg-with-zip-appended": (
        "x.jpg",
        jpeg() + b"PK\x03\x04" + b"\x00" * 40,
        "dữ liệu lạ sau phần ảnh JPEG",
    ),
    "jpeg-huge-frame": ("big.jpg", jpeg(width=60_000, height=60_000), "ảnh quá lớn"),
}


@pytest.mark.parametrize("case", ABUSE)
def test_abusive_uploads_are_refused_and_the_draft_is_intact(draft, citizen, case):
    name, data, message = ABUSE[case]
    first, _ = components(draft)

    error = refused(draft, first, citizen, upload(name, data))

    assert message in error
    assert error.startswith(f"Tệp “{name}”")


@pytest.mark.parametrize("in_object_stream", [False, True])
def test_a_name_across_two_reads_is_still_found(draft, citizen, in_object_stream):
    # The file and an object stream's inflated text are read 64 KB at a time: put the name
    # across that edge.
    def build(pad: int) -> bytes:
        script = b" " * pad + JS_ACTION
        return pdf(object_stream(script)) if in_object_stream else pdf(b"[]", script)

    def where(data: bytes) -> int:
        if in_object_stream:
            start = data.index(b"stream\n", data.index(b"5 0 obj")) + 7
            data = zlib.decompressobj().decompress(data[start:])
        return data.index(b"/JavaScript")

    data = build(CHUNK - 5 - where(build(0)))
    assert where(data) == CHUNK - 5
    first, _ = components(draft)

    assert "(/JavaScript)" in refused(draft, first, citizen, upload("js.pdf", data))


PAGE = b"<< /Type /Page /Parent 2 0 R >>"


@pytest.mark.parametrize(
    ("objects", "message"),
    [
        ((JS_ACTION,), "là PDF có nội dung chủ động (/JavaScript); hãy in lại ra PDF thường."),
        ((PAGE, PAGE), "có quá 2 trang."),
    ],
)
def test_a_name_is_found_wherever_the_reads_split_the_file(monkeypatch, settings, objects, message):
    # Text between streams is read in pieces cut at a delimiter: try many read sizes so that
    # some cuts fall inside "/JavaScript", or between "/Type" and "/Page".
    settings.OPENDVC_UPLOAD_MAX_PDF_PAGES = 2
    data = pdf(b"[" + b"1 " * 6000 + b"]", b"[" + b"22 " * 40 + b"]", *objects)
    found = set()
    for step in range(4097, 4400):
        monkeypatch.setattr(uploads, "CHUNK", step)
        with pytest.raises(UploadRejected) as caught:
            uploads.check_upload(upload("x.pdf", data))
        found.add(str(caught.value))

    assert found == {f"Tệp “x.pdf” {message}"}


def test_a_pdf_bomb_is_refused_once_its_streams_inflate_past_the_limit(draft, citizen, settings):
    # 24 MB of zeros packed into some 24 KB; the limit is lowered so the test stays quick
    # (the default, 256 MB, refuses a 300 KB bomb of 300 MB in about a second).
    settings.OPENDVC_UPLOAD_MAX_PDF_INFLATED_BYTES = 4 * 1024 * 1024
    first, _ = components(draft)
    small = pdf(bomb(24 << 20))
    assert len(small) < 40_000

    error = refused(draft, first, citizen, upload("bom.pdf", small))

    assert "bom nén" in error


def test_a_pdf_with_thousands_of_objects_or_pages_is_refused(draft, citizen, settings):
    settings.OPENDVC_UPLOAD_MAX_PDF_OBJECTS = 1000
    settings.OPENDVC_UPLOAD_MAX_PDF_PAGES = 3
    first, _ = components(draft)
    many = pdf(*[b"<< /N %d >>" % n for n in range(1200)])
    pages = pdf(*[b"<< /Type /Page /Parent 2 0 R >>"] * 3)

    assert "quá nhiều đối tượng" in refused(draft, first, citizen, upload("many.pdf", many))
    assert "có quá 3 trang" in refused(draft, first, citizen, upload("pages.pdf", pages))


def test_a_file_over_the_size_limit_is_refused(draft, citizen, settings):
    settings.OPENDVC_UPLOAD_MAX_BYTES = 2000
    first, _ = components(draft)
    big = pdf(content=b"0" * 2000)

    assert "lớn hơn giới hạn 2.000 byte" in refused(draft, first, citizen, upload("lon.pdf", big))


def test_a_file_that_lies_about_its_size_is_measured(draft, citizen, settings):
    settings.OPENDVC_UPLOAD_MAX_BYTES = 2000
    first, _ = components(draft)
    lying = upload("lon.pdf", pdf(content=b"0" * 2000))
    lying.size = 10

    assert "lớn hơn giới hạn" in refused(draft, first, citizen, lying)


def test_the_rejected_name_is_shown_cleaned(draft, citizen):
    first, _ = components(draft)

    error = refused(draft, first, citizen, upload("../../etc/pass\x00wd.pdf", b"root:x:0:0"))

    assert error.startswith("Tệp “passwd.pdf” không phải PDF")


# --- Limits per component and per dossier, duplicates ----------------------------------------


def attach(draft, component, by, name, data, now=LATER):
    return actions.attach_file(
        dossier=draft, component=component, uploaded_file=upload(name, data), by=by, now=now
    )


def test_a_component_holds_a_limited_number_of_files(draft, citizen, settings):
    settings.OPENDVC_UPLOAD_MAX_FILES_PER_COMPONENT = 2
    first, second = components(draft)
    attach(draft, first, citizen, "trang-2.png", png(2, 1))

    error = refused(draft, first, citizen, upload("trang-3.png", png(3, 1)))

    assert error == "Không thể thêm tệp “trang-3.png”: mỗi thành phần có tối đa 2 tệp."
    assert attach(draft, second, citizen, "trang-3.png", png(3, 1)).component == second


def test_the_files_of_a_dossier_have_a_total_size_limit(draft, citizen, settings):
    first, second = components(draft)
    settings.OPENDVC_UPLOAD_MAX_BYTES_PER_DOSSIER = first.files.get().size + len(png()) + 10
    attach(draft, second, citizen, "anh.png", png())

    error = refused(draft, second, citizen, upload("them.png", png(2, 2)))

    assert "tổng dung lượng tệp của hồ sơ vượt quá" in error
    assert error.startswith("Không thể thêm tệp “them.png”")


def test_the_same_file_twice_in_one_component_is_refused(draft, citizen):
    first, second = components(draft)

    error = refused(draft, first, citizen, upload("ban-sao.pdf", pdf()))

    assert error == "Tệp “ban-sao.pdf” đã được đính kèm vào thành phần này rồi."
    # The same document may serve another component.
    assert attach(draft, second, citizen, "ban-sao.pdf", pdf()).sha256 == first.files.get().sha256


# --- Who, and when ---------------------------------------------------------------------------


def test_another_citizen_cannot_attach_to_my_draft(draft, other_citizen):
    first, _ = components(draft)

    error = refused(draft, first, other_citizen, upload("x.pdf", pdf(content=b"")), NotAllowed)

    assert error == "Bạn không có quyền thay đổi tệp của hồ sơ này."


def test_officials_do_not_attach_to_a_citizens_online_draft(draft, agency, desk_officer, superuser):
    draft.agency = agency
    draft.save()
    first, _ = components(draft)

    refused(draft, first, desk_officer, upload("x.pdf", pdf(content=b"")), NotAllowed)
    refused(draft, first, superuser, upload("x.pdf", pdf(content=b"")), NotAllowed)


def test_the_desk_attaches_for_a_counter_draft_without_an_account(agency, desk_officer):
    counter = DossierFactory(agency=agency, applicant=None)
    component = DossierComponentFactory(dossier=counter)

    stored = attach(counter, component, desk_officer, "cccd.jpg", jpeg())

    assert stored.component == component
    entry = AuditEntry.objects.get(action="dossiers.file_attached")
    assert entry.actor_id == desk_officer.pk


@pytest.mark.parametrize(
    "status", [Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.RETURNED]
)
def test_a_submitted_dossier_takes_no_new_files(citizen, status):
    dossier = DossierFactory(applicant=citizen, status=status)
    component = DossierComponentFactory(dossier=dossier)

    error = refused(dossier, component, citizen, upload("x.pdf", pdf()), IllegalTransition)

    assert "không thể thay đổi tệp đính kèm" in error


def test_a_component_of_another_dossier_is_refused(draft, citizen):
    elsewhere = DossierComponentFactory(dossier=DossierFactory(applicant=citizen))

    error = refused(draft, elsewhere, citizen, upload("x.pdf", pdf()), InvalidRequest)

    assert error == "Thành phần hồ sơ không thuộc hồ sơ này."


def test_a_supplement_opens_only_the_components_it_names(citizen):
    dossier = DossierFactory(applicant=citizen, status=Status.SUPPLEMENT)
    named = DossierComponentFactory(dossier=dossier, name="Giấy khai sinh")
    other = DossierComponentFactory(dossier=dossier, name="Tờ khai")
    request = dossier.supplements.get()
    request.reasons = [{"component": named.pk, "code": "ILLEGIBLE", "note": "Bản chụp mờ"}]
    request.save()

    stored = attach(dossier, named, citizen, "ks.png", png())
    error = refused(dossier, other, citizen, upload("tk.png", png()), IllegalTransition)

    assert stored.file.name.startswith(f"dossiers/{dossier.code}/")
    assert error == "Thành phần “Tờ khai” không nằm trong yêu cầu bổ sung."


def test_a_supplement_naming_no_component_opens_them_all(citizen, other_citizen):
    dossier = DossierFactory(applicant=citizen, status=Status.SUPPLEMENT)
    component = DossierComponentFactory(dossier=dossier)

    assert attach(dossier, component, citizen, "a.png", png()).component == component
    refused(dossier, component, other_citizen, upload("b.png", png(2, 2)), NotAllowed)


# --- Removing, and no orphan files -----------------------------------------------------------


def test_the_applicant_removes_a_file_and_its_bytes_go_after_commit(
    draft, citizen, settings, django_capture_on_commit_callbacks
):
    first, _ = components(draft)
    stored = first.files.get()
    on_disk = Path(settings.MEDIA_ROOT) / stored.file.name

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_file(dossier=draft, file=stored, by=citizen, now=LATER)

    assert not first.files.exists()
    assert not on_disk.exists()
    entry = AuditEntry.objects.get(action="dossiers.file_removed")
    assert entry.payload["sha256"] == stored.sha256
    assert entry.payload["component"] == first.pk


def test_another_citizen_cannot_remove_a_file(draft, other_citizen, settings):
    stored = components(draft)[0].files.get()
    before = snapshot(draft)

    with pytest.raises(NotAllowed):
        actions.remove_file(dossier=draft, file=stored, by=other_citizen, now=LATER)

    assert snapshot(draft) == before


def test_a_file_of_another_dossier_cannot_be_removed_through_mine(draft, citizen):
    mine = DossierFactory(applicant=citizen)

    with pytest.raises(InvalidRequest):
        actions.remove_file(
            dossier=mine, file=components(draft)[0].files.get(), by=citizen, now=LATER
        )

    assert ComponentFile.objects.filter(component__dossier=draft).count() == 1


def test_during_a_supplement_only_the_new_files_can_be_removed(citizen):
    dossier = DossierFactory(applicant=citizen, status=Status.SUPPLEMENT)
    component = DossierComponentFactory(dossier=dossier)
    received = attach(dossier, component, citizen, "cu.png", png(), now=MONDAY)
    added = attach(dossier, component, citizen, "moi.png", png(2, 2))

    with pytest.raises(IllegalTransition, match="đã nộp trước khi có yêu cầu bổ sung"):
        actions.remove_file(dossier=dossier, file=received, by=citizen, now=LATER)
    actions.remove_file(dossier=dossier, file=added, by=citizen, now=LATER)

    assert list(component.files.values_list("pk", flat=True)) == [received.pk]


def test_a_failed_database_write_leaves_no_stored_file(draft, citizen, settings):
    _, second = components(draft)
    before = snapshot(draft)

    with mock.patch(
        "opendvc.dossiers.actions.attachments.record", side_effect=IntegrityError("audit")
    ):
        with pytest.raises(IntegrityError):
            attach(draft, second, citizen, "anh.png", png())

    assert snapshot(draft) == before


def test_an_upload_spooled_to_disk_is_read_in_pieces_and_stored(draft, citizen, settings):
    # Django keeps uploads over 2.5 MB in a temporary file; this one spans several reads.
    data = pdf(flate_stream(b"0 0 m 10 10 l S\n" * 20_000), content=b"q " * 100_000)
    spooled = TemporaryUploadedFile("lớn.pdf", "application/pdf", len(data), None)
    spooled.write(data)
    spooled.seek(0)
    _, second = components(draft)

    stored = actions.attach_file(
        dossier=draft, component=second, uploaded_file=spooled, by=citizen, now=LATER
    )
    spooled.close()  # as Django does at the end of the request; the storage moved the file

    assert len(data) > 3 * uploads.CHUNK
    assert (Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes() == data
    assert (stored.size, stored.content_type) == (len(data), "application/pdf")
