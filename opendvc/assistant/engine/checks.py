"""Is an answer grounded in its records? Every number it states (amounts, days, counts, dates)
must appear in one of them, and every listed item (a line starting with "-" or "1.") must be
mostly made of the records' own words. Used on the generative wording before it is shown,
and by the benchmark on every answer."""

import re
import unicodedata

from opendvc.core.text import fold

_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
_ORDINAL = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)  # list numbering, not a fact
_ITEM = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+(.+)$", re.MULTILINE)
# A number with a unit (a time limit, an amount of money) must appear with that unit: "7" in
# a decree's number does not back "7 ngày làm việc".
_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)*)\s*(ngay|gio|thang|dong|d)\b")
# A listed item must share this much of its words with the records.
ITEM_OVERLAP = 0.7


def _forms(token: str) -> set[str]:
    digits = re.sub(r"\D", "", token)
    return {token, digits.lstrip("0") or "0"}


def numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(_ORDINAL.sub(" ", text)))


def unsupported_numbers(answer: str, records: list[str]) -> list[str]:
    """The numbers of `answer` that none of the records states."""
    known: set[str] = set()
    for record in records:
        for token in numbers(record):
            known |= _forms(token)
    return sorted(t for t in numbers(answer) if not (_forms(t) & known))


def _plain(text: str) -> str:
    # Lower case without diacritics, punctuation kept: "30.000 đồng" → "30.000 dong".
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _quantities(text: str) -> set[tuple[str, str]]:
    found = _QUANTITY.findall(_plain(_ORDINAL.sub(" ", text)))
    return {
        (re.sub(r"\D", "", n).lstrip("0") or "0", "dong" if unit == "d" else unit)
        for n, unit in found
    }


def unsupported_quantities(answer: str, records: list[str]) -> list[str]:
    """The "number unit" pairs of `answer` (5 ngày, 30.000 đồng) no record states."""
    known = set().union(*(_quantities(r) for r in records)) if records else set()
    return sorted(f"{n} {u}" for n, u in _quantities(answer) - known)


def unsupported_items(answer: str, records: list[str]) -> list[str]:
    """The listed items of `answer` whose words are mostly not the records' words."""
    vocabulary = set(fold(" ".join(records)).split())
    out = []
    for item in _ITEM.findall(answer):
        words = [w for w in fold(item).split() if len(w) > 1 and not w.isdigit()]
        if words and sum(w in vocabulary for w in words) / len(words) < ITEM_OVERLAP:
            out.append(item.strip())
    return out


def is_grounded(answer: str, records: list[str]) -> bool:
    return not (
        unsupported_numbers(answer, records)
        or unsupported_quantities(answer, records)
        or unsupported_items(answer, records)
    )
