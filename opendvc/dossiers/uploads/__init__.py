"""Checks on an uploaded document before it is stored: PDF, JPEG or PNG decided from the bytes,
never from the name or the browser's content type; size limits; and signs of abuse.

The file is read in chunks and never held whole in memory. A PDF must not be active (no
JavaScript, no launch actions) and must not be a decompression bomb: an official will open it.
"""

import hashlib
import re
import unicodedata

from .base import (
    CHUNK,
    DEFAULTS,
    DISPLAY_NAME_MAX,
    JPEG,
    PDF,
    PNG,
    PNG_SIGNATURE,
    SUFFIXES,
    CheckedFile,
    UploadRejected,
    _Malformed,
    _pieces,
    limit,
    size_text,
)
from .images import _check_jpeg, _check_png
from .pdf import _check_pdf

__all__ = [
    "CHUNK",
    "DEFAULTS",
    "CheckedFile",
    "UploadRejected",
    "check_upload",
    "clean_display_name",
    "limit",
    "size_text",
]


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


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    return None


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
