"""Reading one field of a line: each reader returns a clean value or raises BadLine with a
reason an operator can act on (which field, what was wrong)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

MISSING = object()


class BadLine(Exception):
    """A line that cannot be imported; the message is the reason shown to the operator."""


def present(row: dict, key: str) -> Any:
    value = row.get(key, MISSING)
    if value is MISSING or value is None or value == "" or value == []:
        raise BadLine(f"thiếu trường “{key}”")
    return value


def text(row: dict, key: str, *, max_length: int, required: bool = False) -> str:
    value = present(row, key) if required else row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadLine(f"trường “{key}” phải là chuỗi")
    value = value.strip()
    if required and not value:
        raise BadLine(f"thiếu trường “{key}”")
    if len(value) > max_length:
        raise BadLine(f"trường “{key}” dài quá {max_length} ký tự")
    return value


def flag(row: dict, key: str) -> bool:
    value = row.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadLine(f"trường “{key}” phải là true hoặc false")
    return value


def integer(value: Any, key: str) -> int:
    # bool is an int in Python; a legacy `true` is not a status.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadLine(f"trường “{key}” phải là số nguyên")
    return value


def status(value: Any, key: str) -> int:
    value = integer(value, key)
    if not 1 <= value <= 10:
        raise BadLine(f"trạng thái {value} ở “{key}” không hợp lệ (phải từ 1 đến 10)")
    return value


def moment(value: Any, key: str) -> datetime:
    """An ISO 8601 timestamp with its offset; a time without one is ambiguous, so refused."""
    if not isinstance(value, str):
        raise BadLine(f"thời điểm “{key}” không hợp lệ: phải là chuỗi ISO 8601")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadLine(f"thời điểm “{key}” không hợp lệ: “{value[:40]}”") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise BadLine(f"thời điểm “{key}” thiếu múi giờ (ví dụ +07:00): “{value[:40]}”")
    return parsed


def optional_moment(row: dict, key: str, *, where: str = "") -> datetime | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    return moment(value, where or key)


def objects(row: dict, key: str) -> list[dict]:
    value = row.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadLine(f"trường “{key}” phải là danh sách đối tượng")
    return value


def email(row: dict) -> str:
    value = text(row, "email", max_length=254)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise BadLine(f"địa chỉ thư điện tử không hợp lệ: “{value}”") from None
    return value


def url(row: dict, key: str) -> str:
    value = text(row, key, max_length=500)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise BadLine(f"địa chỉ “{key}” không hợp lệ") from None
    return value
