"""The search index's BM25 matrix gives the scores bm25s gives."""

import bm25s
import numpy as np
import pytest

from opendvc.catalog.search_bm25 import K1, B, Part, Vocabulary
from opendvc.core.text import terms

CORPUS = [
    "Thủ tục đăng ký khai sinh",
    "Thủ tục đăng ký khai sinh lưu động",
    "Đăng ký thường trú",
    "Cấp giấy phép lái xe",
    "Đổi giấy phép lái xe",
    "Cấp lại Giấy phép đào tạo lái xe ô tô khi bị mất, bị hỏng, có sự thay đổi về tên",
]


def our_scores(corpus: list[str], query: str) -> np.ndarray:
    vocab = Vocabulary()
    part = Part.build([vocab.encode(text) for text in corpus], len(vocab))
    scores = np.zeros(len(corpus), dtype=np.float32)
    part.add_scores(scores, [(vocab.ids[t], 1.0) for t in set(terms(query)) if t in vocab.ids])
    return scores


@pytest.mark.parametrize(
    "query", ["đăng ký khai sinh", "giấy phép lái xe", "lai xe o to", "cấp", "thay đổi tên"]
)
def test_scores_equal_those_of_bm25s(query):
    reference = bm25s.BM25(k1=K1, b=B, method="lucene")
    reference.index([terms(text) for text in CORPUS], show_progress=False)
    wanted = [t for t in set(terms(query)) if t in reference.vocab_dict]
    assert np.allclose(our_scores(CORPUS, query), reference.get_scores(wanted), rtol=1e-5)


def test_rows_without_text_score_nothing():
    scores = our_scores(["", "Đăng ký thường trú", ""], "đăng ký")
    assert scores[0] == scores[2] == 0 and scores[1] > 0


def test_weighted_sum_adds_the_parts():
    vocab = Vocabulary()
    name_rows = [vocab.encode("đăng ký khai sinh"), vocab.encode("cấp hộ chiếu")]
    doc_rows = [vocab.encode("tờ khai"), vocab.encode("đăng ký")]
    names, docs = Part.build(name_rows, len(vocab)), Part.build(doc_rows, len(vocab))
    both = Part.weighted_sum([(names, 1.0), (docs, 0.5)], len(vocab))
    for term in ("dang_ki", "khai", "cap"):
        tid = vocab.ids[term]
        expected = np.zeros(2, dtype=np.float32)
        names.add_scores(expected, [(tid, 1.0)])
        docs.add_scores(expected, [(tid, 0.5)])
        got = np.zeros(2, dtype=np.float32)
        both.add_scores(got, [(tid, 1.0)])
        assert np.allclose(got, expected)
