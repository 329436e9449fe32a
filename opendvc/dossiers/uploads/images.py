"""PNG and JPEG: walked chunk by chunk and segment by segment, never decoded."""

import struct
import zlib

from .base import CHUNK, MAX_IMAGE_PARTS, _Malformed, limit


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
