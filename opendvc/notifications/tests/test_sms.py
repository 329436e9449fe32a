"""SMS text goes out unaccented in the GSM 7-bit alphabet, is counted in parts the way phones
and providers count them, and is cut with "..." when it would take too many parts."""

import pytest

from opendvc.notifications.sms import GSM_7, UCS_2, fit, is_gsm, parts, unaccent

# Every Vietnamese vowel with each of its five tone marks, and the letters with a breve,
# circumflex, horn or bar, in lower and upper case.
VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
BARE_LETTERS = "a" * 18 + "e" * 12 + "i" * 6 + "o" * 18 + "u" * 12 + "y" * 6 + "d"


def test_every_vietnamese_letter_folds_to_its_bare_letter_in_both_cases():
    assert len(VIETNAMESE_LETTERS) == len(BARE_LETTERS)
    assert unaccent(VIETNAMESE_LETTERS) == BARE_LETTERS
    assert unaccent(VIETNAMESE_LETTERS.upper()) == BARE_LETTERS.upper()


def test_a_sentence_keeps_its_case_digits_and_punctuation():
    text = "Hồ sơ 000.00.12.H56 đã được tiếp nhận! Hẹn trả: 17:00 04/12/2026 (Sở Tư pháp)."

    assert unaccent(text) == (
        "Ho so 000.00.12.H56 da duoc tiep nhan! Hen tra: 17:00 04/12/2026 (So Tu phap)."
    )


def test_decomposed_input_folds_like_composed_input():
    # Text pasted from some Mac and web sources arrives as letters plus combining marks.
    decomposed = "Nguyê\u0303n Thi\u0323 Ho\u0300ng Đư\u0301c"

    assert unaccent(decomposed) == "Nguyen Thi Hong Duc"


def test_typographic_quotes_dashes_and_ellipsis_become_ascii():
    text = "Lý do: “thiếu chữ ký” – xem ‘Tờ khai’ — bổ sung…\u00a0ngay"

    folded = unaccent(text)

    assert folded == "Ly do: \"thieu chu ky\" - xem 'To khai' - bo sung... ngay"
    assert is_gsm(folded)


def test_vietnamese_text_comes_out_as_pure_gsm_7():
    text = (
        "Ủy ban nhân dân tỉnh Bắc Ninh thông báo: hồ sơ của ông Đặng Văn Ưng về việc "
        "cấp Giấy chứng nhận quyền sử dụng đất đã được giải quyết xong; mời ông đến nhận kết quả."
    )

    assert parts(text).encoding == UCS_2
    assert parts(unaccent(text)).encoding == GSM_7


def test_a_gsm_message_fits_160_characters_in_one_part():
    assert parts("a" * 160) == parts("a" * 160).__class__(chars=160, parts=1, encoding=GSM_7)
    assert parts("a" * 161).parts == 2


def test_concatenated_gsm_parts_hold_153_characters_each():
    assert parts("a" * 306).parts == 2
    assert parts("a" * 307).parts == 3
    assert parts("a" * 459).parts == 3


@pytest.mark.parametrize("char", list("{}[]~^\\|€"))
def test_extension_characters_count_two(char):
    count = parts("a" * 158 + char)

    assert (count.chars, count.parts, count.encoding) == (160, 1, GSM_7)
    assert parts("a" * 159 + char).parts == 2


def test_an_extension_character_is_not_split_across_two_parts():
    # 152 plain characters leave one septet in the first part: the escape pair moves on.
    text = "a" * 152 + "€" + "a" * 152

    count = parts(text)

    assert count.chars == 306
    assert count.parts == 3


def test_text_with_diacritics_counts_as_ucs2_70_then_67():
    assert parts("Đ" * 70) == parts("Đ" * 70).__class__(chars=70, parts=1, encoding=UCS_2)
    assert parts("Đ" * 71).parts == 2
    assert parts("Đ" * 134).parts == 2
    assert parts("Đ" * 135).parts == 3


def test_one_vietnamese_letter_makes_the_whole_message_ucs2():
    text = "Ho so da duoc tiep nhan. " * 4 + "Hẹn"

    assert parts(unaccent(text)).parts == 1
    assert parts(text).encoding == UCS_2
    assert parts(text).parts == 2


def test_no_text_takes_no_part():
    assert parts("").parts == 0


def test_fit_leaves_short_text_alone():
    text = "Ho so 000.00.12.H56-261123-0001 da duoc tiep nhan."

    assert fit(text, 1) == text


def test_fit_cuts_at_a_word_and_ends_with_three_dots():
    text = unaccent(
        "Hồ sơ 000.00.12.H56-261123-0001 không được tiếp nhận. Lý do: hồ sơ không thuộc thẩm "
        "quyền giải quyết của Sở Tư pháp; đề nghị ông bà liên hệ Ủy ban nhân dân cấp xã nơi cư "
        "trú để được hướng dẫn nộp hồ sơ đúng nơi, đúng thủ tục theo quy định hiện hành."
    )
    assert parts(text).parts == 2

    cut = fit(text, 1)

    assert cut.endswith("...")
    assert parts(cut).parts == 1
    assert len(cut) > 140  # not cut shorter than it needs to be
    assert text.startswith(cut[:-3])
    assert text[len(cut) - 3] == " "  # the cut falls between words


def test_fit_counts_the_parts_it_is_given():
    text = "Thong bao " * 60

    cut = fit(text, 3)

    assert parts(cut).parts == 3
    assert cut.endswith("...") and len(cut) <= 459


def test_fit_keeps_the_dots_in_gsm():
    text = "Lệ phí đã nộp đủ, " * 10

    cut = fit(text, 1)

    assert "…" not in cut and cut.endswith("...")
    assert parts(cut).parts == 1  # counted as UCS-2: 70 characters
    assert len(cut) <= 70
