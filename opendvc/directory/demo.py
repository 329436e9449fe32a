"""The demo province: its real agencies (2025 structure) and one-stop desks.

The national catalog names agencies generically ("Sở Tư pháp", "Ủy ban nhân dân cấp xã").
Each concrete agency created here points to the generic agencies it acts for, so a dossier
for a national procedure can be routed to a real office. Running it again after the catalog
import fills in links that could not be made before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from opendvc.audit.actions import record

from .models import AdminUnit, Agency, Desk
from .text import name_key, slugify_vi


class DemoSetupError(Exception):
    pass


# Communes shown in the demo, by province code: real 2025 units, the capital ward first.
DEMO_COMMUNES = {
    "24": ["07210", "09187", "09190", "09367", "09319", "09193", "09400", "07375"],
}
DEMO_COMMUNE_COUNT = 6

# (code, name without the province): the provincial departments after the 2025 merger.
DEPARTMENTS = [
    ("STP", "Sở Tư pháp"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("STC", "Sở Tài chính"),
    ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SNV", "Sở Nội vụ"),
    ("SCT", "Sở Công Thương"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
]
OPENING_HOURS = "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00"


@dataclass
class AgencySpec:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    unit: AdminUnit
    address: str
    parent_code: str | None = None
    # Generic names this agency acts for, the preferred one (for `generic`) first.
    generic_keys: list[str] = field(default_factory=list)
    generic_prefixes: list[str] = field(default_factory=list)
    slug_suffix: str = ""  # commune names repeat across provinces


@dataclass
class DemoSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    desks_created: int = 0
    desks_updated: int = 0
    linked: int = 0  # concrete agencies with a generic counterpart

    def as_payload(self) -> dict:
        return dict(self.__dict__)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _communes(province: AdminUnit) -> list[AdminUnit]:
    wanted = DEMO_COMMUNES.get(province.code, [])
    units = {u.code: u for u in province.children.filter(code__in=wanted)}
    chosen = [units[code] for code in wanted if code in units]
    if not chosen:
        chosen = list(province.children.order_by("code")[:DEMO_COMMUNE_COUNT])
    if not chosen:
        raise DemoSetupError(
            f"{province.name} chưa có xã, phường: chạy `opendvc import_admin_units` trước."
        )
    return chosen


def _province_specs(province: AdminUnit, capital: AdminUnit) -> list[AgencySpec]:
    of = _lower_first(province.name)  # "tỉnh Bắc Ninh"
    here, short = name_key(of), name_key(province.short_name)
    centre = f"Khu trung tâm hành chính, {_lower_first(capital.name)}, {of}"
    t = f"T{province.code}"

    def dept(code: str, base: str, kind: str = Agency.Kind.DEPARTMENT, **extra) -> AgencySpec:
        b = name_key(base)
        keys = [b, f"{b} cac tinh thanh pho", f"{b} {here}", f"{b} {short}"]
        return AgencySpec(
            code=f"{t}-{code}", name=f"{base} {of}", short_name=base, kind=kind,
            level=Agency.Level.PROVINCE, unit=province, address=centre,
            parent_code=f"{t}-UBND", generic_keys=keys, **extra,
        )  # fmt: skip

    ubnd = AgencySpec(
        code=f"{t}-UBND", name=f"Ủy ban nhân dân {of}", short_name=f"UBND {of}",
        kind=Agency.Kind.PROVINCE_PC, level=Agency.Level.PROVINCE, unit=province,
        address=centre,
        generic_keys=[f"uy ban nhan dan {here}", "uy ban nhan dan cap tinh",
                      "chu tich uy ban nhan dan cap tinh"],
    )  # fmt: skip
    service = dept("TTPVHCC", "Trung tâm Phục vụ hành chính công", Agency.Kind.SERVICE_CENTRE)
    service.generic_keys.append("trung tam phuc vu hanh chinh cong cap tinh")
    police = dept("CA", "Công an", Agency.Kind.POLICE)
    police.parent_code = None
    police.generic_keys = ["cong an cap tinh", f"cong an {here}", "cong an tinh"]
    return [ubnd, service, *(dept(code, base) for code, base in DEPARTMENTS), police]


def _commune_specs(province: AdminUnit, commune: AdminUnit) -> list[AgencySpec]:
    of = _lower_first(commune.name)  # "phường Kinh Bắc"
    own = name_key(of)
    suffixes = [
        "",
        f" {name_key(_lower_first(province.name))}",
        f" {name_key(province.short_name)}",
    ]
    address = f"Trụ sở UBND {of}, {_lower_first(province.name)}"
    x = f"X{commune.code}"
    common = {
        "level": Agency.Level.COMMUNE,
        "unit": commune,
        "address": address,
        "slug_suffix": province.short_name,
    }
    ubnd = AgencySpec(
        code=f"{x}-UBND", name=f"Ủy ban nhân dân {of}", short_name=f"UBND {of}",
        kind=Agency.Kind.COMMUNE_PC, parent_code=f"T{province.code}-UBND",
        generic_keys=["uy ban nhan dan cap xa", "uy ban nhan dan xa",
                      *(f"uy ban nhan dan {own}{s}" for s in suffixes),
                      "chu tich uy ban nhan dan cap xa"],
        generic_prefixes=["uy ban nhan dan xa phuong"], **common,
    )  # fmt: skip
    police = AgencySpec(
        code=f"{x}-CA", name=f"Công an {of}", short_name=f"Công an {of}",
        kind=Agency.Kind.POLICE, parent_code=f"T{province.code}-CA",
        generic_keys=["cong an cap xa", "cong an xa", *(f"cong an {own}{s}" for s in suffixes)],
        generic_prefixes=["cong an xa phuong"], **common,
    )  # fmt: skip
    return [ubnd, police]


def _generic_index() -> dict[str, list[int]]:
    """Generic agencies (no unit) by the words of their name."""
    index: dict[str, list[int]] = {}
    # Where the catalog spells one office several ways, the spelling most procedures use
    # comes first and becomes the main link.
    rows = (
        Agency.objects.filter(admin_unit__isnull=True)
        .annotate(uses=Count("implemented"))
        .order_by("-uses", "pk")
        .values_list("pk", "name")
    )
    for pk, name in rows:
        index.setdefault(name_key(name), []).append(pk)
    return index


def _generics_for(spec: AgencySpec, index: dict[str, list[int]]) -> list[int]:
    found = [pk for k in spec.generic_keys for pk in index.get(k, [])]
    found += [
        pk
        for k, pks in index.items()
        if any(k.startswith(prefix) for prefix in spec.generic_prefixes)
        for pk in pks
    ]
    return list(dict.fromkeys(found))


def _unique_slug(spec: AgencySpec) -> str:
    slug = slugify_vi(f"{spec.name} {spec.slug_suffix}")[:180]
    if Agency.objects.filter(slug=slug).exclude(code=spec.code).exists():
        slug = f"{slug}-{spec.code.lower()}"
    return slug


def _save_agency(
    spec: AgencySpec, saved: dict[str, Agency], index: dict[str, list[int]], summary: DemoSummary
) -> Agency:
    generics = _generics_for(spec, index)
    parent = saved.get(spec.parent_code or "")
    values = {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "level": spec.level,
        "admin_unit_id": spec.unit.pk,
        "address": spec.address,
        "parent_id": parent.pk if parent else None,
        "generic_id": generics[0] if generics else None,
    }
    agency = Agency.objects.filter(code=spec.code).first()
    if agency is None:
        agency = Agency.objects.create(code=spec.code, slug=_unique_slug(spec), **values)
        agency.stands_for.set(generics)
        summary.created += 1
    else:
        fields = [name for name, value in values.items() if getattr(agency, name) != value]
        for name in fields:
            setattr(agency, name, values[name])
        if fields:
            agency.save(update_fields=fields)
        links_changed = set(agency.stands_for.values_list("pk", flat=True)) != set(generics)
        if links_changed:
            agency.stands_for.set(generics)
        if fields or links_changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.linked += bool(generics)
    return agency


def _save_desk(
    *, agency: Agency, unit: AdminUnit, name: str, address: str, serves: list[Agency],
    summary: DemoSummary,
) -> Desk:  # fmt: skip
    values = {"name": name, "address": address, "opening_hours": OPENING_HOURS}
    desk = Desk.objects.filter(agency=agency, admin_unit=unit).first()
    created = desk is None
    fields: list[str] = []
    if created:
        desk = Desk.objects.create(agency=agency, admin_unit=unit, **values)
        summary.desks_created += 1
    else:
        fields = [k for k, v in values.items() if getattr(desk, k) != v]
        for k in fields:
            setattr(desk, k, values[k])
        if fields:
            desk.save(update_fields=fields)
    wanted = {a.pk for a in serves}
    serves_changed = set(desk.serves.values_list("pk", flat=True)) != wanted
    if serves_changed:
        desk.serves.set(wanted)
    if not created and (fields or serves_changed):
        summary.desks_updated += 1
    return desk


def _province_desk(province, capital, agencies, summary) -> Desk:
    centre = agencies[f"T{province.code}-TTPVHCC"]
    return _save_desk(
        agency=centre,
        unit=province,
        name=f"Bộ phận Một cửa – {centre.name}",
        address=f"{centre.short_name}, {_lower_first(capital.name)}, {_lower_first(province.name)}",
        serves=[a for a in agencies.values() if a.admin_unit_id == province.pk],
        summary=summary,
    )


def _commune_desk(province, commune, agencies, summary) -> Desk:
    ubnd, police = agencies[f"X{commune.code}-UBND"], agencies[f"X{commune.code}-CA"]
    return _save_desk(
        agency=ubnd,
        unit=commune,
        name=f"Bộ phận Một cửa {_lower_first(commune.name)}",
        address=ubnd.address,
        serves=[ubnd, police],
        summary=summary,
    )


def setup_demo_province(*, province_code: str, actor=None) -> DemoSummary:
    """Create or update the demo province's agencies and desks, link them to the generic
    agencies of the catalog, and record one audit entry. Idempotent.
    Raises DemoSetupError when the administrative units have not been imported."""
    province = AdminUnit.objects.provinces().filter(code=province_code).first()
    if province is None:
        raise DemoSetupError(
            f"Không có tỉnh mã {province_code!r}: chạy `opendvc import_admin_units` trước."
        )
    communes = _communes(province)
    summary = DemoSummary()
    with transaction.atomic():
        index = _generic_index()
        specs = _province_specs(province, communes[0])
        for commune in communes:
            specs += _commune_specs(province, commune)
        agencies: dict[str, Agency] = {}
        for spec in specs:  # parents come before their children
            agencies[spec.code] = _save_agency(spec, agencies, index, summary)
        _province_desk(province, communes[0], agencies, summary)
        for commune in communes:
            _commune_desk(province, commune, agencies, summary)
        record(
            action="directory.demo_province_set_up",
            actor=actor,
            target=province,
            payload={"communes": [c.code for c in communes], **summary.as_payload()},
        )
    return summary
