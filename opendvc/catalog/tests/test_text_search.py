"""The Vietnamese search over small sets of texts finds what people type, with or without
diacritics and in colloquial words, and ranks texts holding every word first."""

from opendvc.catalog import text_search
from opendvc.catalog.text_search import TextIndex

ANSWERS = [
    (1, [("Cấp đổi giấy phép lái xe quá hạn", 2.0), ("Người dân hỏi thủ tục đổi bằng", 1.0)]),
    (2, [("Đăng ký khai sinh cho con", 2.0), ("Cần tờ khai và giấy chứng sinh", 1.0)]),
    (3, [("Đăng ký kết hôn", 2.0), ("Hai bên nam nữ cùng có mặt", 1.0)]),
    (4, [("Giấy chứng sinh bị mất", 2.0), ("Xin cấp lại giấy chứng sinh tại bệnh viện", 1.0)]),
]


def test_it_finds_texts_typed_without_diacritics_and_in_colloquial_words():
    index = TextIndex.build(ANSWERS)

    assert index.search("dang ky khai sinh")[0][0] == 2
    assert index.search("bằng lái")[0][0] == 1  # the synonym table: giấy phép lái xe
    assert index.search("ket hon")[0][0] == 3


def test_a_text_with_every_word_ranks_first_and_nothing_matches_nonsense():
    index = TextIndex.build(ANSWERS)

    found = [key for key, _ in index.search("giấy chứng sinh khai sinh")]
    assert found[0] == 2  # holds both "khai sinh" and "giấy chứng sinh"
    assert 4 in found
    assert index.search("xyzzy qwerty") == []
    assert TextIndex.build([]).search("khai sinh") == []


def test_the_cache_rebuilds_only_when_the_signature_changes():
    text_search.forget()
    builds = []

    def build():
        builds.append(1)
        return TextIndex.build(ANSWERS)

    first = text_search.cached("answers", (4, "t1"), build)
    again = text_search.cached("answers", (4, "t1"), build)
    changed = text_search.cached("answers", (5, "t2"), build)

    assert first is again and changed is not first
    assert len(builds) == 2
    text_search.forget()
