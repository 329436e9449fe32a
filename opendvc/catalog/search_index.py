"""The in-memory search index of public procedures: BM25 parts and filter arrays.

Built from the database in one pass of a few `values_list` queries, then read-only, so any
number of request threads can search it at once. `search.py` decides when to build it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.urls import reverse

from opendvc.core.text import fold_normalized, normalize

from .models import Agency, Procedure, RequiredDocument
from .search_bm25 import Part, Vocabulary
from .search_suggest import build_deletes

# A name often starts with "Thủ tục" ("procedure"); it says nothing about which one, and
# would make those names look longer to BM25 than the same name without it.
_NAME_PREFIX = re.compile(r"^th[uủ] t[uụ]c ")
DOCUMENT_CHARS = 200
# How much each part counts: the name says what a procedure is; fields and agencies say
# where it belongs; documents only hint at it.
PART_WEIGHTS = {"name": 1.0, "meta": 0.25, "docs": 0.08}


@dataclass(frozen=True)
class ProcedureSummary:
    """What a result line shows, kept in the index so a page of results needs no query."""

    pk: int
    code: str
    name: str
    fields: tuple[str, ...]
    agencies: tuple[str, ...]
    levels: tuple[str, ...]  # "BO", "TINH", "XA"
    online_level: str

    @property
    def url(self) -> str:
        return reverse("catalog:procedure", kwargs={"code": self.code})


@dataclass
class SearchIndex:
    signature: tuple
    ids: np.ndarray  # Procedure pk per row
    codes: list[str]
    names: list[str]
    padded_names: list[str]  # " folded name ", without a leading "thủ tục", for phrase tests
    exact_names: dict[str, list[int]]  # folded name → rows
    code_rows: dict[str, int]  # "1.001193" and "001193" → row
    is_specific: np.ndarray
    popularity_lift: np.ndarray  # log popularity scaled to 0..1
    max_popularity: float
    publisher: np.ndarray  # publishing agency pk, -1 when none
    publisher_ids: dict[str, int]  # Agency.slug → pk, for agencies that publish
    level_rows: dict[str, np.ndarray]  # "BO" | "TINH" | "XA" → bool per row
    online_rows: dict[str, np.ndarray]  # "TOAN_TRINH" | "MOT_PHAN" | "ANY" → bool per row
    field_rows: dict[str, np.ndarray]  # Field.slug → rows
    agency_rows: dict[str, np.ndarray]  # Agency.slug of an implementing agency → rows
    default_order: np.ndarray  # rows by popularity desc, then code
    default_rank: np.ndarray  # position of each row in default_order
    terms: dict[str, int]  # term → id, in every part
    name_part: Part  # the name (without "thủ tục") and the code
    text_part: Part  # name, fields and agencies, documents: weighted by PART_WEIGHTS
    name_words: np.ndarray  # how many different (folded) syllables each name has
    words: dict[str, tuple[int, str]]  # folded syllable → (count, accented spelling)
    deletes: dict[str, list[str]]  # for "did you mean", see search_suggest
    summaries: list[ProcedureSummary]  # per row

    @property
    def size(self) -> int:
        return len(self.ids)


def _rows_by_key(pairs: Iterable[tuple[int, str]], row_of: dict[int, int]) -> dict:
    grouped: dict[str, set[int]] = defaultdict(set)
    for pk, key in pairs:
        grouped[key].add(row_of[pk])
    return {key: np.asarray(sorted(rows), dtype=np.int64) for key, rows in grouped.items()}


def _words(texts: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Folded syllable → (how often it occurs, its most common accented spelling), for the
    normalised texts given."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for word, bare in zip(text.split(), fold_normalized(text).split(), strict=True):
            spellings[bare][word] += 1
    return {
        bare: (sum(c.values()), c.most_common(1)[0][0])
        for bare, c in spellings.items()
        if not bare[0].isdigit()
    }


_COLUMNS = (
    "pk",
    "code",
    "name",
    "kind",
    "popularity",
    "publishing_agency_id",
    "is_ministry_level",
    "is_province_level",
    "is_commune_level",
    "online_level",
)


@dataclass
class _Source:
    """What the index is built from, read from the database."""

    rows: list[tuple]
    row_of: dict[int, int]
    field_pairs: list[tuple[int, str, str]]  # (procedure pk, field slug, field name)
    agency_pairs: list[tuple[int, str, str]]  # (procedure pk, agency slug, agency name)
    publishers: dict[int, tuple[str, str]]  # agency pk → (slug, name)
    documents: list[set[str]]  # document names per row
    stands_for: list[tuple[str, str]]  # (concrete agency slug, generic agency slug)


def _read_source() -> _Source:
    public = Procedure.objects.public()
    rows = list(public.order_by("pk").values_list(*_COLUMNS))
    row_of = {r[0]: i for i, r in enumerate(rows)}
    field_pairs = list(
        Procedure.fields.through.objects.filter(procedure__in=public).values_list(
            "procedure_id", "field__slug", "field__name"
        )
    )
    agency_pairs = list(
        Procedure.implementing_agencies.through.objects.filter(procedure__in=public).values_list(
            "procedure_id", "agency__slug", "agency__name"
        )
    )
    publisher_pks = {r[5] for r in rows if r[5]}
    publishers = {
        pk: (slug, name)
        for pk, slug, name in Agency.objects.filter(pk__in=publisher_pks).values_list(
            "pk", "slug", "name"
        )
    }
    documents: list[set[str]] = [set() for _ in rows]
    names = RequiredDocument.objects.filter(case__procedure__in=public).values_list(
        "case__procedure_id", "name"
    )
    for pk, name in names.iterator(chunk_size=2000):
        # The first words of a document name say what it is; the rest are conditions.
        documents[row_of[pk]].add(name[:DOCUMENT_CHARS])
    stands_for = [
        *Agency.stands_for.through.objects.values_list("from_agency__slug", "to_agency__slug"),
        *Agency.objects.filter(generic__isnull=False).values_list("slug", "generic__slug"),
    ]
    return _Source(rows, row_of, field_pairs, agency_pairs, publishers, documents, stands_for)


def _text_parts(src: _Source, bare_names: list[str], codes: list[str]) -> tuple:
    """The three BM25 parts over one vocabulary; accented terms only for names, where
    they decide between homographs, so the larger parts stay small."""
    vocab = Vocabulary()
    names = [
        np.concatenate([vocab.encode(n), vocab.encode(c, accented=False)])
        for n, c in zip(bare_names, codes, strict=True)
    ]
    meta: list[list[np.ndarray]] = [[] for _ in src.rows]
    for pk, _slug, name in src.field_pairs + src.agency_pairs:
        meta[src.row_of[pk]].append(vocab.encode(name, accented=False))
    for i, r in enumerate(src.rows):
        if r[5] in src.publishers:
            meta[i].append(vocab.encode(src.publishers[r[5]][1], accented=False))
    docs = [[vocab.encode(d, accented=False) for d in sorted(texts)] for texts in src.documents]
    vocab.forget_texts()
    size = len(vocab)
    name_part = Part.build(names, size)
    meta_part = Part.build([_joined(parts) for parts in meta], size)
    docs_part = Part.build([_joined(parts) for parts in docs], size)
    text_part = Part.weighted_sum(
        [
            (name_part, PART_WEIGHTS["name"]),
            (meta_part, PART_WEIGHTS["meta"]),
            (docs_part, PART_WEIGHTS["docs"]),
        ],
        size,
    )
    return vocab.ids, name_part, text_part


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int32)


def _name_lookups(bare_names: list[str], codes: list[str]) -> tuple:
    padded, exact, code_rows, words = [], defaultdict(list), {}, []
    for i, (name, code) in enumerate(zip(bare_names, codes, strict=True)):
        folded = fold_normalized(name)
        padded.append(f" {folded} ")
        exact[folded].append(i)
        words.append(len(set(folded.split())))
        code_rows[code.lower()] = i
        code_rows.setdefault(code.rsplit(".", 1)[-1].lower(), i)
    return padded, dict(exact), code_rows, np.asarray(words, dtype=np.float32)


def _flags(rows: list[tuple]) -> tuple[dict, dict]:
    level = {
        key: np.asarray([r[col] for r in rows], dtype=bool)
        for key, col in (("BO", 6), ("TINH", 7), ("XA", 8))
    }
    online_level = [r[9] or "" for r in rows]
    online = {
        key: np.asarray([v == key for v in online_level], dtype=bool)
        for key in (Procedure.OnlineLevel.FULL, Procedure.OnlineLevel.PARTIAL)
    }
    online["ANY"] = online[Procedure.OnlineLevel.FULL] | online[Procedure.OnlineLevel.PARTIAL]
    return level, {str(k): v for k, v in online.items()}


def build_index(signature: tuple) -> SearchIndex:
    """Read the public procedures and everything searched about them into a new index."""
    src = _read_source()
    rows = src.rows
    codes = [r[1] for r in rows]
    names = [" ".join(r[2].split()) for r in rows]
    popularity = np.asarray([r[4] for r in rows], dtype=np.float64)
    max_popularity = float(popularity.max(initial=0))
    default_order = np.asarray(
        sorted(range(len(rows)), key=lambda i: (-rows[i][4], codes[i])), dtype=np.int64
    )
    default_rank = np.empty(len(rows), dtype=np.int64)
    default_rank[default_order] = np.arange(len(rows))
    normalized = [normalize(name) for name in names]
    bare_names = [_NAME_PREFIX.sub("", name) for name in normalized]
    padded, exact, code_rows, name_words = _name_lookups(bare_names, codes)
    level_rows, online_rows = _flags(rows)
    terms, name_part, text_part = _text_parts(src, bare_names, codes)
    words = _words([*normalized, *{normalize(name) for _, _, name in src.field_pairs}])
    return SearchIndex(
        signature=signature,
        ids=np.asarray([r[0] for r in rows], dtype=np.int64),
        codes=codes,
        names=names,
        padded_names=padded,
        exact_names=exact,
        code_rows=code_rows,
        is_specific=np.asarray([r[3] == Procedure.Kind.SPECIFIC for r in rows], dtype=bool),
        popularity_lift=(np.log1p(popularity) / np.log1p(max(max_popularity, 1))).astype(
            np.float32
        ),
        max_popularity=max_popularity,
        publisher=np.asarray([r[5] or -1 for r in rows], dtype=np.int64),
        publisher_ids={slug: pk for pk, (slug, _name) in src.publishers.items()},
        level_rows=level_rows,
        online_rows=online_rows,
        field_rows=_rows_by_key(((pk, slug) for pk, slug, _ in src.field_pairs), src.row_of),
        agency_rows=_agency_rows(src),
        default_order=default_order,
        default_rank=default_rank,
        terms=terms,
        name_part=name_part,
        text_part=text_part,
        name_words=name_words,
        words=words,
        deletes=build_deletes(words),
        summaries=_summaries(src, names),
    )


def _agency_rows(src: _Source) -> dict[str, np.ndarray]:
    """Implementing agency slug → rows. A concrete agency (UBND phường Kinh Bắc) also
    finds the procedures of the generic agencies it stands for (UBND cấp xã)."""
    pairs = [(pk, slug) for pk, slug, _ in src.agency_pairs]
    by_generic: dict[str, list[int]] = defaultdict(list)
    for pk, slug, _ in src.agency_pairs:
        by_generic[slug].append(pk)
    for concrete, generic in src.stands_for:
        pairs.extend((pk, concrete) for pk in by_generic.get(generic, ()))
    return _rows_by_key(pairs, src.row_of)


def _summaries(src: _Source, names: list[str]) -> list[ProcedureSummary]:
    fields: list[list[str]] = [[] for _ in src.rows]
    agencies: list[list[str]] = [[] for _ in src.rows]
    for pk, _slug, name in src.field_pairs:
        fields[src.row_of[pk]].append(name)
    for pk, _slug, name in src.agency_pairs:
        agencies[src.row_of[pk]].append(name)
    return [
        ProcedureSummary(
            pk=r[0],
            code=r[1],
            name=names[i],
            fields=tuple(sorted(fields[i])),
            agencies=tuple(sorted(agencies[i])),
            levels=tuple(key for key, col in (("BO", 6), ("TINH", 7), ("XA", 8)) if r[col]),
            online_level=r[9] or "",
        )
        for i, r in enumerate(src.rows)
    ]
