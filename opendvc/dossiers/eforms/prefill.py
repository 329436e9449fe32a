"""Pre-filling a new draft's e-form with what the applicant's account already says.

The account (full name, phone, e-mail) and its personal details (accounts.Profile: date of
birth, gender, CCCD, addresses in current units) give a few named values; each form maps its
own field names to them, once, here. Only fields about the applicant are mapped: the birth
form's `gioi_tinh` is the child's, the building permit's site is the plot, not the home.

Pre-filled values are only the form's first values: the applicant changes any of them, and
what was saved in the draft always wins (forms_citizen.eform_for). Nothing is pre-filled
unless the person at the keyboard is the draft's own applicant filing online: a desk officer
registering someone at the counter must not see their own details, nor anyone else's.
"""

from __future__ import annotations

from opendvc.accounts.models import Profile

from ..models import Dossier
from .spec import FormSpec

# The values an account can give, by name (see `_values`).
HO_TEN = "ho_ten"
HO_TEN_HOA = "ho_ten_hoa"  # in capitals, as the business registration form asks
NGAY_SINH = "ngay_sinh"  # ISO date, as form_data keeps dates
GIOI_TINH = "gioi_tinh"  # "Nam" / "Nữ", the forms' gioiTinh options
SO_CCCD = "so_cccd"
LOAI_GIAY_TO = "loai_giay_to"  # the kind of identity paper the number is on
DIEN_THOAI = "dien_thoai"
EMAIL = "email"
NOI_CU_TRU = "noi_cu_tru"  # the address in one line: street, commune, province
DIA_CHI = "dia_chi"  # the street part
PHUONG_XA = "phuong_xa"  # a current commune's code
TINH = "tinh"  # a current province's code
TEN_PHUONG_XA = "ten_phuong_xa"  # a current commune's name

# Each real form's fields (by its slug) → the value that fills it.
REAL_FORMS: dict[str, dict[str, str]] = {
    "dang-ky-khai-sinh": {
        "ho_ten_nguoi_yeu_cau": HO_TEN,
        "ngay_sinh_nguoi_yeu_cau": NGAY_SINH,
        "giay_to_tuy_than_loai": LOAI_GIAY_TO,
        "giay_to_tuy_than_so": SO_CCCD,
        "noi_cu_tru_nguoi_yeu_cau": NOI_CU_TRU,
        "lam_tai": TEN_PHUONG_XA,
    },
    "dang-ky-thuong-tru": {
        "ho_ten_khai_sinh": HO_TEN,
        "ngay_sinh": NGAY_SINH,
        "gioi_tinh": GIOI_TINH,
        "so_dinh_danh_ca_nhan": SO_CCCD,
        "so_dien_thoai_lien_he": DIEN_THOAI,
        "email": EMAIL,
    },
    "dang-ky-thanh-lap-dntn": {
        "ho_ten_chu_dntn": HO_TEN_HOA,
        "ngay_sinh_chu_dntn": NGAY_SINH,
        "gioi_tinh_chu_dntn": GIOI_TINH,
        "so_dinh_danh_ca_nhan": SO_CCCD,
        "dia_chi_lien_lac": DIA_CHI,
        "dia_chi_lien_lac_xa": PHUONG_XA,
        "dia_chi_lien_lac_tinh": TINH,
        "dien_thoai_chu_dntn": DIEN_THOAI,
        "email_chu_dntn": EMAIL,
    },
    "dang-ky-noi-quy-lao-dong": {
        "ho_ten_nguoi_dai_dien": HO_TEN,
        "dien_thoai_lien_he": DIEN_THOAI,
        "email_lien_he": EMAIL,
    },
    "cap-gpxd-nha-o-rieng-le": {
        "ten_chu_dau_tu": HO_TEN,
        "so_dinh_danh_ca_nhan": SO_CCCD,
        "so_dien_thoai": DIEN_THOAI,
        "lam_tai": TEN_PHUONG_XA,
    },
}
# The generated form of every other procedure (spec.GENERATED_SECTIONS).
GENERATED_FORM: dict[str, str] = {
    "ho_ten": HO_TEN,
    "ngay_sinh": NGAY_SINH,
    "so_dinh_danh_ca_nhan": SO_CCCD,
    "dien_thoai": DIEN_THOAI,
    "email": EMAIL,
    "tinh_thanh_pho": TINH,
    "phuong_xa": PHUONG_XA,
    "dia_chi_chi_tiet": DIA_CHI,
}
ID_CARD = "Căn cước công dân"  # an option of options.json "giayToTuyThan"


def mapping_for(spec: FormSpec) -> dict[str, str]:
    """The form's fields that an account can fill, and with what."""
    mapping = GENERATED_FORM if spec.is_generated else REAL_FORMS.get(spec.slug, {})
    return {name: source for name, source in mapping.items() if spec.field(name) is not None}


def _address(profile: Profile | None) -> tuple[str, object]:
    """The address to use (street, commune): where the person lives now, else their
    permanent residence. Street and commune always come from the same address."""
    if profile is None:
        return "", None
    for kind in ("current", "permanent"):
        commune = getattr(profile, f"{kind}_commune")
        if commune is not None:
            return getattr(profile, f"{kind}_street"), commune
    return "", None


def _values(user, profile: Profile | None) -> dict[str, str]:
    street, commune = _address(profile)
    province = commune.parent if commune is not None else None
    id_number = profile.id_number if profile else ""
    places = (street, commune.name if commune else "", province.name if province else "")
    return {
        HO_TEN: user.full_name,
        HO_TEN_HOA: user.full_name.upper(),
        NGAY_SINH: profile.birth_date.isoformat() if profile and profile.birth_date else "",
        GIOI_TINH: profile.gender if profile else "",
        SO_CCCD: id_number,
        LOAI_GIAY_TO: ID_CARD if id_number else "",
        DIEN_THOAI: user.phone or "",
        EMAIL: user.email or "",
        NOI_CU_TRU: ", ".join(place for place in places if place),
        DIA_CHI: street if commune is not None else "",
        PHUONG_XA: commune.code if commune is not None else "",
        TINH: province.code if province is not None else "",
        TEN_PHUONG_XA: commune.name if commune is not None else "",
    }


def _is_own_online_draft(dossier, user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and not user.is_official
        and dossier.applicant_id is not None
        and dossier.applicant_id == user.pk
        and dossier.channel == Dossier.Channel.ONLINE
    )


def initial_for(spec: FormSpec, *, dossier, user) -> dict[str, str]:
    """The first values of a draft's e-form, from its applicant's account; {} when the
    person at the keyboard is not the draft's own applicant filing online."""
    mapping = mapping_for(spec)
    if not mapping or not _is_own_online_draft(dossier, user):
        return {}
    profile = Profile.objects.with_places().filter(user=user).first()
    values = _values(user, profile)
    return {name: values[source] for name, source in mapping.items() if values[source]}
