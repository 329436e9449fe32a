"""Is an answer grounded in its records? Every number it states (amounts, days, counts, dates)
must appear in one of them, and every listed item (a line starting with "-" or "1.") must be
mostly made of the records' own words. Used on the generative wording before it is shown,
and by the benchmark on every answer."""

import re

from opendvc.core.text import fold

_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
_ORDINAL = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)  # list numbering, not a fact
_ITEM = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+(.+)$", re.MULTILINE)
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
    return not unsupported_numbers(answer, records) and not unsupported_items(answer, records)
