"""What the format checks share: limits, errors, the checked file, chunked reading."""

from dataclasses import dataclass

from django.conf import settings

from ..actions.errors import InvalidRequest

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


def _pieces(file):
    # Not file.chunks(): an upload held in memory gives itself whole from there.
    file.seek(0)
    while piece := file.read(CHUNK):
        yield piece


def size_text(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size:,} byte".replace(",", ".")
