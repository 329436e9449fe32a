"""The closed-set rules that read more than one field or need outside data (the 2025
administrative units, today's date). Each rule takes the spec, the values that passed their
field's own checks, and today, and yields FormErrors; a rule never guesses, so anything it
cannot read with certainty gives no finding."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from opendvc.directory.models import AdminUnit

from .fields import OldProvince
from .messages import FormError, make_error
from .provinces import old_provinces_in_text
from .spec import COMMUNE_REF, FormSpec
from .words import amount_in_words

Rule = Callable[[FormSpec, dict, date], Iterator[FormError]]

# A district written out: "quận Ba Đình", "huyện Vị Xuyên", "thị xã Sơn Tây". With
# diacritics only: "quan" without them is also the "quan" of "cơ quan".
_DISTRICT = re.compile(r"(?i)(?<!\w)(quận|huyện|thị xã)\s+\w")
NQ_MIN_WORKERS = 10  # Labour Code 2019 Art. 118: registration is required from 10 workers
NQ_DEADLINE_DAYS = 10  # Art. 119: within 10 days of issuing the rules


def _label(spec: FormSpec, name: str) -> str:
    field = spec.field(name)
    return field.label if field else name


def old_province_selected(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    for name, value in data.items():
        if isinstance(value, OldProvince):
            yield make_error(
                "E_TINH_SAP_NHAP", name, _label(spec, name), old=value, new=value.new_name
            )


def addresses(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    for field in spec.fields():
        text = data.get(field.name)
        if "address" not in field.checks or not isinstance(text, str) or not text:
            continue
        for old, unit in old_provinces_in_text(text):
            yield make_error("E_TINH_SAP_NHAP", field.name, field.label, old=old, new=unit.name)
        if _DISTRICT.search(text):
            yield make_error("E_CAP_HUYEN", field.name, field.label)


def past_dates(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    for field in spec.fields():
        value = data.get(field.name)
        if "past_date" in field.checks and isinstance(value, date) and value > today:
            yield make_error("E_NGAY_TUONG_LAI", field.name, field.label)


def communes_in_province(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    for field in spec.fields():
        commune, province = data.get(field.name), data.get(field.depends_on)
        if field.options_ref != COMMUNE_REF or not commune or not province:
            continue
        if isinstance(province, OldProvince):
            continue  # the province's own error says what to fix first
        unit = AdminUnit.objects.filter(code=commune).select_related("parent").first()
        if unit is not None and (unit.parent is None or unit.parent.code != province):
            parent = AdminUnit.objects.filter(code=province).first()
            yield make_error(
                "E_XA_KHONG_THUOC_TINH",
                field.name,
                field.label,
                commune=unit.name,
                province=parent.name if parent else province,
            )


def required_when(name: str, other: str, value: str) -> Rule:
    """`name` is required when `other` holds `value` (e.g. copies asked for → how many)."""

    def rule(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
        if data.get(other) == value and data.get(name) in (None, ""):
            yield make_error("E_REQUIRED", name, _label(spec, name))

    return rule


def parents_named(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    if not (data.get("ho_ten_me") or data.get("ho_ten_cha")):
        yield make_error("E_KS_CHA_ME", "ho_ten_me", _label(spec, "ho_ten_me"))


CAPITAL = "von_dau_tu_bang_so"


def capital_parts(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    total = data.get(CAPITAL)
    if total is None:
        return
    for field in spec.fields():
        part = data.get(field.name)
        if field.name.startswith("gop_von_") and part is not None and part > total:
            yield make_error("E_GOP_VON_VUOT_TONG", field.name, field.label)


def capital_in_words(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    total, words = data.get(CAPITAL), data.get("von_dau_tu_bang_chu")
    said = amount_in_words(words) if words else None
    if total is not None and said is not None and said != total:
        yield make_error("E_SO_CHU_LECH", "von_dau_tu_bang_chu", _label(spec, CAPITAL))


def few_workers(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    workers = data.get("tong_so_lao_dong")
    if workers is not None and workers < NQ_MIN_WORKERS:
        yield make_error(
            "ERR-NQ-01", "tong_so_lao_dong", _label(spec, "tong_so_lao_dong"), so_lao_dong=workers
        )


def late_registration(spec: FormSpec, data: dict, today: date) -> Iterator[FormError]:
    issued = data.get("ngay_ban_hanh_noi_quy")
    if isinstance(issued, date) and (today - issued).days > NQ_DEADLINE_DAYS:
        yield make_error(
            "ERR-NQ-08",
            "ngay_ban_hanh_noi_quy",
            _label(spec, "ngay_ban_hanh_noi_quy"),
            ngay_ban_hanh=f"{issued:%d/%m/%Y}",
            ngay_hien_tai=f"{today:%d/%m/%Y}",
        )


COMMON_RULES: tuple[Rule, ...] = (
    old_province_selected,
    addresses,
    past_dates,
    communes_in_province,
)
FORM_RULES: dict[str, tuple[Rule, ...]] = {
    "dang-ky-khai-sinh": (
        parents_named,
        required_when("so_luong_ban_sao", "de_nghi_cap_ban_sao", "Có"),
    ),
    "dang-ky-thanh-lap-dntn": (
        capital_parts,
        capital_in_words,
        required_when("ten_hkd", "tinh_trang_thanh_lap", "Chuyển đổi từ hộ kinh doanh"),
        required_when("so_gcn_hkd", "tinh_trang_thanh_lap", "Chuyển đổi từ hộ kinh doanh"),
    ),
    "dang-ky-noi-quy-lao-dong": (few_workers, late_registration),
}


def run_rules(spec: FormSpec, data: dict, today: date) -> list[FormError]:
    found = []
    for rule in (*COMMON_RULES, *FORM_RULES.get(spec.slug, ())):
        found.extend(rule(spec, data, today))
    return found
