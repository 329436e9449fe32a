"""SMS text: Vietnamese without diacritics, and how many SMS parts it takes."""

import unicodedata


def unaccent(text: str) -> str:
    """The text without Vietnamese diacritics, keeping case, digits and punctuation."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
