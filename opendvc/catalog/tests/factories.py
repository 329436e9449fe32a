"""Catalog factories: a procedure with its field, a case, its documents and fees."""

import factory

from opendvc.catalog.models import (
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureCase,
    ProcedureChannel,
    RequiredDocument,
)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent

    name = factory.Sequence(lambda n: f"Sự kiện {n}")
    slug = factory.Sequence(lambda n: f"su-kien-{n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A province-level procedure filed partly online. `fields=[...]` links fields."""

    class Meta:
        model = Procedure
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    is_province_level = True
    online_level = Procedure.OnlineLevel.PARTIAL
    sources = ["list"]

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.fields.set(extracted)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Trường hợp chung"
    processing_amount = 5
    processing_unit = "WORKING_DAY"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Tờ khai số {n}")
    original_qty = 1
    forms = factory.LazyFunction(lambda: [{"name": "To-khai.docx", "url": ""}])


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureChannel

    procedure = factory.SubFactory(ProcedureFactory)
    channel = "ONLINE"
    processing_amount = 5
    processing_unit = "WORKING_DAY"


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    procedure = factory.SubFactory(ProcedureFactory)
    kind = Fee.Kind.CHARGE
    amount = 50000
    description = "Lệ phí"
