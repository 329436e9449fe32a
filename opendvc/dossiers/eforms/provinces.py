"""Provinces and communes of the 2025 two-level administration, for e-form fields and rules.

An old (pre-1 July 2025) province name is recognised with the converter data, so a form
can say which province it is now part of instead of only "not in the list".
"""

from __future__ import annotations

import re
from functools import lru_cache

from opendvc.directory.conversion import PROVINCE_ALIASES, Unit, new_province_for_old
from opendvc.directory.models import AdminUnit
from opendvc.directory.text import fold, key

_PREFIX = re.compile(r"^(thanhpho|tinh|tp)")
# "tỉnh Hà Giang", "thành phố Hà Nội", "TP. Huế": a province named inside free text.
_NAMED = re.compile(r"(?i)(?<!\w)((?:tỉnh|tinh|thành phố|thanh pho|tp\.?)\s+[^,;:\n()]+)")


def _bare(name: str) -> str:
    return _PREFIX.sub("", key(name))


def _is_current_name(name: str, unit: Unit) -> bool:
    bare = _bare(name)
    return bare == _bare(unit.name) or PROVINCE_ALIASES.get(bare) == key(unit.name)


# The converter's tables are read once from files, so a name's answer never changes; a form is
# checked on every save and again on submission, each time folding every candidate name
# against every province. Bounded: the names come from free text.
@lru_cache(maxsize=4096)
def merged_into(name: str) -> Unit | None:
    """The new province an old province's name now belongs to; None for a current
    province's name or a name that is no province at all."""
    unit = new_province_for_old(name) if name.strip() else None
    if unit is None or _is_current_name(name, unit):
        return None
    return unit


@lru_cache(maxsize=4096)
def current_code(name: str) -> str:
    """The code of the current province this name (or alias) names, or ""."""
    unit = new_province_for_old(name) if name.strip() else None
    return unit.code if unit is not None and _is_current_name(name, unit) else ""


def old_provinces_in_text(text: str) -> list[tuple[str, Unit]]:
    """Old province names in an address: after "tỉnh"/"thành phố", or as the last part."""
    candidates = [m.group(1).strip() for m in _NAMED.finditer(text)]
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    if parts:
        candidates.append(parts[-1])
    found: dict[str, tuple[str, Unit]] = {}
    for candidate in candidates:
        unit = merged_into(candidate)
        if unit is not None:
            found.setdefault(_bare(candidate), (candidate, unit))
    return list(found.values())


def province_choices() -> list[tuple[str, str]]:
    units = AdminUnit.objects.provinces().only("code", "name")
    return sorted(((u.code, u.name) for u in units), key=lambda c: fold(c[1]))


def communes_of(province_code: str) -> list[tuple[str, str]]:
    """The communes of one province. A page lists only these: all 3,321 in one list would
    take a second to render and be no help to anyone choosing."""
    units = AdminUnit.objects.communes().filter(parent__code=province_code).only("code", "name")
    return sorted(((u.code, u.name) for u in units), key=lambda c: fold(c[1]))


def is_commune(code: str) -> bool:
    return AdminUnit.objects.communes().filter(code=code).exists()
