"""Which procedure a question is about: the catalog's own search (the one behind the portal
and the API), and whether the best match stands out enough to answer, or a short question
back is due ("khai sinh" fits both a birth and a late birth registration).

The margin test reads the same BM25 relevance the search ranked by, so the two never disagree
on the order; it only adds "how far ahead is the first".
"""

from dataclasses import dataclass

from opendvc.catalog.search import current_index, relevance, search_procedures
from opendvc.catalog.search_index import ProcedureSummary
from opendvc.core.text import fold

CANDIDATES = 8
CHOICES = 3
# The first result is taken when it scores at least this much more than the next one with
# a different name; otherwise the person is asked which of the first CHOICES they mean.
CLEAR_LEAD = 1.1


@dataclass(frozen=True)
class Found:
    best: ProcedureSummary | None  # the procedure to answer about, if one stands out
    choices: list[ProcedureSummary]  # when several fit: the question back lists these


def _name_key(name: str) -> str:
    # The same procedure published by many provinces; "Thủ tục …" or not.
    words = fold(name).split()
    return " ".join(words[2:] if words[:2] == ["thu", "tuc"] else words)


def find(topic: str) -> Found:
    """The procedure `topic` names, or the few it could name, or nothing."""
    if not topic.strip():
        return Found(None, [])
    page = search_procedures(topic, page_size=CANDIDATES)
    distinct: list[ProcedureSummary] = []
    seen: set[str] = set()
    for item in page.items:
        key = _name_key(item.name)
        if key not in seen:
            seen.add(key)
            distinct.append(item)
    if len(distinct) <= 1:
        return Found(distinct[0] if distinct else None, [])
    index = current_index()
    scores = relevance(index, topic)
    first, second = (float(scores[index.ids == item.pk].max()) for item in distinct[:2])
    if first >= CLEAR_LEAD * second:
        return Found(distinct[0], [])
    return Found(None, distinct[:CHOICES])


def by_code(code: str) -> ProcedureSummary | None:
    page = search_procedures(code, page_size=1)
    return next((item for item in page.items if item.code == code), None)
