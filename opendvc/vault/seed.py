"""The document types people keep, with how long each stays valid under the text that governs
it. Read by the data migration 0002 and by `opendvc setup_vault` (which adds types missing from
an older database without touching those an administrator edited)."""

P, U, M = "PERMANENT", "UNTIL_EXPIRY", "MONTHS_FROM_ISSUE"

# (code, name, validity, months)
DOCUMENT_TYPES = [
    ("CCCD", "Thẻ căn cước / Thẻ căn cước công dân", U, None),
    # Luật Căn cước 2023: a CMND is valid 15 years from issue, and no later than 31/12/2024.
    ("CMND", "Giấy chứng minh nhân dân", M, 180),
    ("HO_CHIEU", "Hộ chiếu phổ thông", U, None),
    ("KHAI_SINH", "Giấy khai sinh / Trích lục khai sinh", P, None),
    ("KET_HON", "Giấy chứng nhận kết hôn / Trích lục kết hôn", P, None),
    # Nghị định 123/2015/NĐ-CP, Điều 23: valid 6 months from issue.
    ("TINH_TRANG_HON_NHAN", "Giấy xác nhận tình trạng hôn nhân", M, 6),
    ("KHAI_TU", "Trích lục khai tử", P, None),
    ("CU_TRU", "Giấy xác nhận thông tin về cư trú", M, 6),
    # Most procedures ask for a record issued within the last 6 months.
    ("LY_LICH_TU_PHAP", "Phiếu lý lịch tư pháp", M, 6),
    # Thông tư 32/2023/TT-BYT: a health certificate is valid 12 months.
    ("KHAM_SUC_KHOE", "Giấy khám sức khỏe", M, 12),
    ("BHYT", "Thẻ bảo hiểm y tế", U, None),
    ("GPLX", "Giấy phép lái xe", U, None),
    ("BANG_THPT", "Bằng tốt nghiệp trung học phổ thông", P, None),
    ("BANG_DAI_HOC", "Bằng tốt nghiệp đại học, thạc sĩ, tiến sĩ", P, None),
    ("CHUNG_CHI", "Chứng chỉ (ngoại ngữ, tin học, hành nghề)", U, None),
    (
        "GCN_QSDD",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        P,
        None,
    ),
    ("GCN_DKDN", "Giấy chứng nhận đăng ký doanh nghiệp", P, None),
    ("GCN_DKHKD", "Giấy chứng nhận đăng ký hộ kinh doanh", P, None),
    ("KHAC", "Giấy tờ khác", U, None),
]


def setup(DocumentType) -> int:
    """Create the missing types; returns how many were created."""
    created = 0
    for position, (code, name, validity, months) in enumerate(DOCUMENT_TYPES, start=1):
        _, made = DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "validity": validity,
                "valid_months": months,
                "position": position * 10,
            },
        )
        created += made
    return created
