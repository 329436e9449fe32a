"""Page texts of the national portal (one procedure page per line, tables flattened)."""

from __future__ import annotations

from . import tables
from .reading import (
    BadRecord,
    clean,
    clean_block,
    informative,
    parse_code,
    split_outside_parentheses,
)

LEVEL_WORDS = {"cấp bộ": "BO", "cấp tỉnh": "TINH", "cấp xã": "XA"}
TEXT_KEYS = (
    "ten_thu_tuc", "cap_thuc_hien", "linh_vuc", "co_quan_thuc_hien", "trinh_tu_thuc_hien",
    "cach_thuc_thuc_hien", "thanh_phan_ho_so", "can_cu_phap_ly", "yeu_cau_dieu_kien",
    "ket_qua_xu_ly", "doi_tuong_thuc_hien", "so_quyet_dinh", "dia_chi_tiep_nhan",
)  # fmt: skip


def looks_like(row: dict) -> bool:
    return "ma_thu_tuc" in row


def levels_from(text: str) -> list[str]:
    words = [clean(word).lower() for word in text.split(",")]
    return [level for word, level in LEVEL_WORDS.items() if word in words]


def parse(row: dict) -> dict:
    code = parse_code(row.get("ma_thu_tuc"))
    if any(not isinstance(row.get(key, ""), str) for key in TEXT_KEYS):
        raise BadRecord("wrong types")
    field = informative(row.get("linh_vuc"))
    agency = informative(row.get("co_quan_thuc_hien"))
    channels, fees = tables.methods(row.get("cach_thuc_thuc_hien", ""))
    documents = tables.documents(row.get("thanh_phan_ho_so", ""))
    if documents is None:
        documents = _documents_as_text(row.get("thanh_phan_ho_so", ""))
    return {
        "code": code,
        "name": clean(row.get("ten_thu_tuc")),
        "fields": [{"name": field, "code": ""}] if field else [],
        "implementing": [{"name": agency, "code": ""}] if agency else [],
        "levels": levels_from(row.get("cap_thuc_hien", "")),
        "target_groups": split_outside_parentheses(informative(row.get("doi_tuong_thuc_hien"))),
        "decision_no": informative(row.get("so_quyet_dinh"))[:120],
        "steps": tables.steps(informative(row.get("trinh_tu_thuc_hien"))),
        "requirements": informative(row.get("yeu_cau_dieu_kien")),
        "legal_basis": tables.legal_basis(row.get("can_cu_phap_ly", "")),
        "results": tables.results(row.get("ket_qua_xu_ly", "")),
        "receiving_address": informative(row.get("dia_chi_tiep_nhan")),
        "channels": channels,
        "fees": fees,
        "documents": documents,
    }


def _documents_as_text(text: str) -> list[dict]:
    """A list without the table header: one document holding the text, not a guess."""
    text = informative(clean_block(text).strip("- "))
    if not text:
        return []
    return [
        {
            "group": "",
            "name": text,
            "original_qty": 0,
            "copy_qty": 0,
            "is_required": True,
            "forms": [],
        }
    ]
