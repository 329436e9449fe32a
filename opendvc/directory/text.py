"""Name folding for administrative units and agencies.

Searching and comparing names uses the project's Vietnamese text module, so "tu phap",
"TƯ PHÁP" and "Tư pháp" match here as in the catalog. The converter data and URL slugs
need a plainer fold: its keys strip diacritics and nothing else ("Xã Mỹ Thái" →
"xamythai", where the search fold would also spell "mỹ" as "mi").
"""

import re
import unicodedata

from django.utils.text import slugify

from opendvc.core.text import fold

__all__ = ["fold", "key", "name_key", "slugify_vi", "tone_key"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# "Phường 03" is "Phường 3" in the converter data.
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def _plain_fold(text: str) -> str:
    """NFC, lower case, đ→d, diacritics removed; nothing else changed."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def key(text: str) -> str:
    """The compact key the converter data uses: folded, letters and digits only
    ("Tỉnh Bắc Giang" → "tinhbacgiang")."""
    return _LEADING_ZEROS.sub("", _NON_ALNUM.sub("", _plain_fold(text)))


def tone_key(text: str) -> str:
    """Like `key` but keeping diacritics: the converter data uses it to tell apart names
    that fold alike ("Xã Văn Lang" / "Xã Văn Lăng")."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[\s.,;:()\-_/]+", "", text)


def name_key(text: str) -> str:
    """Words of a folded name, for comparing agency names ("UBND" read as
    "Ủy ban nhân dân", punctuation ignored)."""
    words = fold(text).split()
    return " ".join("uy ban nhan dan" if word == "ubnd" else word for word in words)


def slugify_vi(text: str) -> str:
    return slugify(_plain_fold(text))
