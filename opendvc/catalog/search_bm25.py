"""BM25 score matrices for the search index, built with numpy in bm25s's layout and formula.

bm25s (Lucene variant) defines the scores: `bm25s.scoring` gives the term-frequency part and
the idf is its Lucene idf. The matrix is built here rather than by `bm25s.BM25.index`, which
keeps every token of the corpus as a Python object while it works: for the catalog's names,
agencies and 19,000 required documents that cost a web worker some 250 MB that it never gave
back. Term ids go straight into numpy arrays instead, and texts that repeat (a field, an agency,
"Tờ khai") are split into terms once. `tests/test_search_bm25.py` checks the scores against
`bm25s.BM25` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from bm25s.scoring import _score_tfc_lucene

from opendvc.core.text import folded_terms, split_terms

K1 = 1.2
B = 0.75


class Vocabulary:
    """Term → id, shared by every part of one index, and texts → arrays of term ids."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._seen: dict[tuple[str, bool], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def encode(self, text: str, *, accented: bool = True) -> np.ndarray:
        """The term ids of a text; the accented forms only when `accented`."""
        key = (text, accented)
        found = self._seen.get(key)
        if found is None:
            if accented:
                plain, marked = split_terms(text)
                terms = plain + marked
            else:
                terms = folded_terms(text)
            ids = self.ids
            for term in set(terms).difference(ids):
                ids[term] = len(ids)
            found = np.fromiter(map(ids.__getitem__, terms), dtype=np.int32, count=len(terms))
            self._seen[key] = found
        return found

    def forget_texts(self) -> None:
        """Drop the cache of encoded texts once the index is built."""
        self._seen = {}


@dataclass
class Part:
    """BM25 scores of one group of fields: a term × row matrix in compressed columns."""

    data: np.ndarray  # float32 scores
    indices: np.ndarray  # int32 row of each score
    indptr: np.ndarray  # int64, scores of term t are data[indptr[t]:indptr[t + 1]]

    @classmethod
    def build(cls, rows: list[np.ndarray], size: int, k1: float = K1, b: float = B) -> Part:
        """Score every (term, row) pair of `rows` (term ids per row) over `size` terms."""
        n = len(rows)
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
        terms = np.concatenate(rows).astype(np.int64) if lengths.sum() else np.zeros(0, np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keys, tf = np.unique(terms * max(n, 1) + owner, return_counts=True)
        term, row = np.divmod(keys, max(n, 1))
        df = np.bincount(term, minlength=size)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))  # bm25s.scoring._score_idf_lucene
        average = max(float(lengths.mean()) if n else 0.0, 1.0)
        tfc = _score_tfc_lucene(tf.astype(np.float64), lengths[row], average, k1, b)
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls((idf[term] * tfc).astype(np.float32), row.astype(np.int32), indptr)

    @classmethod
    def weighted_sum(cls, parts: list[tuple[Part, float]], size: int) -> Part:
        """One matrix holding, per (term, row), the weighted sum of the parts' scores: a query
        then walks one list of postings per term instead of one per part."""
        terms = [np.repeat(np.arange(size, dtype=np.int64), np.diff(p.indptr)) for p, _ in parts]
        rows = np.concatenate([p.indices for p, _ in parts]).astype(np.int64)
        data = np.concatenate([p.data * np.float32(w) for p, w in parts])
        n = int(rows.max(initial=0)) + 1
        keys, first = np.unique(np.concatenate(terms) * n + rows, return_inverse=True)
        summed = np.zeros(len(keys), dtype=np.float32)
        np.add.at(summed, first, data)
        term, row = np.divmod(keys, n)
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=size), out=indptr[1:])
        return cls(summed, row.astype(np.int32), indptr)

    def _positions(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the postings of the terms lie in data/indices, and how many each term has."""
        starts, ends = self.indptr[terms], self.indptr[terms + 1]
        lengths = ends - starts
        offsets = np.cumsum(lengths) - lengths
        return np.arange(int(lengths.sum())) + np.repeat(starts - offsets, lengths), lengths

    def scores(self, weighted: list[tuple[int, float]], size: int) -> np.ndarray:
        """Per row, the sum of the weighted terms' scores (float32, `size` rows).

        All postings are gathered into one array and summed by one `bincount`: a long query
        (a pasted procedure name has 150 terms) costs a few numpy calls, not a few per term.
        """
        known = [(t, w) for t, w in weighted if t < len(self.indptr) - 1]
        if not known:
            return np.zeros(size, dtype=np.float32)
        terms = np.fromiter((t for t, _ in known), dtype=np.int64, count=len(known))
        weights = np.fromiter((w for _, w in known), dtype=np.float32, count=len(known))
        where, lengths = self._positions(terms)
        summed = np.bincount(
            self.indices[where],
            weights=self.data[where] * np.repeat(weights, lengths),
            minlength=size,
        )
        return summed.astype(np.float32)

    def matches(self, terms: list[int], size: int) -> np.ndarray:
        """Per row, how many of the terms it has."""
        ids = np.fromiter((t for t in terms if t < len(self.indptr) - 1), dtype=np.int64)
        where, _ = self._positions(ids)
        return np.bincount(self.indices[where], minlength=size).astype(np.float32)

    def add_scores(self, out: np.ndarray, weighted: list[tuple[int, float]]) -> None:
        """Add each term's scores, times its weight, to `out` (one cell per row)."""
        out += self.scores(weighted, len(out))
