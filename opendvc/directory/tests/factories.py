import factory

from opendvc.directory.models import AdminUnit, Agency


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
