"""Checks on an uploaded document before it is stored: PDF, JPEG or PNG decided from the bytes,
never from the name or the browser's content type; size limits; and signs of abuse.

The file is read in chunks and never held whole in memory. A PDF must not be active (no
JavaScript, no launch actions) and must not be a decompression bomb: an official will open it.
"""

import hashlib
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass

from django.conf import settings

from .actions.errors import InvalidRequest

MB = 1024 * 1024
CHUNK = 64 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SUFFIXES = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DISPLAY_NAME_MAX = 120
# A photo has a few dozen segments or chunks; a file of millions of empty ones only costs time.
MAX_IMAGE_PARTS = 10_000

# Limits, each overridable in settings; the first three are per file, component and dossier.
DEFAULTS = {
    "OPENDVC_UPLOAD_MAX_BYTES": 10 * MB,
    "OPENDVC_UPLOAD_MAX_FILES_PER_COMPONENT": 5,
    "OPENDVC_UPLOAD_MAX_BYTES_PER_DOSSIER": 50 * MB,
    "OPENDVC_UPLOAD_MAX_PDF_PAGES": 500,
    "OPENDVC_UPLOAD_MAX_PDF_OBJECTS": 50_000,
    # What all of a PDF's compressed streams may inflate to, together.
    "OPENDVC_UPLOAD_MAX_PDF_INFLATED_BYTES": 256 * MB,
    "OPENDVC_UPLOAD_MAX_IMAGE_PIXELS": 100_000_000,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


class UploadRejected(InvalidRequest):
    """The file is refused; str(error) names it and says why, in Vietnamese."""


class _Malformed(Exception):
    """Raised inside the format checks; turned into UploadRejected with the file's name."""


@dataclass(frozen=True)
class CheckedFile:
    file: object  # the uploaded file, rewound, to hand to the storage
    display_name: str  # the applicant's name for it, cleaned; never used on disk
    content_type: str
    size: int
    sha256: str

    @property
    def stored_name(self) -> str:
        # Only its suffix reaches the storage path (models.component_upload_to).
        return "document" + SUFFIXES[self.content_type][0]


def check_upload(uploaded_file) -> CheckedFile:
    """Decide the type from the content, check the size and the structure, and hash it.
    Raises UploadRejected with a message naming the file."""
    name = clean_display_name(getattr(uploaded_file, "name", "") or "")
    maximum = limit("OPENDVC_UPLOAD_MAX_BYTES")
    too_big = f"Tệp “{name}” lớn hơn giới hạn {size_text(maximum)}."
    if (getattr(uploaded_file, "size", 0) or 0) > maximum:
        raise UploadRejected(too_big)
    size, digest, head = _measure(uploaded_file, maximum, too_big)
    if size == 0:
        raise UploadRejected(f"Tệp “{name}” rỗng, không có nội dung.")
    content_type = _sniff(head)
    if content_type is None:
        raise UploadRejected(
            f"Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, "
            "không theo phần mở rộng của tên tệp)."
        )
    uploaded_file.seek(0)
    try:
        {PDF: _check_pdf, JPEG: _check_jpeg, PNG: _check_png}[content_type](uploaded_file, size)
    except _Malformed as error:
        raise UploadRejected(f"Tệp “{name}” {error}") from None
    finally:
        uploaded_file.seek(0)
    return CheckedFile(
        file=uploaded_file,
        display_name=_with_suffix(name, content_type),
        content_type=content_type,
        size=size,
        sha256=digest,
    )


def _measure(uploaded_file, maximum: int, too_big: str) -> tuple[int, str, bytes]:
    # The declared size may be wrong: count what is really there, and stop past the limit.
    digest, size, head = hashlib.sha256(), 0, b""
    for chunk in _pieces(uploaded_file):
        size += len(chunk)
        if size > maximum:
            raise UploadRejected(too_big)
        if len(head) < 16:
            head = (head + chunk)[:16]
        digest.update(chunk)
    return size, digest.hexdigest(), head


def _pieces(file):
    # Not file.chunks(): an upload held in memory gives itself whole from there.
    file.seek(0)
    while piece := file.read(CHUNK):
        yield piece


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    return None


def size_text(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size:,} byte".replace(",", ".")


# --- Display names ---------------------------------------------------------------------------


def clean_display_name(raw: str) -> str:
    """The applicant's file name as text to show: no folders, no control or direction-changing
    characters, no leading dots, at most DISPLAY_NAME_MAX characters; Vietnamese kept (NFC)."""
    name = unicodedata.normalize("NFC", str(raw))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "C")
    name = " ".join(name.split()).lstrip(". ").rstrip()
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        keep = "." + suffix if dot and 0 < len(suffix) <= 5 else ""
        name = name[: DISPLAY_NAME_MAX - len(keep)].rstrip() + keep
    return name or "tệp"


def _with_suffix(name: str, content_type: str) -> str:
    # The shown name tells what the file really is: "x.exe" holding a PDF shows as "x.exe.pdf".
    if name.lower().endswith(SUFFIXES[content_type]):
        return name
    return name[: DISPLAY_NAME_MAX - 5] + SUFFIXES[content_type][0]


# --- Images ----------------------------------------------------------------------------------


class _Reader:
    """Exact reads from the uploaded file, failing cleanly at a short end."""

    def __init__(self, file):
        self.file = file

    def read(self, n: int) -> bytes:
        data = self.file.read(n)
        if len(data) != n:
            raise _Malformed("bị cắt cụt hoặc hỏng, không đọc được.")
        return data

    def pieces(self, n: int):
        while n > 0:
            piece = self.read(min(n, CHUNK))
            n -= len(piece)
            yield piece


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise _Malformed("là ảnh hỏng (kích thước bằng 0).")
    if width * height > limit("OPENDVC_UPLOAD_MAX_IMAGE_PIXELS"):
        raise _Malformed(f"là ảnh quá lớn ({width}×{height} điểm ảnh).")


def _check_png(file, size: int) -> None:
    """Signature, IHDR first, every chunk's CRC, at least one IDAT, IEND last and nothing after."""
    reader = _Reader(file)
    reader.read(8)
    seen, offset = [], 8
    while not seen or seen[-1] != b"IEND":
        length, kind = struct.unpack(">I4s", reader.read(8))
        if not kind.isalpha() or length > size:
            raise _Malformed("là ảnh PNG hỏng (khối dữ liệu không hợp lệ).")
        crc = zlib.crc32(kind)
        data = b""
        for piece in reader.pieces(length):
            crc = zlib.crc32(piece, crc)
            data = piece if kind == b"IHDR" else b""
        if struct.unpack(">I", reader.read(4))[0] != crc:
            raise _Malformed("là ảnh PNG hỏng (sai mã kiểm tra).")
        if not seen and (kind != b"IHDR" or length != 13):
            raise _Malformed("là ảnh PNG hỏng (thiếu phần đầu IHDR).")
        if kind == b"IHDR":
            _check_pixels(*struct.unpack(">II", data[:8]))
        seen.append(kind)
        offset += 12 + length
        if len(seen) > MAX_IMAGE_PARTS:
            raise _Malformed("là ảnh PNG có cấu trúc bất thường (quá nhiều khối).")
    if b"IDAT" not in seen:
        raise _Malformed("là ảnh PNG không có dữ liệu ảnh.")
    if offset != size:
        raise _Malformed("có dữ liệu lạ sau phần ảnh PNG.")


# SOF markers that carry the frame size (not DHT C4, JPG C8, DAC CC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _check_jpeg(file, size: int) -> None:
    """SOI, marker segments with a frame size, entropy-coded scans, EOI at the end."""
    reader = _Reader(file)
    reader.read(2)
    has_frame, offset = False, 2
    for _ in range(MAX_IMAGE_PARTS):
        marker = reader.read(2)
        offset += 2
        if marker[0] != 0xFF:
            raise _Malformed("là ảnh JPEG hỏng (sai cấu trúc).")
        if marker[1] == 0xD9:
            break
        (length,) = struct.unpack(">H", reader.read(2))
        if length < 2:
            raise _Malformed("là ảnh JPEG hỏng (sai cấu trúc).")
        body = reader.read(length - 2)  # at most 64 KB
        offset += length
        if marker[1] in _SOF and len(body) >= 5:
            height, width = struct.unpack(">HH", body[1:5])
            _check_pixels(width, height)
            has_frame = True
        if marker[1] == 0xDA:
            if not has_frame:
                raise _Malformed("là ảnh JPEG hỏng (thiếu thông tin khung ảnh).")
            offset += _skip_scan(file)
            file.seek(offset)
    else:
        raise _Malformed("là ảnh JPEG có cấu trúc bất thường (quá nhiều phân đoạn).")
    if not has_frame:
        raise _Malformed("là ảnh JPEG không có dữ liệu ảnh.")
    if offset != size:
        # Motion photos append a video here: the message says how to send a still picture.
        raise _Malformed(
            "có dữ liệu lạ sau phần ảnh JPEG (ví dụ ảnh động); hãy lưu lại thành ảnh tĩnh."
        )


def _skip_scan(file) -> int:
    """Bytes of entropy-coded data up to the next real marker (not FF00 nor a restart)."""
    skipped, carry = 0, b""
    while True:
        piece = file.read(CHUNK)
        if not piece:
            raise _Malformed("là ảnh JPEG bị cắt cụt (thiếu điểm kết thúc).")
        data = carry + piece
        at = data.find(b"\xff")
        while at != -1 and at + 1 < len(data):
            following = data[at + 1]
            if following not in (0x00, 0xFF) and not 0xD0 <= following <= 0xD7:
                return skipped + at
            at = data.find(b"\xff", at + 1)
        keep = 1 if data.endswith(b"\xff") else 0
        skipped += len(data) - keep
        carry = data[len(data) - keep :]


# --- PDF -------------------------------------------------------------------------------------

_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]*)")
_OBJ = re.compile(rb"(?<![A-Za-z])obj(?![A-Za-z])")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()%{}]+)")
_COUNT = re.compile(rb"/N\s+(\d+)")
_DELIMITERS = frozenset(b" \t\r\n\f\x00/<>[]()%{}")
# Active content a portal must not store (scripts, launching programs, embedded Flash), and
# encryption, which would hide the content from these checks.
_FORBIDDEN_ORDER = ("Encrypt", "JavaScript", "Launch", "RichMedia", "JS")  # the one to name
_FORBIDDEN = frozenset(name.encode() for name in _FORBIDDEN_ORDER)
_NAME_END = rb"(?![^\s/<>\[\]()%{}])"
_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*#[^\s/<>\[\]()%{}]*")
_PAGE = re.compile(rb"/Type\s*/Page" + _NAME_END)
_PAGE_START = re.compile(rb"\s*/Page" + _NAME_END)
_TYPE_END = re.compile(rb"/Type\s*$")
FLATE = "FlateDecode"
DICT_MAX = 64 * 1024  # a stream's dictionary is a few hundred bytes; more is padding


def _name(raw: bytes) -> str:
    if b"#" not in raw:
        return raw.decode("latin-1")
    # "/J#61vaScript" is "/JavaScript": names may hide letters as #xx.
    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), raw)
    return decoded.decode("latin-1")


def _cut(buf: bytes, start: int = 0, keep: int = 64) -> int:
    """Where to split `buf` so that no token is cut: at a delimiter before the last `keep`."""
    cut = len(buf) - keep
    floor = max(start, cut - 1024)
    while cut > floor and buf[cut] not in _DELIMITERS:
        cut -= 1
    return max(cut, start)


def _check_pdf(file, size: int) -> None:
    scan = _PdfScan(size)
    for chunk in _pieces(file):
        scan.feed(chunk)
    scan.finish()


class _PdfScan:
    """One pass over a PDF: objects, pages, active content, and every compressed stream inflated
    in bounded pieces to measure it. Object streams are inflated and read like the file."""

    def __init__(self, size: int):
        self.size = size
        self.head = b""
        self.tail = b""
        self.buf = b""
        self.pos = 0
        self.dict = b""
        self.stream: _PdfStream | None = None
        self.objects = self.streams = self.pages = self.inflated = 0
        # Read once: the checks below run for every stream and every piece of text.
        self.max_objects = limit("OPENDVC_UPLOAD_MAX_PDF_OBJECTS")
        self.max_pages = limit("OPENDVC_UPLOAD_MAX_PDF_PAGES")
        self.max_inflated = limit("OPENDVC_UPLOAD_MAX_PDF_INFLATED_BYTES")
        self.after_type = False

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < 8:
            self.head = (self.head + chunk)[:8]
        self.tail = (self.tail + chunk)[-1024:]
        self.buf, self.pos = self.buf[self.pos :] + chunk, 0
        while self._step(final=False):
            pass

    def finish(self) -> None:
        while self._step(final=True):
            pass
        if self.stream is not None:
            raise _Malformed("là PDF bị cắt cụt (thiếu “endstream”).")
        self.read_text(self.buf[self.pos :])
        if not re.match(rb"%PDF-\d\.\d", self.head):
            raise _Malformed("là PDF hỏng (sai phần đầu tệp).")
        if b"%%EOF" not in self.tail or b"startxref" not in self.tail:
            raise _Malformed("là PDF không hoàn chỉnh (thiếu phần kết thúc %%EOF).")
        if self.pages == 0:
            raise _Malformed("là PDF không có trang nào đọc được.")

    def _step(self, *, final: bool) -> bool:
        """Consume what can be consumed from the buffer, moving `pos` on (never copying the
        rest of the buffer, so many tiny streams cost no more than a few large ones); False
        when more input is needed."""
        buf, pos = self.buf, self.pos
        if self.stream is not None:
            end = buf.find(b"endstream", pos)
            if end == -1:
                if not final and len(buf) - 8 > pos:
                    self.stream.feed(buf[pos : len(buf) - 8])
                    self.pos = len(buf) - 8
                return False
            self.stream.feed(buf[pos:end])
            self.stream.close()
            self.stream, self.pos = None, end + 9
            return True
        match = _STREAM.search(buf, pos)
        if match and (match.end() < len(buf) or final):
            self.read_text(buf[pos : match.start()])
            self.streams += 1  # every stream is an object: as many, at most
            self.stream = _PdfStream(self, self.dict)
            self.dict, self.pos = b"", match.end()
            return True
        if not final and len(buf) - pos > 4 * 1024:
            cut = _cut(buf, pos)
            self.read_text(buf[pos:cut])
            self.pos = cut
        return False

    def read_text(self, text: bytes, *, in_object_stream: bool = False) -> None:
        """Objects, pages and forbidden names in PDF syntax outside streams."""
        objects = list(_OBJ.finditer(text))
        if in_object_stream and (objects or _STREAM.search(text)):
            raise _Malformed(
                "là PDF có cấu trúc lồng nhau bất thường (luồng trong luồng đối tượng)."
            )
        self.objects += len(objects)
        if not in_object_stream:
            # The text since the last "obj": the dictionary of a stream that may follow.
            self.dict = text[objects[-1].end() :] if objects else self.dict + text
            self.dict = self.dict[-DICT_MAX - 1 :]
        if b"#" in text:
            text = _ESCAPED_NAME.sub(lambda m: _name(m[0]).encode("latin-1"), text)
        # Whole-text searches rather than a loop over names: a file of nothing but names
        # must not cost seconds.
        found = _FORBIDDEN.intersection(_NAME.findall(text))
        if found:
            name = next(n for n in _FORBIDDEN_ORDER if n.encode() in found)
            if name == "Encrypt":
                raise _Malformed("là PDF đã mã hóa hoặc đặt mật khẩu; hãy nộp bản không mã hóa.")
            raise _Malformed(f"là PDF có nội dung chủ động (/{name}); hãy in lại ra PDF thường.")
        self.pages += len(_PAGE.findall(text))
        # A cut may fall between "/Type" and "/Page".
        if self.after_type and _PAGE_START.match(text):
            self.pages += 1
        self.after_type = bool(_TYPE_END.search(text))
        self.check_limits()

    def check_limits(self) -> None:
        if max(self.objects, self.streams) > self.max_objects:
            raise _Malformed("là PDF có quá nhiều đối tượng, nghi là tệp phá hoại.")
        if self.pages > self.max_pages:
            raise _Malformed(f"có quá {self.max_pages} trang.")
        if self.inflated > self.max_inflated:
            raise _Malformed("là PDF có dữ liệu nén giải ra quá lớn, nghi là “bom nén”.")


class _PdfStream:
    """One stream's data: inflated if FlateDecode, read as PDF syntax if an object stream."""

    def __init__(self, scan: _PdfScan, dictionary: bytes):
        if len(dictionary) > DICT_MAX:
            raise _Malformed("là PDF có cấu trúc bất thường (từ điển quá lớn).")
        self.scan = scan
        length = _LENGTH.search(dictionary)
        if length and not length[2] and int(length[1]) > scan.size:
            raise _Malformed("là PDF khai báo độ dài dữ liệu bất thường, nghi là tệp phá hoại.")
        found = _FILTER.search(dictionary)
        filters = [_name(n) for n in _NAME.findall(found[1])] if found else []
        if filters.count(FLATE) > 1:
            raise _Malformed("là PDF nén lồng nhau nhiều lớp, nghi là “bom nén”.")
        if "LZWDecode" in filters or (FLATE in filters and filters[0] != FLATE):
            raise _Malformed("là PDF dùng kiểu nén không hỗ trợ; hãy lưu lại thành PDF mới.")
        names = [_name(n) for n in _NAME.findall(dictionary)]
        self.is_object_stream = any(
            a == "Type" and b == "ObjStm" for a, b in zip(names, names[1:], strict=False)
        )
        if self.is_object_stream:
            if filters not in ([], [FLATE]) or "DecodeParms" in names:
                raise _Malformed("là PDF dùng kiểu nén không hỗ trợ; hãy lưu lại thành PDF mới.")
            count = _COUNT.search(dictionary)
            scan.objects += int(count[1]) if count else 0
            scan.check_limits()
        self.inflater = zlib.decompressobj() if filters[:1] == [FLATE] else None
        self.text = b""

    def feed(self, data: bytes) -> None:
        if self.inflater is None:
            self.read(data)
            return
        try:
            while data and not self.inflater.eof:
                out = self.inflater.decompress(data, CHUNK)
                data = self.inflater.unconsumed_tail
                self.scan.inflated += len(out)
                self.scan.check_limits()
                self.read(out)
        except zlib.error:
            raise _Malformed("là PDF hỏng (dữ liệu nén không đọc được).") from None

    def close(self) -> None:
        if self.inflater is not None:
            rest = self.inflater.flush()  # the few bytes zlib still held back
            self.scan.inflated += len(rest)
            self.read(rest)
        if self.is_object_stream:
            self.scan.read_text(self.text, in_object_stream=True)
        self.scan.check_limits()

    def read(self, data: bytes) -> None:
        if not self.is_object_stream:
            return
        self.text += data
        cut = _cut(self.text) if len(self.text) > 4 * 1024 else 0
        if cut:
            self.scan.read_text(self.text[:cut], in_object_stream=True)
            self.text = self.text[cut:]
