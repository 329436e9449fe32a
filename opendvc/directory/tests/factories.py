import factory

from opendvc.directory.models import AdminUnit, Agency, Desk


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = "24"
    name = "Tỉnh Bắc Ninh"
    short_name = "Bắc Ninh"
    unit_type = "Tỉnh"
    level = AdminUnit.Level.PROVINCE
    key = "tinhbacninh"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG-{n:04d}")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    slug = factory.LazyAttribute(lambda o: o.code.lower())
    kind = Agency.Kind.DEPARTMENT
    level = Agency.Level.PROVINCE


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90000 + n}")
    short_name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    name = factory.LazyAttribute(lambda o: f"{o.unit_type} {o.short_name}")
    unit_type = "Phường"
    level = AdminUnit.Level.COMMUNE
    parent = factory.SubFactory(ProvinceFactory)
    key = factory.LazyAttribute(lambda o: o.code)
    area_km2 = 12.5
    latitude = 21.18
    longitude = 106.07


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Bộ phận Một cửa {n}")
    address = "Số 1 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh"
