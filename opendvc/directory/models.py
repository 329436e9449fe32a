"""Administrative units (since 1 July 2025: 34 provinces, 3,321 communes) and agencies."""

from functools import lru_cache

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse

from .text import fold, key


@lru_cache(maxsize=16384)
def _folded(name: str) -> str:
    # Agency names change rarely; folding them on every search would dominate its time.
    return fold(name)


class AdminUnitQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=AdminUnit.Level.PROVINCE)

    def communes(self):
        return self.filter(level=AdminUnit.Level.COMMUNE)

    def name_matches(self, q: str):
        """Units whose name contains `q`, with or without diacritics. The stored key is
        the folded name without spaces ("phuongkinhbac"), so this runs in the database."""
        folded = key(q)
        if not folded:
            return self.none()
        return (
            self.filter(Q(key__contains=folded) | Q(name__icontains=q.strip()))
            .select_related("parent")
            .order_by("key", "code")
        )


class AdminUnit(models.Model):
    """A province-level unit (tỉnh, thành phố) or a commune-level unit (xã, phường, đặc khu)."""

    class Level(models.TextChoices):
        PROVINCE = "PROVINCE", "Cấp tỉnh"
        COMMUNE = "COMMUNE", "Cấp xã"

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=120)
    unit_type = models.CharField(max_length=40)  # Tỉnh, Thành phố, Phường, Xã, Đặc khu
    level = models.CharField(max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    key = models.CharField(max_length=120, db_index=True)  # folded name, as in the converter data
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    aliases = models.JSONField(default=list, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:unit", kwargs={"code": self.code})

    @property
    def is_province(self) -> bool:
        return self.level == self.Level.PROVINCE


def _kind_rank() -> Case:
    return Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_RANK)),
        default=Value(len(KIND_RANK)),
        output_field=IntegerField(),
    )


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_unit(self, unit: AdminUnit):
        """Agencies of a unit and, for a province, of its communes."""
        return self.filter(Q(admin_unit=unit) | Q(admin_unit__parent=unit))

    def standing_for(self, generic: "Agency"):
        """Concrete agencies that act for a generic one (to route its procedures)."""
        return self.filter(Q(generic=generic) | Q(stands_for=generic)).distinct()

    def name_matches(self, q: str):
        """Agencies whose name contains `q`, with or without diacritics. Folds in Python:
        portable across databases, and the agency table stays in the low thousands."""
        needle = " ".join(fold(q).split())
        if not needle:
            return self
        ids = [pk for pk, name in self.values_list("pk", "name") if needle in _folded(name)]
        return self.filter(pk__in=ids)

    def in_rank_order(self):
        """The People's Committee first, then the service centre, departments, police."""
        return self.annotate(kind_rank=_kind_rank()).order_by("kind_rank", "name", "pk")

    def province_first(self, province_code: str):
        """Agencies of the given province (and its communes) before all others."""
        return self.annotate(
            in_province=Case(
                When(admin_unit__code=province_code, then=Value(0)),
                When(admin_unit__parent__code=province_code, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            kind_rank=_kind_rank(),
        ).order_by("in_province", "kind_rank", "name", "pk")


class Agency(models.Model):
    """An agency that publishes or implements procedures, or receives dossiers.

    Agencies named in the national catalog are often generic ("Sở Tư pháp", "Ủy ban nhân dân
    cấp xã"): they have no administrative unit. Concrete agencies of a set-up province point
    to their unit and, where they stand for a generic one, to it through `generic`.
    """

    class Kind(models.TextChoices):
        MINISTRY = "MINISTRY", "Bộ, cơ quan ngang bộ"
        CENTRAL = "CENTRAL", "Cơ quan trung ương khác"
        PROVINCE_PC = "PROVINCE_PC", "UBND cấp tỉnh"
        DEPARTMENT = "DEPARTMENT", "Sở, ban, ngành cấp tỉnh"
        COMMUNE_PC = "COMMUNE_PC", "UBND cấp xã"
        POLICE = "POLICE", "Công an"
        SERVICE_CENTRE = "SERVICE_CENTRE", "Trung tâm phục vụ hành chính công"
        OTHER = "OTHER", "Khác"

    class Level(models.TextChoices):
        MINISTRY = "BO", "Cấp bộ"
        PROVINCE = "TINH", "Cấp tỉnh"
        COMMUNE = "XA", "Cấp xã"
        OTHER = "KHAC", "Khác"

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    level = models.CharField(max_length=4, choices=Level.choices, default=Level.OTHER)
    admin_unit = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    generic = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="instances"
    )
    # Every generic agency this one acts for: the catalog names the same office several
    # ways ("Ủy ban nhân dân cấp xã", "UBND cấp xã", "UBND Phường Kinh Bắc, tỉnh Bắc Ninh").
    # `generic` is the main one.
    stands_for = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="concrete_agencies"
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:agency", kwargs={"slug": self.slug})

    @property
    def is_generic(self) -> bool:
        return self.admin_unit_id is None


KIND_RANK = [
    Agency.Kind.PROVINCE_PC,
    Agency.Kind.COMMUNE_PC,
    Agency.Kind.SERVICE_CENTRE,
    Agency.Kind.DEPARTMENT,
    Agency.Kind.POLICE,
]


class DeskQuerySet(models.QuerySet):
    def serving(self, agency: Agency):
        """Desks that receive dossiers for the agency: its own and those serving it."""
        return self.filter(Q(agency=agency) | Q(serves=agency)).distinct()


class Desk(models.Model):
    """A one-stop desk (Bộ phận Một cửa) where dossiers are received and results returned."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="desks")
    admin_unit = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="desks"
    )
    name = models.CharField(max_length=300)
    address = models.CharField(max_length=300)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    opening_hours = models.CharField(max_length=200, default="Thứ Hai – Thứ Sáu, 07:30–17:00")
    serves = models.ManyToManyField(Agency, blank=True, related_name="served_by_desks")

    objects = DeskQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "bộ phận một cửa"
        verbose_name_plural = "bộ phận một cửa"

    def __str__(self) -> str:
        return self.name
