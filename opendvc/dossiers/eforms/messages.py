"""Coded errors: the validation error catalog shipped with the forms, and the few codes this
module adds for type errors the catalog does not cover (a date that is not a date…).

Messages and suggestions are interpolated with {label} and the hit's own parameters
({old}, {new}, {max}…); a parameter the text does not use is ignored, and one the hit does
not supply is left as written rather than raising.
"""

from __future__ import annotations

import json
import string
from dataclasses import asdict, dataclass
from functools import cache

from .spec import FORMS_DIR

BLOCKING = "error"  # warning and info never block submission

# Codes of our own, in the catalog's shape, for input the catalog has no words for.
EXTRA_CODES = {
    "E_LUA_CHON": {
        "type": "invalid_value",
        "severity": "error",
        "message": 'Giá trị đã chọn ở "{label}" không có trong danh sách.',
        "suggestion": "Chọn một giá trị trong danh sách của trường {label}.",
    },
    "E_NGAY": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" không phải là một ngày hợp lệ.',
        "suggestion": "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/03/2026.",
    },
    "E_SO": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" phải là một số hợp lệ.',
        "suggestion": "Chỉ ghi chữ số, không kèm đơn vị hay ký tự khác.",
    },
    "E_SO_KHOANG": {
        "type": "invalid_value",
        "severity": "error",
        "message": '"{label}" nằm ngoài khoảng cho phép.',
        "suggestion": "Kiểm tra lại giá trị đã nhập ở trường {label}.",
    },
    "E_DO_DAI": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" dài quá {max} ký tự.',
        "suggestion": "Rút gọn nội dung của trường {label}.",
    },
    "E_EMAIL": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" không phải là địa chỉ thư điện tử hợp lệ.',
        "suggestion": "Ghi theo dạng ten@mien.vn.",
    },
    "E_DIEN_THOAI": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" không phải là số điện thoại hợp lệ.',
        "suggestion": (
            "Ghi số điện thoại Việt Nam gồm 10 chữ số (ví dụ 0912345678) hoặc bắt đầu bằng +84."
        ),
    },
    "E_DINH_DANG": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" không đúng định dạng.',
        "suggestion": "Kiểm tra lại giá trị đã nhập ở trường {label}.",
    },
    "E_KIEU": {
        "type": "format",
        "severity": "error",
        "message": '"{label}" phải là một giá trị đơn (chữ hoặc số).',
        "suggestion": "Gửi giá trị của trường {label} dưới dạng chữ hoặc số.",
    },
    "E_XA_KHONG_THUOC_TINH": {
        "type": "conflict",
        "severity": "error",
        "message": '"{commune}" không thuộc {province}.',
        "suggestion": "Chọn lại xã/phường thuộc tỉnh/thành phố đã chọn.",
    },
    "E_SO_DONG": {
        "type": "invalid_value",
        "severity": "error",
        "message": '"{label}" có nhiều hơn {max} dòng.',
        "suggestion": "Kê khai tối đa {max} dòng; kê khai thêm trong giấy tờ đính kèm.",
    },
}


@dataclass(frozen=True)
class FormError:
    """One finding: `field` is the field's name (empty for the form as a whole)."""

    code: str
    field: str
    severity: str  # error, warning, info
    message: str
    suggestion: str
    type: str = ""

    @property
    def is_blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_json(self) -> dict:
        return asdict(self)


@cache
def catalog() -> dict[str, dict]:
    """Every coded error: the shipped catalog (keys starting with "_" are notes) and ours."""
    path = FORMS_DIR / "validation_error_catalog.json"
    shipped = json.loads(path.read_text(encoding="utf-8"))
    codes = {code: entry for code, entry in shipped.items() if not code.startswith("_")}
    return {**EXTRA_CODES, **codes}


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict) -> str:
    return string.Formatter().vformat(template, (), _Params(params))


def make_error(code: str, field: str = "", label: str = "", **params) -> FormError:
    entry = catalog()[code]
    values = {"label": label, **{k: str(v) for k, v in params.items()}}
    return FormError(
        code=code,
        field=field,
        severity=entry["severity"],
        message=_fill(entry["message"], values),
        suggestion=_fill(entry["suggestion"], values),
        type=entry["type"],
    )
