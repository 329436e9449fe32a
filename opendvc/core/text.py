"""Vietnamese text for search: normalising, folding diacritics, terms and synonyms.

Every search in OpenDVC (catalog, API, assistant, directory) goes through these functions so
that a query typed with or without diacritics, in old or new tone placement, or in everyday
words finds the same procedures. They are pure and fast: they run per query and per indexed
document.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Words are runs of letters and digits; numbers keep their inner separators so that a
# procedure code (1.001193) or a date (30/4/1975) stays one word.
_WORD = re.compile(r"\d+(?:[./,]\d+)+|[^\W_]+")

# Old and new tone placement both occur ("hòa"/"hoà", "thủy"/"thuỷ", "ủy ban"/"uỷ ban");
# catalog texts mostly use the old one, so the new one is rewritten to it. Only in open
# syllables: with a final consonant both styles put the mark on the same vowel.
_TONES = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_MARKED = {"o": "òóỏõọ", "u": "ùúủũụ"}
_NEW_STYLE = re.compile(r"(?<!q)(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])\b")
_TO_OLD_STYLE = {
    first + _TONES[second][i]: _MARKED[first][i] + second
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for i in range(5)
}

# A consonant followed by a final "y" is spelt either way ("ký"/"kí", "lý"/"lí", "mỹ"/"mĩ").
_FINAL_Y = re.compile(r"\b([bcdghklmnpqrstvx]+)y\b")
# Numbers are written with or without leading zeros ("mức độ 02" / "mức 2").
_LEADING_ZEROS = re.compile(r"(?<!\S)0+(\d)(?=\d*(?:\s|$))")


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii():
            table[code] = base.lower()
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    return table


_FOLD_TABLE = _build_fold_table()


def normalize(s: str) -> str:
    """Unicode NFC, lower case, one tone placement, punctuation and symbols turned to spaces.

    "đ" is kept: it is a different letter, folded only by `fold`.
    """
    if not s:
        return ""
    text = unicodedata.normalize("NFC", str(s)).lower()
    text = " ".join(_WORD.findall(text))
    return _NEW_STYLE.sub(lambda m: _TO_OLD_STYLE[m.group(1)], text)


def fold_normalized(text: str) -> str:
    """`fold` for a text that has already gone through `normalize`."""
    return _LEADING_ZEROS.sub(r"\1", _FINAL_Y.sub(r"\1i", text.translate(_FOLD_TABLE)))


def fold(s: str) -> str:
    """`normalize`, then strip diacritics, "đ" → "d", spell a final "y" after a consonant "i"
    and drop leading zeros of numbers."""
    return fold_normalized(normalize(s))


def syllables(s: str) -> list[str]:
    """The syllables (words) of a text, normalised with diacritics kept."""
    return normalize(s).split()


def split_terms(s: str) -> tuple[list[str], list[str]]:
    """`terms` in two lists: the folded terms, and the accented terms that differ from them."""
    normalized = normalize(s)
    accented = normalized.split()
    folded = fold_normalized(normalized).split()
    plain = folded + [f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False)]
    marked = [word for word, bare in zip(accented, folded, strict=True) if word != bare]
    for i in range(len(accented) - 1):
        if accented[i] != folded[i] or accented[i + 1] != folded[i + 1]:
            marked.append(f"{accented[i]}_{accented[i + 1]}")
    return plain, marked


def folded_terms(s: str) -> list[str]:
    """Only the folded terms of `terms`: syllables and bigrams without diacritics."""
    folded = fold(s).split()
    return folded + [f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False)]


def terms(s: str) -> list[str]:
    """Index terms: syllables and syllable bigrams, folded, plus their accented forms.

    "giấy phép lái xe" gives giay, phep, lai, xe, giay_phep, phep_lai, lai_xe and the
    accented giấy, phép, lái, giấy_phép, phép_lái, lái_xe. A query without diacritics matches
    through the folded terms; an accented query also matches the accented ones, so documents
    spelt as the user typed rank higher. Accented forms equal to their folded form ("xe") are
    not repeated, so they are not counted twice.
    """
    plain, marked = split_terms(s)
    return plain + marked


# --- Synonyms: everyday words → the catalog's administrative words ------------------------


@dataclass(frozen=True)
class _Rule:
    accented: tuple[str, ...]
    replacement: str


class SynonymTable:
    """Everyday phrases and the catalog phrases they stand for, matched syllable by syllable.

    A query syllable matches a phrase syllable when both are the same with diacritics, or when
    the query syllable was typed without diacritics and the folded forms are the same: "lam"
    matches "làm", but "lâm" (forestry) does not.
    """

    def __init__(self, pairs: list[tuple[str, str]]):
        self._rules: dict[tuple[str, ...], list[_Rule]] = {}
        self.longest = 0
        for phrase, replacement in pairs:
            accented = tuple(syllables(phrase))
            if not accented:
                continue
            key = tuple(fold_normalized(" ".join(accented)).split())
            self._rules.setdefault(key, []).append(_Rule(accented, normalize(replacement)))
            self.longest = max(self.longest, len(key))

    def __len__(self) -> int:
        return sum(len(rules) for rules in self._rules.values())

    @classmethod
    def parse(cls, text: str) -> SynonymTable:
        """Lines `everyday, other everyday = catalog words | other catalog words`; # comments.

        An empty right side drops the words (question words such as "cần giấy tờ gì").
        """
        pairs: list[tuple[str, str]] = []
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if "=" not in line:
                continue
            left, right = line.split("=", 1)
            replacement = " ".join(alt.strip() for alt in right.split("|"))
            pairs.extend((phrase.strip(), replacement) for phrase in left.split(","))
        return cls(pairs)

    def matches(self, accented: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping phrases of the syllables as (start, size, replacement), longest first.

        Longest first over the whole query, not left to right: in "xin giấy phép xây nhà" the
        phrase "giấy phép xây nhà" must win over "xin giấy".
        """
        folded = fold_normalized(" ".join(accented)).split()
        found: list[tuple[int, int, str]] = []
        for start in range(len(folded)):
            for size in range(min(self.longest, len(folded) - start), 0, -1):
                rule = self._rule_at(accented, folded, start, size)
                if rule is not None:
                    found.append((start, size, rule.replacement))
        found.sort(key=lambda m: (-m[1], m[0]))
        taken = [False] * len(folded)
        chosen = []
        for start, size, replacement in found:
            if not any(taken[start : start + size]):
                taken[start : start + size] = [True] * size
                chosen.append((start, size, replacement))
        return sorted(chosen)

    def _rule_at(
        self, accented: list[str], folded: list[str], start: int, size: int
    ) -> _Rule | None:
        for rule in self._rules.get(tuple(folded[start : start + size]), ()):
            typed = accented[start : start + size]
            pairs = zip(typed, rule.accented, folded[start:], strict=False)
            if all(t == r or t == f for t, r, f in pairs):
                return rule
        return None


def rewrite(query: str, table: SynonymTable) -> str:
    """The query with its everyday phrases replaced (see `SynonymTable.matches`)."""
    accented = syllables(query)
    out: list[str] = []
    i = 0
    for start, size, replacement in table.matches(accented):
        out.extend(accented[i:start])
        if replacement:
            out.append(replacement)
        i = start + size
    out.extend(accented[i:])
    return " ".join(out)


DEFAULT_SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "catalog/data/synonyms.txt"
_default_table: tuple[tuple[Path, float], SynonymTable] | None = None
_default_lock = threading.Lock()


def default_synonyms() -> SynonymTable:
    """The synonym table of the catalog (a data file administrators extend), re-read on change.

    The file lives with the catalog because it is the catalog's vocabulary; its path can be
    moved with the OPENDVC_SYNONYMS_FILE setting.
    """
    global _default_table
    from django.conf import settings

    path = Path(getattr(settings, "OPENDVC_SYNONYMS_FILE", "") or DEFAULT_SYNONYMS_FILE)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    with _default_lock:
        if _default_table is None or _default_table[0] != (path, mtime):
            text = path.read_text(encoding="utf-8") if mtime >= 0 else ""
            _default_table = ((path, mtime), SynonymTable.parse(text))
        return _default_table[1]


def expand_synonyms(query: str, table: SynonymTable | None = None) -> str:
    """The query in the catalog's words: "nhập hộ khẩu" → "đăng ký thường trú".

    Everyday phrases are replaced by every administrative phrase they may stand for, joined
    ("làm căn cước" → "đăng ký cấp căn cước"); words no phrase covers are kept. The result is
    normalised. Callers that want to keep the user's own words search both texts.
    """
    return rewrite(query, table if table is not None else default_synonyms())
