"""Name folding for administrative units and agencies.

The shared Vietnamese text module (opendvc/core/text.py) is used when present; this keeps
the directory's keys identical to the rest of the project's search keys.
"""

import re
import unicodedata

from django.utils.text import slugify

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _local_fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lowercase, NFC, đ→d, diacritics removed; spacing kept."""
    return _local_fold(text)


def key(text: str) -> str:
    """The compact key the converter data uses: folded, letters and digits only
    ("Tỉnh Bắc Giang" → "tinhbacgiang")."""
    return _NON_ALNUM.sub("", fold(text))


def tone_key(text: str) -> str:
    """Like `key` but keeping diacritics: the converter data uses it to tell apart names
    that fold alike ("Xã Văn Lang" / "Xã Văn Lăng")."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[\s.,;:()\-_/]+", "", text)


def name_key(text: str) -> str:
    """Words of a folded name, for comparing agency names ("UBND" read as
    "Ủy ban nhân dân", punctuation ignored)."""
    words = _NON_ALNUM.sub(" ", fold(text)).split()
    return " ".join("uy ban nhan dan" if word == "ubnd" else word for word in words)


def slugify_vi(text: str) -> str:
    return slugify(fold(text))
