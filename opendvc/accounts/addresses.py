"""A typed address (xã/phường, quận/huyện, tỉnh/thành phố) → one current commune.

A current address (no district since 1/7/2025) is looked up among the current units. An old
address (a district given, or an old province) goes through the directory's old → new
conversion. When the old ward was split, or the names fit several communes, the person
chooses: the answer lists the candidates and no commune is picked for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from opendvc.directory.conversion import (
    PROVINCE_ALIASES,
    PROVINCE_PREFIXES,
    WARD_PREFIXES,
    convert_address,
    new_province_for_old,
)
from opendvc.directory.models import AdminUnit
from opendvc.directory.text import key


@dataclass(frozen=True)
class Resolved:
    commune: AdminUnit | None = None  # the one current commune
    choices: tuple[AdminUnit, ...] = ()  # the current communes the person must choose among
    old_name: str = ""  # the old address as typed, when it was converted
    error: str = ""


def _bare(text: str, prefixes: tuple[str, ...]) -> str:
    folded = key(text)
    for prefix in prefixes:
        rest = folded[len(prefix) :]
        # "P9" is Phường 9, but "Phú" does not start with the one-letter prefix "p".
        if folded.startswith(prefix) and rest and (len(prefix) > 1 or rest[0].isdigit()):
            return rest
    return folded


def _current_province(name: str) -> AdminUnit | None:
    """The current province `name` names (or a common alias of it: "tphcm", "Huế");
    None for an old province's name."""
    unit = new_province_for_old(name)
    if unit is None:
        return None
    bare = _bare(name, PROVINCE_PREFIXES)
    aliased = PROVINCE_ALIASES.get(bare) == key(unit.name)
    if bare != _bare(unit.name, PROVINCE_PREFIXES) and not aliased:
        return None
    return AdminUnit.objects.provinces().filter(code=unit.code).first()


def _current_communes(province: AdminUnit, name: str) -> list[AdminUnit]:
    """Communes of `province` named `name`: with its diacritics first, then folded, then
    without the "Xã"/"Phường" prefix. Several only when names fold alike."""
    communes = list(AdminUnit.objects.communes().filter(parent=province))
    stages = (
        lambda u: u.name.casefold() == name.strip().casefold(),
        lambda u: key(u.name) == key(name),
        lambda u: _bare(u.name, WARD_PREFIXES) == _bare(name, WARD_PREFIXES),
    )
    for stage in stages:
        found = [u for u in communes if stage(u)]
        if found:
            return found
    return []


def _units(codes: list[str]) -> list[AdminUnit]:
    communes = AdminUnit.objects.communes().select_related("parent")
    by_code = communes.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes if code in by_code]


def resolve(*, commune: str, district: str, province: str) -> Resolved:
    """The current commune of a typed address, the communes to choose among, or an error."""
    commune, district, province = commune.strip(), district.strip(), province.strip()
    if not commune or not province:
        return Resolved(error=_("Vui lòng nhập cả xã/phường và tỉnh/thành phố."))
    current = None if district else _current_province(province)
    if current is not None:
        found = _current_communes(current, commune)
        if len(found) == 1:
            return Resolved(commune=found[0])
        if found:
            return Resolved(choices=tuple(found))
    result = convert_address(province, district or None, commune)
    if not result.found:
        return Resolved(error=_("Không tìm thấy tỉnh/thành phố “%(name)s”.") % {"name": province})
    units = [result.commune] if result.commune else []
    units += [unit for unit in result.candidates if unit not in units]
    communes = _units([unit.code for unit in units])
    old_name = ", ".join(part for part in (commune, district, province) if part)
    if not communes:
        return Resolved(
            error=_("Không tìm thấy xã/phường “%(commune)s” thuộc %(province)s.")
            % {"commune": commune, "province": result.province.name}
        )
    if len(communes) == 1 and not result.is_split:
        return Resolved(commune=communes[0], old_name=old_name)
    # A split ward's "default" part is only the data's guess; the person knows where they live.
    return Resolved(choices=tuple(sorted(communes, key=lambda u: key(u.name))), old_name=old_name)
