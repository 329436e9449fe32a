"""Import of the 2025 administrative units (34 provinces, 3,321 communes) from the CSV of the
vietnamadminunits package, cross-checked against the national portal's province list."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from opendvc.audit.actions import record

from .models import AdminUnit

DATA_DIR = Path(settings.PACKAGE_DIR) / "data" / "admin_units"
DEFAULT_CSV = DATA_DIR / "vnadminunits_wards_2025_with_coords.csv"
DEFAULT_PORTAL_JSON = DATA_DIR / "dvc_portal_provinces_34.json"

REQUIRED_COLUMNS = (
    "province", "ward", "provinceShort", "wardShort", "wardType", "provinceCode",
    "provinceLat", "provinceLon", "wardCode", "wardLat", "wardLon", "wardAreaKm2",
    "provinceKey", "wardKey",
)  # fmt: skip
WARD_TYPES = {"Xã", "Phường", "Đặc khu"}
# The fields compared to decide whether a stored unit must be updated.
UNIT_FIELDS = (
    "name", "short_name", "unit_type", "level", "parent_id", "key",
    "latitude", "longitude", "area_km2", "aliases",
)  # fmt: skip
UPDATE_FIELDS = [name.removesuffix("_id") for name in UNIT_FIELDS]


class AdminUnitImportError(Exception):
    """The file cannot be imported; `errors` name each bad line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportSummary:
    provinces: int = 0
    communes: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_payload(self) -> dict:
        return {
            "provinces": self.provinces,
            "communes": self.communes,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": self.warnings,
        }


@dataclass
class _Row:
    province: dict
    commune: dict


def _number(value: str, what: str, *, optional: bool = False) -> float | None:
    value = value.strip()
    if not value and optional:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{what} không phải là số: {value!r}") from None


def _aliases(*raw: str) -> list[str]:
    seen: list[str] = []
    for text in raw:
        for alias in json.loads(text) if text.strip() else []:
            if alias and alias not in seen:
                seen.append(alias)
    return seen


def _parse_row(row: dict) -> _Row:
    missing = [name for name in REQUIRED_COLUMNS if name != "wardAreaKm2" and not row.get(name)]
    if missing:
        raise ValueError(f"thiếu giá trị cột {', '.join(missing)}")
    province_code, ward_code = row["provinceCode"].strip(), row["wardCode"].strip()
    if not re.fullmatch(r"\d{2}", province_code):
        raise ValueError(f"mã tỉnh không hợp lệ: {province_code!r}")
    if not re.fullmatch(r"\d{5}", ward_code):
        raise ValueError(f"mã xã không hợp lệ: {ward_code!r}")
    if row["wardType"] not in WARD_TYPES:
        raise ValueError(f"loại đơn vị không hợp lệ: {row['wardType']!r}")
    try:
        province_aliases = _aliases(row.get("provinceAlias", ""), row.get("provinceKeywords", ""))
        ward_aliases = _aliases(row.get("wardAlias", ""), row.get("wardKeywords", ""))
    except (json.JSONDecodeError, TypeError):
        raise ValueError("cột bí danh không phải danh sách JSON") from None
    name = row["province"].strip()
    province = {
        "code": province_code,
        "name": name,
        "short_name": row["provinceShort"].strip(),
        "unit_type": "Thành phố" if name.startswith("Thành phố") else "Tỉnh",
        "level": AdminUnit.Level.PROVINCE,
        "parent_id": None,
        "key": row["provinceKey"].strip(),
        "latitude": _number(row["provinceLat"], "vĩ độ tỉnh"),
        "longitude": _number(row["provinceLon"], "kinh độ tỉnh"),
        "area_km2": None,
        "aliases": [a for a in province_aliases if a != row["provinceKey"]],
    }
    commune = {
        "code": ward_code,
        "name": row["ward"].strip(),
        "short_name": row["wardShort"].strip(),
        "unit_type": row["wardType"],
        "level": AdminUnit.Level.COMMUNE,
        "key": row["wardKey"].strip(),
        "latitude": _number(row["wardLat"], "vĩ độ xã"),
        "longitude": _number(row["wardLon"], "kinh độ xã"),
        "area_km2": _number(row["wardAreaKm2"], "diện tích", optional=True),
        "aliases": [a for a in ward_aliases if a != row["wardKey"]],
    }
    return _Row(province, commune)


def read_units(path: Path) -> tuple[dict[str, dict], list[tuple[str, dict]]]:
    """Parse the file: provinces by code, and (province code, commune) pairs.
    Raises AdminUnitImportError listing every bad line; nothing is half-read."""
    errors: list[str] = []
    provinces: dict[str, dict] = {}
    communes: list[tuple[str, dict]] = []
    seen_codes: set[str] = set()
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise AdminUnitImportError([f"Không mở được tệp {path}: {error.strerror}"]) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            absent = [n for n in REQUIRED_COLUMNS if n not in (reader.fieldnames or [])]
            if absent:
                raise AdminUnitImportError([f"Dòng 1: thiếu cột {', '.join(absent)}"])
            for row in reader:
                try:
                    if None in row or any(value is None for value in row.values()):
                        raise ValueError("số cột không khớp với dòng tiêu đề")
                    parsed = _parse_row(row)
                    _check_consistent(parsed, provinces, seen_codes)
                except ValueError as error:
                    errors.append(f"Dòng {reader.line_num}: {error}")
                    continue
                provinces.setdefault(parsed.province["code"], parsed.province)
                seen_codes.add(parsed.commune["code"])
                communes.append((parsed.province["code"], parsed.commune))
        except (UnicodeDecodeError, csv.Error) as error:
            # The reader cannot go on past such a line, so it ends the check.
            line = reader.line_num + 1
            errors.append(f"Dòng {line}: không đọc được (tệp phải là CSV mã UTF-8): {error}")
    if errors:
        raise AdminUnitImportError(errors)
    return provinces, communes


def _check_consistent(parsed: _Row, provinces: dict[str, dict], seen: set[str]) -> None:
    known = provinces.get(parsed.province["code"])
    if known and known["name"] != parsed.province["name"]:
        raise ValueError(
            f"mã tỉnh {known['code']} đã gắn với {known['name']!r}, "
            f"nay là {parsed.province['name']!r}"
        )
    if parsed.commune["code"] in seen:
        raise ValueError(f"mã xã {parsed.commune['code']} bị trùng")


def _portal_names(portal_json: Path) -> dict[str, str] | None:
    try:
        portal = json.loads(Path(portal_json).read_text(encoding="utf-8"))
        return {row["code"]: row["name"] for row in portal["data"]["rows"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_against_portal(provinces: dict[str, dict], portal_json: Path) -> list[str]:
    """Compare the file's provinces with the national portal's list. The portal is the
    newer official source, so where a name differs its name is taken (the file's name is
    kept as an alias). Returns the differences as warnings."""
    expected = _portal_names(portal_json)
    if expected is None:
        return [f"Không đọc được danh sách tỉnh của Cổng DVC quốc gia ({portal_json})."]
    warnings = []
    for code, name in sorted(expected.items()):
        province = provinces.get(code)
        if province is None:
            warnings.append(f"Tỉnh {code} {name} có trên Cổng DVC nhưng không có trong tệp.")
        elif province["name"] != name:
            warnings.append(
                f"Tỉnh {code}: tệp ghi {province['name']!r}, Cổng DVC ghi {name!r}; "
                "dùng tên của Cổng DVC."
            )
            province["aliases"] = [*province["aliases"], province["name"]]
            province["name"] = name
            province["unit_type"] = "Thành phố" if name.startswith("Thành phố") else "Tỉnh"
    for code in sorted(set(provinces) - set(expected)):
        warnings.append(f"Tỉnh {code} {provinces[code]['name']} không có trên Cổng DVC.")
    return warnings


def _upsert(values: Iterable[dict], existing: dict[str, AdminUnit], summary: ImportSummary) -> None:
    to_create, to_update = [], []
    for data in values:
        unit = existing.get(data["code"])
        if unit is None:
            to_create.append(AdminUnit(**data))
            continue
        changed = [name for name in UNIT_FIELDS if getattr(unit, name) != data[name]]
        for name in changed:
            setattr(unit, name, data[name])
        if changed:
            to_update.append(unit)
        else:
            summary.unchanged += 1
    AdminUnit.objects.bulk_create(to_create, batch_size=500)
    AdminUnit.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=500)
    summary.created += len(to_create)
    summary.updated += len(to_update)


def import_admin_units(
    *,
    path: Path = DEFAULT_CSV,
    portal_json: Path = DEFAULT_PORTAL_JSON,
    actor=None,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
) -> ImportSummary:
    """Create or update the provinces and communes of the file, in one transaction, and
    record one audit entry. Raises AdminUnitImportError (nothing saved) on a bad file."""
    provinces, communes = read_units(Path(path))
    summary = ImportSummary(provinces=len(provinces), communes=len(communes))
    summary.warnings = check_against_portal(provinces, portal_json)
    with transaction.atomic():
        existing = {unit.code: unit for unit in AdminUnit.objects.all()}
        _upsert(provinces.values(), existing, summary)
        province_ids = dict(AdminUnit.objects.provinces().values_list("code", "pk"))
        for province_code, commune in communes:
            commune["parent_id"] = province_ids[province_code]
        _upsert(progress([commune for _, commune in communes]), existing, summary)
        record(
            action="directory.admin_units_imported",
            actor=actor,
            target_type="directory.adminunit",
            payload={"file": Path(path).name, **summary.as_payload()},
        )
    return summary
