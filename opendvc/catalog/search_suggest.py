""" "Did you mean" for searches that found nothing: misspelt words replaced by catalog words.

Misspellings are found with a deletion index (the SymSpell idea): two words are within one
edit of each other when they share a form with at most one letter deleted. That keeps the
lookup a few dictionary hits per word, whatever the size of the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from opendvc.core.text import fold_normalized, normalize

MAX_SUGGESTIONS = 3
MAX_WORDS = 12  # longer queries are cut: a suggestion for 30 nonsense words helps no one
MAX_WORD_LENGTH = 12  # no Vietnamese syllable is longer; longer "words" are not corrected


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def build_deletes(words: dict[str, tuple[int, str]]) -> dict[str, list[str]]:
    """Each vocabulary word, and each of its one-letter deletions → the words it comes from."""
    index: dict[str, list[str]] = defaultdict(list)
    for word in words:
        if len(word) <= MAX_WORD_LENGTH:
            for form in _deletes(word) | {word}:
                index[form].append(word)
    return dict(index)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def closest_word(
    word: str, vocabulary: dict[str, tuple[int, str]], deletes: dict[str, list[str]]
) -> str | None:
    """The accented spelling of the most frequent vocabulary word close to a folded word."""
    if not word or len(word) > MAX_WORD_LENGTH:
        return None
    candidates = {c for form in _deletes(word) | {word} for c in deletes.get(form, ())}
    limit = 1 if len(word) <= 3 else 2
    scored = [(d, -vocabulary[c][0], c) for c in candidates if (d := _distance(word, c)) <= limit]
    if not scored:
        return None
    return vocabulary[min(scored)[2]][1]


def suggest(
    index,
    q: str,
    search: Callable[[str], np.ndarray],
) -> list[str]:
    """Queries to offer when `q` found nothing: the corrected query, then its best names.

    `search` ranks a text under the same filters and returns the matching rows.
    """
    words = normalize(q).split()[:MAX_WORDS]
    folded = fold_normalized(" ".join(words)).split()
    corrected: list[str] = []
    for word, bare in zip(words, folded, strict=True):
        if bare in index.words:
            corrected.append(word)
        elif (closest := closest_word(bare, index.words, index.deletes)) is not None:
            corrected.append(closest)
        # a word with nothing close is dropped
    text = " ".join(corrected)
    if not corrected or text == " ".join(words):
        return []
    rows = search(text)
    if len(rows) == 0:
        return []
    found = [text] + [index.names[row] for row in rows[: MAX_SUGGESTIONS - 1]]
    return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]
