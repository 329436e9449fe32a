"""Old → new administrative addresses (the 1 July 2025 reorganisation).

Built on the vietnamadminunits converter data: which old provinces form each new province,
which old wards ("oldprovince_olddistrict_oldward" keys) form each new commune, and the old
wards split among several new communes (one of them marked as the default). Names are
accepted with or without diacritics and prefixes ("Tỉnh Bắc Giang", "bac giang").
The tables are read once, on first use.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from .importers import DATA_DIR, DEFAULT_CSV, DEFAULT_PORTAL_JSON, check_against_portal, read_units
from .text import key, tone_key

CONVERTER_JSON = DATA_DIR / "vnadminunits_converter_2025.json"

PROVINCE_PREFIXES = ("thanhpho", "tinh", "tp")
# Longest first; a one-letter abbreviation only before a number ("Q3", "P.9").
DISTRICT_PREFIXES = ("thanhpho", "thixa", "huyen", "quan", "tp", "tx", "q")
WARD_PREFIXES = ("thitran", "phuong", "xa", "tt", "p")
# Names people still use for provinces whose official name changed before 2025.
PROVINCE_ALIASES = {
    "thuathienhue": "thanhphohue",
    "hue": "thanhphohue",
    "hcm": "thanhphohochiminh",
    "tphcm": "thanhphohochiminh",
    "saigon": "thanhphohochiminh",
    "hn": "thanhphohanoi",
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str


@dataclass(frozen=True)
class ConversionResult:
    """The new province and commune of an old address.

    `commune` is the single answer when there is one (for a split old ward: its default
    new ward); `candidates` lists the other new communes the address may now belong to
    (the other parts of a split ward, or every commune of an old district when no ward
    was given). `matched` names the old keys that were recognised.
    """

    province: Unit | None = None
    commune: Unit | None = None
    candidates: tuple[Unit, ...] = ()
    is_split: bool = False
    matched: dict = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.province is not None


@dataclass(frozen=True)
class _Target:
    province_key: str
    ward_key: str
    is_default: bool


@dataclass
class _Tables:
    provinces: dict[str, Unit]  # new province key → unit
    communes: dict[tuple[str, str], Unit]  # (new province key, new ward key) → unit
    new_of_old: dict[str, str]  # old province key → new province key
    old_of_new: dict[str, list[str]]
    # old province key → old district key → old ward key → targets
    old_wards: dict[str, dict[str, dict[str, list[_Target]]]]


@cache
def _tables() -> _Tables:
    provinces_by_code, communes = read_units(DEFAULT_CSV)
    check_against_portal(provinces_by_code, DEFAULT_PORTAL_JSON)
    code_to_key = {code: p["key"] for code, p in provinces_by_code.items()}
    data = json.loads(CONVERTER_JSON.read_text(encoding="utf-8"))
    old_wards: dict = defaultdict(lambda: defaultdict(dict))

    def add(old: str, target: _Target) -> None:
        province, district, ward = old.split("_", 2)
        old_wards[province][district].setdefault(ward, []).append(target)

    for new_province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            for old in olds:
                add(old, _Target(new_province, new_ward, True))
    for new_province, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            for part in parts:
                add(old, _Target(new_province, part["newWardKey"], part["isDefaultNewWard"]))
    return _Tables(
        provinces={p["key"]: Unit(p["code"], p["name"]) for p in provinces_by_code.values()},
        communes={
            (code_to_key[province_code], c["key"]): Unit(c["code"], c["name"])
            for province_code, c in communes
        },
        new_of_old={old: new for new, olds in data["DICT_PROVINCE"].items() for old in olds},
        old_of_new=data["DICT_PROVINCE"],
        old_wards={p: dict(districts) for p, districts in old_wards.items()},
    )


def _strip(text: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        rest = text[len(prefix) :]
        if text.startswith(prefix) and rest and (len(prefix) > 1 or rest[0].isdigit()):
            return rest
    return text


def _match(name: str, keys, prefixes: tuple[str, ...]) -> list[str]:
    """Keys naming `name`: exact (with diacritics), folded, then without prefixes."""
    keys = list(keys)
    folded = key(name)
    if not folded:
        return []
    stages = (
        lambda k: k == tone_key(name),
        lambda k: key(k) == folded,
        lambda k: _strip(key(k), prefixes) == folded,
        lambda k: _strip(key(k), prefixes) == _strip(folded, prefixes),
    )
    for stage in stages:
        found = [k for k in keys if stage(k)]
        if found:
            return found
    return []


def _old_provinces(name: str) -> list[str]:
    tables = _tables()
    alias = PROVINCE_ALIASES.get(_strip(key(name), PROVINCE_PREFIXES))
    if alias:
        return [alias]
    olds = _match(name, tables.new_of_old, PROVINCE_PREFIXES)
    if olds:
        return olds[:1]
    # A new province's name: its old provinces are all in scope.
    news = _match(name, tables.old_of_new, PROVINCE_PREFIXES)
    return list(tables.old_of_new[news[0]]) if news else []


def new_province_for_old(name: str) -> Unit | None:
    """The 2025 province an old province (or a current one) now belongs to."""
    olds = _old_provinces(name)
    return _tables().provinces[_tables().new_of_old[olds[0]]] if olds else None


def _scope(old_provinces: list[str]) -> list[str]:
    """The old provinces to search: the named one first, then the others it merged with."""
    tables = _tables()
    siblings = tables.old_of_new[tables.new_of_old[old_provinces[0]]]
    return old_provinces + [p for p in siblings if p not in old_provinces]


def _find_wards(
    scope: list[str], district: str | None, ward: str | None
) -> tuple[list[tuple[str, str, str]], bool]:
    """Old (province, district, ward) keys for the address, and whether the district
    was recognised. Without a ward, every ward of the district."""
    old_wards = _tables().old_wards
    for province in scope:
        districts = old_wards.get(province, {})
        named = _match(district, districts, DISTRICT_PREFIXES) if district else []
        for d in named:
            wards = _match(ward, districts[d], WARD_PREFIXES) if ward else list(districts[d])
            if wards:
                return [(province, d, w) for w in wards], True
    if not ward:
        return [], False
    # The district may be wrong or renamed: look for the ward anywhere in scope.
    for province in scope:
        districts = old_wards.get(province, {})
        found = [
            (province, d, w) for d in districts for w in _match(ward, districts[d], WARD_PREFIXES)
        ]
        if found:
            return found, False
    return [], False


def convert_address(
    province: str, district: str | None = None, ward: str | None = None
) -> ConversionResult:
    """Convert an old address (province, district, ward names) to the 2025 units."""
    tables = _tables()
    olds = _old_provinces(province or "")
    if not olds:
        return ConversionResult()
    new_province = tables.provinces[tables.new_of_old[olds[0]]]
    if not (district or ward):
        return ConversionResult(province=new_province, matched={"province": olds[0]})
    found, district_known = _find_wards(_scope(olds), district, ward)
    if not found:
        return ConversionResult(province=new_province, matched={"province": olds[0]})
    targets = [t for p, d, w in found for t in tables.old_wards[p][d][w]]
    units = {t: tables.communes[(t.province_key, t.ward_key)] for t in targets}
    distinct = list(dict.fromkeys(units.values()))
    if ward and len(found) == 1:
        # The data marks one default new ward for each split old ward.
        default = next((units[t] for t in targets if t.is_default), distinct[0])
    else:
        default = distinct[0] if len(distinct) == 1 else None
    province_key, district_key, _ = found[0]
    return ConversionResult(
        province=tables.provinces[targets[0].province_key],
        commune=default,
        candidates=tuple(sorted((u for u in distinct if u != default), key=lambda u: u.code)),
        is_split=len(found) == 1 and len(targets) > 1,
        matched={
            "province": province_key,
            "district": district_key,
            "district_recognised": district_known,
            "wards": [w for _, _, w in found],
        },
    )
