import os

import pytest

from opendvc.core.text import (
    SynonymTable,
    default_synonyms,
    expand_synonyms,
    fold,
    folded_terms,
    normalize,
    split_terms,
    syllables,
    terms,
)


def test_normalize_composes_lowercases_and_turns_punctuation_into_spaces():
    decomposed = "Đăng ky\u0301  KHAI   sinh!!"  # "ký" typed as y + combining acute
    assert normalize(decomposed) == "đăng ký khai sinh"
    assert normalize("Giấy phép (lái xe); ô-tô") == "giấy phép lái xe ô tô"


def test_normalize_keeps_d_stroke_and_diacritics():
    assert normalize("Đất đai") == "đất đai"


def test_normalize_keeps_codes_and_dates_as_one_word():
    assert normalize("Mã 1.001193, ngày 30/4/1975") == "mã 1.001193 ngày 30/4/1975"


def test_normalize_writes_new_tone_placement_the_old_way():
    assert normalize("Hoà giải thuỷ sản, Uỷ ban, khoẻ") == "hòa giải thủy sản ủy ban khỏe"
    assert normalize("quý") == "quý"  # "qu" is one consonant: the mark stays on y


def test_fold_strips_diacritics_and_d_stroke():
    assert fold("Đăng ký thường trú") == "dang ki thuong tru"
    assert fold("ĐỒNG NAI") == "dong nai"


def test_fold_spells_final_y_after_a_consonant_as_i():
    assert fold("đăng ký") == fold("đăng kí")
    assert fold("lý lịch") == fold("lí lịch")
    assert fold("y tế") == "y te"  # a lone y is a vowel, not a spelling variant
    assert fold("thủy") == "thuy"


@pytest.mark.parametrize(
    "text", ["", "   ", "!!!", "😀🎉", "\x00\x07\u200b", "<script>alert(1)</script>"]
)
def test_odd_text_never_raises(text):
    assert isinstance(normalize(text), str)
    assert isinstance(fold(text), str)
    assert isinstance(terms(text), list)
    assert isinstance(expand_synonyms(text, SynonymTable([])), str)


def test_syllables_split_on_spaces_after_normalizing():
    assert syllables("Cấp  lại, thẻ căn cước") == ["cấp", "lại", "thẻ", "căn", "cước"]


def test_terms_are_syllables_and_bigrams_folded_and_accented():
    assert terms("giấy phép lái xe") == [
        "giay",
        "phep",
        "lai",
        "xe",
        "giay_phep",
        "phep_lai",
        "lai_xe",
        "giấy",
        "phép",
        "lái",
        "giấy_phép",
        "phép_lái",
        "lái_xe",
    ]


def test_folded_terms_are_the_terms_without_accents():
    assert folded_terms("Giấy phép lái xe") == split_terms("giấy phép lái xe")[0]


def test_query_without_diacritics_shares_the_folded_terms():
    plain, marked = split_terms("giay phep lai xe")
    assert marked == []
    assert set(plain) <= set(terms("Giấy phép lái xe"))


def test_accented_words_differ_from_their_homographs():
    # "lái" (drive) and "lại" (again) fold the same but keep distinct accented terms.
    assert "lái" in terms("lái xe") and "lái" not in terms("lại xe")


TABLE = SynonymTable.parse(
    """
    # comment line
    nhập hộ khẩu, nhập khẩu = đăng ký thường trú
    hộ khẩu = thường trú
    làm = đăng ký | cấp
    xin giấy = cấp giấy
    giấy phép xây nhà = giấy phép xây dựng nhà ở riêng lẻ
    cần giấy tờ gì, gì =
    """
)


def test_synonyms_replace_everyday_words():
    assert expand_synonyms("nhập hộ khẩu", TABLE) == "đăng ký thường trú"
    assert expand_synonyms("Hộ khẩu", TABLE) == "thường trú"


def test_synonyms_match_a_query_typed_without_diacritics():
    assert expand_synonyms("nhap ho khau", TABLE) == "đăng ký thường trú"


def test_synonyms_do_not_match_a_differently_accented_word():
    assert expand_synonyms("lâm sản", TABLE) == "lâm sản"
    assert expand_synonyms("làm sản", TABLE) == "đăng ký cấp sản"


def test_synonyms_prefer_the_longest_phrase_anywhere():
    assert expand_synonyms("xin giấy phép xây nhà", TABLE) == (
        "xin giấy phép xây dựng nhà ở riêng lẻ"
    )


def test_synonyms_with_an_empty_side_drop_question_words():
    assert expand_synonyms("Đăng ký kết hôn cần giấy tờ gì?", TABLE) == "đăng ký kết hôn"


def test_synonyms_keep_words_no_rule_covers():
    assert expand_synonyms("cấp hộ chiếu phổ thông", TABLE) == "cấp hộ chiếu phổ thông"


def test_shipped_synonym_table_maps_the_common_everyday_words():
    table = default_synonyms()
    assert expand_synonyms("nhập hộ khẩu", table) == "đăng ký thường trú"
    assert "giấy phép lái xe" in expand_synonyms("bằng lái", table)
    assert "tình trạng hôn nhân" in expand_synonyms("giấy độc thân", table)
    assert "quyền sử dụng đất" in expand_synonyms("sổ đỏ", table)


def test_synonym_file_is_read_again_when_it_changes(settings, tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("bằng lái = giấy phép lái xe\n", encoding="utf-8")
    settings.OPENDVC_SYNONYMS_FILE = str(path)
    assert expand_synonyms("bằng lái") == "giấy phép lái xe"
    path.write_text("bằng lái = văn bằng\n", encoding="utf-8")
    os.utime(path, (1, 1))  # a new mtime even within the file system's time resolution
    assert expand_synonyms("bằng lái") == "văn bằng"
