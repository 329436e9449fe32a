"""PDF: one bounded pass over the file, inflating compressed streams against a limit."""

import re
import zlib

from .base import CHUNK, _Malformed, _pieces, limit

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
