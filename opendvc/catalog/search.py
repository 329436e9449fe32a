"""Procedure search: Vietnamese BM25 over the public catalog, with filters and suggestions.

The one search used by the portal pages, the API and the assistant. Relevance is BM25 over
the name (weighted highest), the fields and agencies, and the required documents, on the
folded and accented terms of `opendvc.core.text`, after rewriting everyday words with the
synonym table. Then: an exact name or code match comes first, a phrase of the name ranks
higher, the national version (STANDARD) ranks above provincial variants (SPECIFIC) unless the
user chose a publisher, and popular procedures get a small lift.

The index lives in memory, one per process. It is built on the first search and rebuilt when
the catalog changes, which is checked (one aggregate query) at most every
OPENDVC_SEARCH_RECHECK_SECONDS seconds, so the importer does not have to tell anyone.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from opendvc.core.text import (
    default_synonyms,
    fold,
    fold_normalized,
    normalize,
    rewrite,
    split_terms,
)

from .models import Procedure
from .search_index import ProcedureSummary, SearchIndex, build_index
from .search_suggest import suggest

logger = logging.getLogger(__name__)

# The user's own words that the synonym table rewrote still count, a little.
OWN_WORDS_WEIGHT = 0.3
# Accented terms repeat folded ones; they only break ties in favour of the spelling typed.
ACCENTED_WEIGHT = 0.2
# Bonuses, as fractions of the best BM25 score of the query, for names that are the query
# (exact), contain it as a phrase, or consist mostly of its words (coverage: the share of the
# name's syllables that the query has, so "Cấp giấy phép lái xe" beats a long name that also
# mentions a driving licence).
# Coordination: a procedure that has every word of the query beats one that has the common
# words many times ("giấy phép kinh doanh karaoke" is about karaoke, not about aviation
# licences): scores are multiplied by (share of the query's words the procedure has) ** this.
COORDINATION_POWER = 1.0
EXACT_NAME_BONUS = 1.0
PHRASE_BONUS = 0.25
COVERAGE_BONUS = 0.15
SPECIFIC_FACTOR = 0.6
POPULARITY_LIFT = 0.1
PHRASE_CANDIDATES = 100

_CODE = re.compile(r"^\d\.\d{6}$|^\d{6}$")


@dataclass(frozen=True)
class SearchFilters:
    field: str | None = None  # Field.slug
    agency: str | None = None  # Agency.slug of an implementing agency
    publisher: str | None = None  # Agency.slug of the publishing agency
    level: str | None = None  # "BO" | "TINH" | "XA"
    online: str | None = None  # "TOAN_TRINH" | "MOT_PHAN" | "ANY"


@dataclass(frozen=True)
class SearchPage:
    ids: list[int]  # Procedure pks of the requested page, in rank order
    total: int  # matches across all pages
    page: int
    page_size: int
    suggestions: list[str] = field(default_factory=list)  # when total == 0 and q was given
    # The page's result lines, from the index: enough for a list of results, no query needed.
    items: list[ProcedureSummary] = field(default_factory=list)


# --- The per-process index -------------------------------------------------------------------


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: SearchIndex | None = None
        self.checked_at = 0.0


_holder = _Holder()


def catalog_signature() -> tuple:
    """A cheap fingerprint of the catalog: it changes when procedures are added or saved."""
    agg = Procedure.objects.aggregate(n=Count("pk"), last=Max("imported_at"), top=Max("pk"))
    return (agg["n"], agg["last"], agg["top"])


def current_index() -> SearchIndex:
    """The index, built on first use and rebuilt when the catalog signature has changed."""
    interval = float(getattr(settings, "OPENDVC_SEARCH_RECHECK_SECONDS", 5.0))
    index = _holder.index
    if index is not None and time.monotonic() - _holder.checked_at < interval:
        return index
    # While one thread checks or rebuilds, the others keep searching the index they have;
    # only the very first search of the process has to wait.
    if not _holder.lock.acquire(blocking=index is None):
        return index
    try:
        index = _holder.index
        if index is not None and time.monotonic() - _holder.checked_at < interval:
            return index  # another thread checked while this one waited
        signature = catalog_signature()
        if index is None or index.signature != signature:
            started = time.monotonic()
            index = build_index(signature)
            elapsed = time.monotonic() - started
            logger.info("search index: %d procedures in %.2fs", index.size, elapsed)
            _holder.index = index
        _holder.checked_at = time.monotonic()
        return index
    finally:
        _holder.lock.release()


# --- Filters ---------------------------------------------------------------------------------


def _filter_mask(index: SearchIndex, filters: SearchFilters) -> np.ndarray | None:
    """Rows allowed by the filters (None when no filter is set)."""
    mask: np.ndarray | None = None

    def narrow(allowed: np.ndarray) -> None:
        nonlocal mask
        mask = allowed if mask is None else mask & allowed

    for rows_by_slug, slug in (
        (index.field_rows, filters.field),
        (index.agency_rows, filters.agency),
    ):
        if slug:
            allowed = np.zeros(index.size, dtype=bool)
            allowed[rows_by_slug.get(slug, [])] = True
            narrow(allowed)
    if filters.publisher:
        narrow(index.publisher == index.publisher_ids.get(filters.publisher, -2))
    if filters.level:
        narrow(index.level_rows.get(filters.level, np.zeros(index.size, dtype=bool)))
    if filters.online:
        narrow(index.online_rows.get(filters.online, np.zeros(index.size, dtype=bool)))
    return mask


# --- Ranking ---------------------------------------------------------------------------------


def _weighted_terms(index: SearchIndex, expanded: str, own: str) -> list[tuple[int, float]]:
    """(term id, weight) of the query's terms that the index knows."""
    weights: dict[str, float] = {}
    for text, weight in ((own, OWN_WORDS_WEIGHT), (expanded, 1.0)):
        plain, marked = split_terms(text)
        weights.update(dict.fromkeys(plain, weight))
        weights.update(dict.fromkeys(marked, weight * ACCENTED_WEIGHT))
    return [(index.terms[t], w) for t, w in weights.items() if t in index.terms]


def relevance(index: SearchIndex, q: str, *, national_first: bool = True) -> np.ndarray:
    """A score per row for the query: 0 for rows that do not match at all."""
    expanded = rewrite(q, default_synonyms())
    scores = index.text_part.scores(_weighted_terms(index, expanded, q), index.size)
    _coordinate(index, scores, expanded)
    best = float(scores.max(initial=0.0))
    if best > 0:
        _boost_names(index, scores, best, {fold_normalized(t) for t in (expanded, normalize(q))})
        if national_first:
            scores[index.is_specific] *= SPECIFIC_FACTOR
        if index.max_popularity > 0:
            scores *= 1.0 + POPULARITY_LIFT * index.popularity_lift
    _boost_codes(index, scores, q)
    return scores


def _coordinate(index: SearchIndex, scores: np.ndarray, expanded: str) -> None:
    words = {index.terms[w] for w in fold(expanded).split() if w in index.terms}
    if len(words) > 1:
        share = index.text_part.matches(list(words), index.size) / len(words)
        scores *= share**COORDINATION_POWER


def _boost_names(index: SearchIndex, scores: np.ndarray, best: float, phrases: set[str]) -> None:
    phrases.discard("")
    for phrase in phrases:
        for row in index.exact_names.get(phrase, ()):
            scores[row] += EXACT_NAME_BONUS * best
    # Coverage: the share of each name's syllables found among the query's words.
    words = {w for p in phrases for w in p.split()}
    hits = index.name_part.matches([index.terms[w] for w in words if w in index.terms], index.size)
    scores += (COVERAGE_BONUS * best) * np.minimum(hits / np.maximum(index.name_words, 1), 1)
    padded = [f" {p} " for p in phrases if " " in p]
    if padded:
        count = min(PHRASE_CANDIDATES, index.size)
        top = np.argpartition(-scores, count - 1)[:count].tolist()
        names = index.padded_names
        found = [row for row in top if any(p in names[row] for p in padded)]
        scores[found] += PHRASE_BONUS * best


def _boost_codes(index: SearchIndex, scores: np.ndarray, q: str) -> None:
    for word in normalize(q).split():
        if _CODE.match(word) and word in index.code_rows:
            row = index.code_rows[word]
            scores[row] = float(scores.max(initial=0.0)) * 2 + 1.0


def _ranked(
    index: SearchIndex, scores: np.ndarray, mask: np.ndarray | None, limit: int
) -> tuple[int, np.ndarray]:
    """How many rows match, and the first `limit` of them, best first."""
    if mask is not None:
        scores = np.where(mask, scores, 0)
    rows = np.flatnonzero(scores > 0)
    total = len(rows)
    if limit < total:
        # Sorting every match is wasted work: keep those scoring at least the limit-th best
        # (ties included, so the tie order below is the same as over all of them).
        cut = np.partition(scores[rows], total - limit)[total - limit]
        rows = rows[scores[rows] >= cut]
    # Ties (the same name published by many provinces) keep the default order.
    return total, rows[np.lexsort((index.default_rank[rows], -scores[rows]))][:limit]


def search_procedures(
    q: str, filters: SearchFilters = SearchFilters(), *, page: int = 1, page_size: int = 20
) -> SearchPage:
    """One page of public procedures matching `q` and `filters`, best first.

    An empty q lists everything the filters allow, most popular first, then by code. Never
    raises on the text of q; the caller checks page, page_size and the length of q.
    """
    index = current_index()
    mask = _filter_mask(index, filters)
    start = (page - 1) * page_size
    has_query = bool((q or "").strip())
    if has_query:
        # Text with no words at all ("!!!", emoji) was still a search: it finds nothing.
        scores = relevance(index, q, national_first=not filters.publisher)
        total, rows = _ranked(index, scores, mask, start + page_size)
    else:
        rows = index.default_order
        if mask is not None:
            rows = rows[mask[rows]]
        total = len(rows)
    page_rows = rows[start : start + page_size].tolist()
    ids = index.ids[page_rows].tolist()
    suggestions: list[str] = []
    if has_query and total == 0:
        suggestions = suggest(
            index, q, lambda text: _ranked(index, relevance(index, text), mask, 3)[1]
        )
    items = [index.summaries[row] for row in page_rows]
    return SearchPage(ids, total, page, page_size, suggestions, items)
