"""Reading an amount written in Vietnamese words ("Một tỷ hai trăm linh năm triệu đồng").

Used to compare "bằng chữ" with "bằng số". Anything not understood gives None, and the
caller then says nothing: a rule that guesses would reject honest forms.
"""

from __future__ import annotations

import re

from opendvc.core.text import fold

# The fold spells final y as i ("bảy" → "bai", "tỷ" → "ti"); both spellings are listed.
_DIGITS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
    "nham": 5, "sau": 6, "bay": 7, "bai": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_SCALES = (("ty", 10**9), ("ti", 10**9), ("trieu", 10**6), ("nghin", 1000), ("ngan", 1000))
_FILLERS = {"linh", "le"}  # "hai trăm linh năm": no tens
_CURRENCY = re.compile(r"\b(viet nam dong|dong chan|dong|chan|vnd)\b")


def _group(tokens: list[str]) -> int | None:
    """A number below one thousand: "hai trăm linh năm", "mười lăm", "ba mươi mốt"."""
    value, pending = 0, None
    for token in tokens:
        if token in _DIGITS:
            if pending is not None:
                return None
            pending = _DIGITS[token]
        elif token == "tram" and pending is not None:
            value, pending = value + pending * 100, None
        elif token == "muoi":
            value, pending = value + (1 if pending is None else pending) * 10, None
        elif token not in _FILLERS or pending is not None:
            return None
    value += pending or 0
    return value if value < 1000 else None


def _parse(tokens: list[str]) -> int | None:
    for word, size in _SCALES:
        if word in tokens:
            at = len(tokens) - 1 - tokens[::-1].index(word)
            left, right = _parse(tokens[:at]), _parse(tokens[at + 1 :]) if tokens[at + 1 :] else 0
            if not left or right is None or right >= size:
                return None
            return left * size + right
    return _group(tokens) if tokens else None


def amount_in_words(text: str) -> int | None:
    """The amount the words say, or None when they are not a plain Vietnamese amount."""
    tokens = _CURRENCY.sub(" ", fold(text)).split()
    return _parse(tokens) if tokens else None
