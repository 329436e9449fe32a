"""The catalog's Vietnamese search over any small set of texts: published answers to feedback,
answered questions, help articles.

The same pieces as the procedure search (search.py): text folded with and without diacritics,
the synonym table ("bằng lái" → "giấy phép lái xe"), BM25 scores in bm25s's formula
(search_bm25.py), and a coordination factor, so a text holding every word of the question ranks
above one that repeats a single word. An index is built in memory from rows the caller reads;
`cached` keeps one per process until the caller's signature of its rows changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from opendvc.core.text import default_synonyms, fold, rewrite, split_terms

from .search_bm25 import Part, Vocabulary

# As in search.py: a word typed with its diacritics also matches them, which only refines the
# order among texts that match without.
ACCENTED_WEIGHT = 0.2


@dataclass
class TextIndex:
    keys: list[Any]
    terms: dict[str, int]
    part: Part

    @classmethod
    def build(cls, rows: Iterable[tuple[Any, list[tuple[str, float]]]]) -> TextIndex:
        """An index of `rows`: (key, [(text, weight), …]); a field with weight 2 counts twice
        as much as one with weight 1 (a title against a body)."""
        vocabulary = Vocabulary()
        keys: list[Any] = []
        fields: dict[float, list[np.ndarray]] = {}
        rows = list(rows)
        weights = sorted({w for _, texts in rows for _, w in texts})
        for key, texts in rows:
            keys.append(key)
            for weight in weights:
                joined = " ".join(t for t, w in texts if w == weight and t)
                fields.setdefault(weight, []).append(vocabulary.encode(joined))
        size = len(vocabulary)
        parts = [(Part.build(encoded, size), weight) for weight, encoded in fields.items()]
        if parts:
            part = Part.weighted_sum(parts, size)
        else:
            part = Part.build([], size)
        return cls(keys=keys, terms=vocabulary.ids, part=part)

    def search(self, q: str, *, limit: int = 20) -> list[tuple[Any, float]]:
        """The best `limit` keys for the question, best first, with their scores (> 0)."""
        if not self.keys:
            return []
        expanded = rewrite(q, default_synonyms())
        plain, marked = split_terms(expanded)
        weighted = {t: 1.0 for t in plain}
        weighted.update({t: ACCENTED_WEIGHT for t in marked})
        known = [(self.terms[t], w) for t, w in weighted.items() if t in self.terms]
        scores = self.part.scores(known, len(self.keys))
        words = {self.terms[w] for w in fold(expanded).split() if w in self.terms}
        if len(words) > 1:
            scores *= self.part.matches(list(words), len(self.keys)) / len(words)
        best = np.argsort(-scores, kind="stable")[:limit]
        return [(self.keys[i], float(scores[i])) for i in best if scores[i] > 0]


_lock = threading.Lock()
_cache: dict[str, tuple[Hashable, TextIndex]] = {}


def cached(name: str, signature: Hashable, build: Callable[[], TextIndex]) -> TextIndex:
    """The index called `name`, rebuilt by `build` when `signature` (say, the rows' count and
    latest change) differs from the one it was built for."""
    with _lock:
        held = _cache.get(name)
        if held is not None and held[0] == signature:
            return held[1]
    index = build()
    with _lock:
        _cache[name] = (signature, index)
    return index


def forget() -> None:
    """Drop every cached index (tests whose rows roll back)."""
    with _lock:
        _cache.clear()
