"""Ministry of Defence (BQP) procedure records, with their tables already parsed."""

from __future__ import annotations

import re

from . import tables
from .page_text import levels_from
from .reading import as_dict, clean, dicts, informative, parse_code, split_outside_parentheses

_TIME = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng)$", re.IGNORECASE)
_FEE = re.compile(r"(Lệ phí|Phí)\s*:\s*([^\n]*)")
_AMOUNT = re.compile(r"^(\d[\d.]*)\s*Đồng\b\s*(.*)$")
_COUNT = re.compile(r"Bản (chính|sao)\s*:\s*(\d+)", re.IGNORECASE)


def looks_like(row: dict) -> bool:
    return "thu_tuc_id" in row and "metadata" in row


def parse(row: dict) -> dict:
    code = parse_code(row.get("thu_tuc_id"))
    meta, content, table = (as_dict(row.get(key)) for key in ("metadata", "content", "tables"))
    field = informative(meta.get("lĩnh_vực"))
    agency = informative(content.get("cơ_quan_thực_hiện"))
    channels, fees = _methods(dicts(table.get("hinh_thuc_nop")))
    return {
        "code": code,
        "name": clean(meta.get("tên_thủ_tục")),
        "fields": [{"name": field, "code": ""}] if field else [],
        "implementing": [{"name": agency, "code": ""}] if agency else [],
        "levels": levels_from(clean(meta.get("cấp_thực_hiện"))),
        "target_groups": split_outside_parentheses(informative(content.get("đối_tượng_thực_hiện"))),
        "decision_no": informative(meta.get("số_quyết_định"))[:120],
        "steps": tables.steps(informative(content.get("trình_tự_thực_hiện"))),
        "requirements": informative(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        "legal_basis": [
            {"code": clean(item.get("so_ky_hieu")), "name": clean(item.get("trich_yeu"))}
            for item in dicts(table.get("can_cu_phap_ly"))
        ],
        "results": _results(informative(content.get("kết_quả_thực_hiện"))),
        "receiving_address": informative(content.get("địa_chỉ_tiếp_nhận_hs")),
        "channels": channels,
        "fees": fees,
        "documents": [_document(item) for item in dicts(table.get("thanh_phan_ho_so"))],
    }


def _results(text: str) -> list[dict]:
    return [{"code": "", "name": text}] if text else []


def _methods(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    channels, fees = [], []
    for row in rows:
        channel = tables.CHANNEL_NAMES.get(clean(row.get("hinh_thuc")))
        if not channel:
            continue
        time_text = informative(row.get("thoi_han_giai_quyet"))
        time = _TIME.match(time_text)
        channels.append(
            {
                "channel": channel,
                "amount": float(time.group(1).replace(",", ".")) if time else None,
                "unit": tables.UNIT_NAMES.get(time.group(2).lower(), "OTHER") if time else "OTHER",
                "text": time_text[:300],
                "description": informative(row.get("mo_ta")),
            }
        )
        fees += _fees(channel, str(row.get("phi_le_phi") or ""))
    return channels, fees


def _fees(channel: str, text: str) -> list[dict]:
    """ "Phí : 2.000.000 Đồng (Thẩm định…)" lines; a line whose amount is not a plain number
    keeps its text with amount 0."""
    result = []
    for word, value in _FEE.findall(text):
        value = clean(value)
        amount = _AMOUNT.match(value)
        result.append(
            {
                "channel": channel,
                "kind": "CHARGE" if word == "Lệ phí" else "FEE",
                "amount": int(amount.group(1).replace(".", "")) if amount else 0,
                "description": clean(amount.group(2)).strip("()") if amount else value,
            }
        )
    return result


def _document(item: dict) -> dict:
    counts = {
        kind.lower(): int(number) for kind, number in _COUNT.findall(clean(item.get("ghi_chu")))
    }
    form = clean(item.get("so_luong"))
    return {
        "group": "",
        "name": clean(item.get("ten_giay_to")),
        "original_qty": counts.get("chính", 0),
        "copy_qty": counts.get("sao", 0),
        "is_required": True,
        "forms": [{"name": form, "url": ""}] if form else [],
    }
