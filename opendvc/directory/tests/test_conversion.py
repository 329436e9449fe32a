"""Old → new addresses on real examples of the 2025 reorganisation."""

import pytest

from opendvc.directory.conversion import Unit, convert_address, new_province_for_old

BAC_NINH = Unit("24", "Tỉnh Bắc Ninh")
HA_NOI = Unit("01", "Thành phố Hà Nội")


@pytest.mark.parametrize(
    "province, district, ward",
    [
        ("Tỉnh Bắc Giang", "Thành phố Bắc Giang", "Phường Thọ Xương"),
        ("bac giang", "tp bac giang", "tho xuong"),
        ("BẮC GIANG", None, "Phường Thọ Xương"),
    ],
)
def test_an_old_ward_of_bac_giang_is_now_in_bac_ninh(province, district, ward):
    result = convert_address(province, district, ward)

    assert result.province == BAC_NINH
    assert result.commune == Unit("07210", "Phường Bắc Giang")
    assert result.candidates == ()
    assert not result.is_split
    assert result.matched["wards"] == ["phuongthoxuong"]


def test_a_ward_moved_to_another_district_before_2025_is_still_found():
    # Xã Tân An of Huyện Yên Dũng became Phường Tân An of Thành phố Bắc Giang in 2025.
    result = convert_address("Tỉnh Bắc Giang", "Huyện Yên Dũng", "Xã Tân An")

    assert result.commune == Unit("07682", "Phường Tân An")
    assert result.matched["district_recognised"] is False


def test_a_district_level_address_of_ha_noi_lists_the_new_wards():
    result = convert_address("Thành phố Hà Nội", "Quận Hoàn Kiếm")

    assert result.province == HA_NOI
    assert result.commune is None
    assert Unit("00070", "Phường Hoàn Kiếm") in result.candidates
    assert Unit("00082", "Phường Cửa Nam") in result.candidates
    assert len(result.candidates) == 5
    assert result.matched["district"] == "quanhoankiem"


def test_a_split_ward_gives_the_default_new_ward_and_the_other_candidates():
    result = convert_address("Thành phố Cần Thơ", "Huyện Thới Lai", "Xã Tân Thạnh")

    assert result.is_split
    assert result.commune == Unit("31288", "Xã Trường Thành")
    assert result.candidates == (Unit("31666", "Xã Tân Thạnh"),)


def test_names_that_fold_alike_are_told_apart_by_their_diacritics():
    tam_dan = convert_address("Quảng Nam", "Huyện Phú Ninh", "Xã Tam Dân")
    tam_dan_2 = convert_address("Quảng Nam", "Huyện Phú Ninh", "Xã Tam Đàn")

    assert tam_dan.province == Unit("48", "Thành phố Đà Nẵng")
    assert tam_dan.commune == Unit("20392", "Xã Phú Ninh")
    assert tam_dan_2.commune == Unit("20364", "Xã Chiên Đàn")


def test_a_province_only_address_gives_the_new_province():
    result = convert_address("Thừa Thiên Huế")

    assert result.province == Unit("46", "Thành phố Huế")
    assert result.commune is None


def test_new_province_for_old_names():
    assert new_province_for_old("Tỉnh Hà Giang") == Unit("08", "Tỉnh Tuyên Quang")
    assert new_province_for_old("bac giang") == BAC_NINH
    assert new_province_for_old("Bắc Ninh") == BAC_NINH
    assert new_province_for_old("Đồng Nai") == Unit("75", "Thành phố Đồng Nai")
    assert new_province_for_old("Atlantis") is None


@pytest.mark.parametrize(
    "province, district, ward",
    [
        ("", None, None),
        ("Atlantis", "Quận 1", "Phường 1"),
        ("<script>alert(1)</script>", "'; DROP TABLE x; --", "\x00😀"),
        ("Bắc Giang", "Huyện Không Có", "Xã Không Có"),
    ],
)
def test_unknown_or_odd_input_never_raises(province, district, ward):
    result = convert_address(province, district, ward)

    assert result.commune is None
    assert result.found == (result.province is not None)


@pytest.mark.parametrize("district, ward", [("Quận 3", "Phường 9"), ("Q3", "P.09"),
                                            ("quan 03", "phuong 9")])  # fmt: skip
def test_numbered_districts_and_wards_with_or_without_leading_zeros(district, ward):
    result = convert_address("TP. Hồ Chí Minh", district, ward)

    assert result.province == Unit("79", "Thành phố Hồ Chí Minh")
    assert result.commune == Unit("27142", "Phường Nhiêu Lộc")
