"""E-form specs: the five real forms shipped in opendvc/data/forms, and a form generated from
the catalog for every other procedure.

A spec is plain, frozen data (sections → fields) so a page can render it, an API can publish
it as JSON and the validator can read its rules. Checks that the source files leave implicit
(which text is an address, which date cannot be in the future, which pattern is which coded
error) are made explicit here, once, in `checks`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

FORMS_DIR = Path(__file__).resolve().parents[2] / "data" / "forms"

# The procedure (mã TTHC) each shipped form belongs to. The GPXD form is Mẫu số 01 of Decree
# 175/2024, used by 1.013225 "Cấp giấy phép xây dựng mới … và nhà ở riêng lẻ".
FORM_SLUGS = {
    "1.001193": "dang-ky-khai-sinh",
    "1.004222": "dang-ky-thuong-tru",
    "2.001610": "dang-ky-thanh-lap-dntn",
    "2.001955": "dang-ky-noi-quy-lao-dong",
    "1.013225": "cap-gpxd-nha-o-rieng-le",
}

# Option lists that are not in options.json: the 2025 administrative units, from the database.
PROVINCE_REF = "tinh"
COMMUNE_REF = "phuongXa"
MEMBER_TABLE = "member-table"

TEXT_MAX = 500
TEXTAREA_MAX = 4000

# A pattern in the source files → the coded error of the catalog that names it.
PATTERN_CODES = {
    "[0-9]{12}": "E_DINH_DANH_12",
    "[0-9]{10}": "E_MST_10",
    "[0-9]{4}": "ERR-DN-06",  # mã ngành cấp 4
}

# Fields holding a current address, where an old province or a district is a mistake. Issue
# places and registration places are history ("Công an tỉnh Hà Giang" did issue the card),
# so they are not checked.
_ADDRESS_NAMES = re.compile(
    r"dia_chi|noi_cu_tru|noi_sinh|que_quan|noi_thuong_tru|tru_so_chi_tiet|noi_dung_de_nghi"
    r"|noi_dung_yeu_cau|tai_so_nha|lam_tai"
)
# Dates of things that have already happened.
_PAST_DATE_NAMES = re.compile(r"ngay_sinh|nam_sinh|ngay_cap|ngay_dang_ky|ngay_ban_hanh")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str  # text, textarea, date, number, select, radio, checkbox, email, tel, member-table
    required: bool = False
    options: tuple[str, ...] = ()
    options_ref: str = ""
    max_length: int | None = None
    pattern: str = ""
    step: str = ""
    placeholder: str = ""
    default: str | None = None
    depends_on: str = ""
    input_mode: str = ""
    prefill: str = ""
    columns: tuple[FieldSpec, ...] = ()
    # Closed-set checks beyond type and required: "address", "past_date", "pattern:<code>".
    checks: tuple[str, ...] = ()

    @property
    def pattern_code(self) -> str:
        return PATTERN_CODES.get(self.pattern, "E_DINH_DANG") if self.pattern else ""


@dataclass(frozen=True)
class SectionSpec:
    legend: str
    fields: tuple[FieldSpec, ...]
    note: str = ""


@dataclass(frozen=True)
class FormSpec:
    slug: str
    title: str
    procedure_code: str
    sections: tuple[SectionSpec, ...]
    basis: str = ""  # the legal template (căn cứ mẫu)
    is_generated: bool = False
    note: str = ""

    def fields(self) -> list[FieldSpec]:
        return [f for section in self.sections for f in section.fields]

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields() if f.name == name), None)

    def as_json(self) -> dict:
        """The spec as JSON-ready data, for an API to publish."""
        return asdict(self)


def _checks(raw: dict) -> tuple[str, ...]:
    checks = []
    if raw["type"] in ("text", "textarea") and _ADDRESS_NAMES.search(raw["name"]):
        checks.append("address")
    if raw["type"] == "date" and _PAST_DATE_NAMES.search(raw["name"]):
        checks.append("past_date")
    return tuple(checks)


def _field(raw: dict, options: dict) -> FieldSpec:
    ref = raw.get("optionsRef", "")
    default = raw.get("defaultValue")
    max_length = raw.get("maxLength")
    if max_length is None and raw["type"] in ("text", "tel", "email"):
        max_length = TEXT_MAX
    elif max_length is None and raw["type"] == "textarea":
        max_length = TEXTAREA_MAX
    return FieldSpec(
        name=raw["name"],
        label=raw["label"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        options=tuple(raw.get("options") or options.get(ref, ())),
        options_ref=ref,
        max_length=max_length,
        pattern=raw.get("pattern", ""),
        step=raw.get("step", ""),
        placeholder=raw.get("placeholder", ""),
        default=None if default is None else str(default),
        depends_on=raw.get("dependsOn", ""),
        input_mode=raw.get("inputMode", ""),
        prefill=raw.get("prefill", ""),
        columns=tuple(_field(c, options) for c in raw.get("columns", ())),
        checks=_checks(raw),
    )


def _link_communes(fields: list[FieldSpec]) -> list[FieldSpec]:
    """A commune list with no declared province takes the section's province field, so the
    commune can be checked against it (the GPXD form lists phường/xã before tỉnh)."""
    province = next((f.name for f in fields if f.options_ref == PROVINCE_REF), "")
    return [
        replace(f, depends_on=province) if f.options_ref == COMMUNE_REF and not f.depends_on else f
        for f in fields
    ]


@cache
def _options() -> dict[str, list[str]]:
    return json.loads((FORMS_DIR / "options.json").read_text(encoding="utf-8"))


@cache
def load_real_spec(slug: str) -> FormSpec:
    """One of the shipped forms, by its file name (without .form.json)."""
    raw = json.loads((FORMS_DIR / f"{slug}.form.json").read_text(encoding="utf-8"))
    code = next(c for c, s in FORM_SLUGS.items() if s == slug)
    sections = tuple(
        SectionSpec(
            legend=s["legend"],
            note=s.get("note", ""),
            fields=tuple(_link_communes([_field(f, _options()) for f in s["fields"]])),
        )
        for s in raw["sections"]
    )
    return FormSpec(
        slug=raw["slug"],
        title=raw["tenToKhai"],
        procedure_code=code,
        sections=sections,
        basis=raw.get("canCuMau", ""),
    )


def real_specs() -> list[FormSpec]:
    return [load_real_spec(slug) for slug in FORM_SLUGS.values()]


GENERATED_NOTE = (
    "Giấy tờ trong thành phần hồ sơ được đính kèm riêng cho từng thành phần ở bước sau; "
    "tờ khai này chỉ ghi thông tin người nộp và nội dung yêu cầu."
)


# The generated form: who files, where they live (two levels since 2025), what they ask.
_APPLICANT = (
    FieldSpec(
        "ho_ten",
        "Họ, chữ đệm và tên",
        "text",
        required=True,
        max_length=100,
        prefill="user.hoTen",
    ),
    FieldSpec(
        "ngay_sinh",
        "Ngày, tháng, năm sinh",
        "date",
        required=True,
        prefill="user.ngaySinh",
        checks=("past_date",),
    ),
    FieldSpec(
        "so_dinh_danh_ca_nhan",
        "Số định danh cá nhân",
        "text",
        required=True,
        max_length=12,
        pattern="[0-9]{12}",
        input_mode="numeric",
        prefill="user.soDinhDanh",
    ),
    FieldSpec("dien_thoai", "Số điện thoại", "tel", required=True, max_length=20),
    FieldSpec("email", "Email", "email", max_length=254),
)
_ADDRESS = (
    FieldSpec(
        "tinh_thanh_pho", "Tỉnh/Thành phố", "select", required=True, options_ref=PROVINCE_REF
    ),
    FieldSpec(
        "phuong_xa",
        "Xã/Phường/Đặc khu",
        "select",
        required=True,
        options_ref=COMMUNE_REF,
        depends_on="tinh_thanh_pho",
    ),
    FieldSpec(
        "dia_chi_chi_tiet",
        "Số nhà, đường/phố, thôn/xóm",
        "text",
        required=True,
        max_length=TEXT_MAX,
        checks=("address",),
    ),
)
_REQUEST = (
    FieldSpec(
        "noi_dung_yeu_cau",
        "Nội dung yêu cầu",
        "textarea",
        required=True,
        max_length=TEXTAREA_MAX,
        checks=("address",),
    ),
)
GENERATED_SECTIONS = (
    SectionSpec("Thông tin người nộp hồ sơ", _APPLICANT),
    SectionSpec(
        "Địa chỉ liên hệ",
        _ADDRESS,
        note="Địa chỉ theo đơn vị hành chính từ 01/7/2025: tỉnh/thành phố và xã/phường.",
    ),
    SectionSpec("Nội dung yêu cầu", _REQUEST),
)


def _documents_note(case) -> str:
    if case is None:
        return GENERATED_NOTE
    names = [doc.name.strip() for doc in case.documents.all()]
    listed = "; ".join(name[:200] for name in names if name)
    return f"{GENERATED_NOTE} Thành phần hồ sơ: {listed}." if listed else GENERATED_NOTE


def get_form_spec(procedure, case=None) -> FormSpec:
    """The e-form of a procedure: its real form when one ships, else one generated from its
    catalog data (the applicant, a 2025 two-level address, the request). `case` (one of the
    procedure's ProcedureCase rows), when given, lists its documents in the note."""
    slug = FORM_SLUGS.get(procedure.code)
    if slug:
        return load_real_spec(slug)
    return FormSpec(
        slug=f"thu-tuc-{procedure.code}",
        title=f"Tờ khai: {procedure.name}",
        procedure_code=procedure.code,
        sections=GENERATED_SECTIONS,
        is_generated=True,
        note=_documents_note(case),
    )
