"""Agencies named in the catalog data: one directory.Agency per normalised name."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from opendvc.directory.models import Agency
from opendvc.directory.text import fold, slugify_vi

_SPACES = re.compile(r"[\s\xa0]+")
_PROVINCE_PC = re.compile(r"^(ubnd|uy ban nhan dan) (cap tinh|tinh|thanh pho)\b")
_COMMUNE_PC = re.compile(r"^(ubnd|uy ban nhan dan) (cap xa|xa|phuong|dac khu)\b")

# (pattern on the folded name, kind, level); the first match wins.
_GUESSES = [
    (_COMMUNE_PC, Agency.Kind.COMMUNE_PC, Agency.Level.COMMUNE),
    (_PROVINCE_PC, Agency.Kind.PROVINCE_PC, Agency.Level.PROVINCE),
    (re.compile(r"^bo\b"), Agency.Kind.MINISTRY, Agency.Level.MINISTRY),
    (re.compile(r"^so\b"), Agency.Kind.DEPARTMENT, Agency.Level.PROVINCE),
    (re.compile(r"^cuc\b"), Agency.Kind.CENTRAL, Agency.Level.MINISTRY),
    (
        re.compile(r"^(ngan hang nha nuoc|bao hiem xa hoi) viet nam$"),
        Agency.Kind.CENTRAL,
        Agency.Level.MINISTRY,
    ),
    (
        re.compile(r"^cong an (cap tinh|tinh|thanh pho)\b"),
        Agency.Kind.POLICE,
        Agency.Level.PROVINCE,
    ),
    (re.compile(r"^cong an (cap xa|xa|phuong)\b"), Agency.Kind.POLICE, Agency.Level.COMMUNE),
    (re.compile(r"^cong an\b"), Agency.Kind.POLICE, Agency.Level.OTHER),
    (
        re.compile(r"^trung tam phuc vu hanh chinh cong"),
        Agency.Kind.SERVICE_CENTRE,
        Agency.Level.OTHER,
    ),
]


def normalise_name(name: str) -> str:
    """Collapse whitespace (no-break spaces too) and drop trailing dots."""
    return _SPACES.sub(" ", name).strip().rstrip(".").strip()


def name_key(name: str) -> str:
    """Names that differ only in case or spacing are the same agency; diacritics count."""
    return unicodedata.normalize("NFC", normalise_name(name)).lower()[:300]


def guess_kind_and_level(name: str) -> tuple[str, str]:
    folded = fold(normalise_name(name))
    for pattern, kind, level in _GUESSES:
        if pattern.search(folded):
            return kind, level
    return Agency.Kind.OTHER, Agency.Level.OTHER


def is_province_people_committee(name: str) -> bool:
    return bool(_PROVINCE_PC.search(fold(normalise_name(name))))


def stable_code(name: str) -> str:
    """A code derived from the name alone, so every run and every machine agrees on it."""
    slug = slugify_vi(name) or "co-quan"
    digest = hashlib.sha1(name_key(name).encode()).hexdigest()[:8]
    return f"DVC-{slug[:40]}-{digest}"


class AgencyBook:
    """Finds or creates agencies by normalised name, with few queries: everything is
    loaded once, and new agencies are created in one bulk insert per chunk."""

    def __init__(self) -> None:
        self.by_key: dict[str, Agency] = {}
        self.codes: set[str] = set()
        self.slugs: set[str] = set()
        for agency in Agency.objects.order_by("pk"):
            self.by_key.setdefault(name_key(agency.name), agency)
            self.codes.add(agency.code)
            self.slugs.add(agency.slug)
        self.created = 0

    def ensure(self, refs: list[dict]) -> None:
        """Create the agencies named in `refs` ([{"name", "code"}]) that do not exist."""
        wanted: dict[str, tuple[str, str]] = {}
        for ref in refs:
            name, key = normalise_name(ref["name"])[:300], name_key(ref["name"])
            if not name or key in self.by_key:
                continue
            # A code given by the data wins over none.
            if key not in wanted or (ref.get("code") and not wanted[key][1]):
                wanted[key] = (name, ref.get("code", ""))
        new = {key: self._build(name, code) for key, (name, code) in sorted(wanted.items())}
        if new:
            Agency.objects.bulk_create(new.values())
            self.created += len(new)
            # bulk_create fills the primary keys on SQLite and PostgreSQL alike.
            self.by_key.update(new)

    def get(self, ref: dict | None) -> Agency | None:
        if not ref:
            return None
        return self.by_key.get(name_key(ref["name"]))

    def _build(self, name: str, data_code: str) -> Agency:
        code = data_code if data_code and data_code not in self.codes else stable_code(name)
        slug = slugify_vi(code) if code != data_code else slugify_vi(f"{code}-{name}")[:200]
        slug = slug or stable_code(name).lower()
        while slug in self.slugs:
            slug = f"{slug[:190]}-{len(self.slugs)}"
        kind, level = guess_kind_and_level(name)
        self.codes.add(code)
        self.slugs.add(slug)
        return Agency(code=code[:60], name=name, slug=slug, kind=kind, level=level)
