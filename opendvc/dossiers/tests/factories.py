"""Dossier factories. `DossierFactory(status=...)` builds a dossier already in that status,
with the fields that status implies (code, times, an open supplement request for 5)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.catalog.tests.factories import CaseFactory
from opendvc.directory.tests.factories import AgencyFactory
from opendvc.dossiers.models import (
    CLOCK_RUNNING,
    Dossier,
    DossierComponent,
    Status,
    SupplementRequest,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 23 November 2026, 09:00 in Hà Nội: a working day, inside office hours.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=VN)


def _submitted(o) -> bool:
    return o.status != Status.DRAFT


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    procedure = factory.LazyAttribute(lambda o: o.case.procedure)
    agency = factory.SubFactory(AgencyFactory)
    applicant = None
    applicant_name = factory.LazyAttribute(
        lambda o: o.applicant.full_name if o.applicant else "Đỗ Văn Khách"
    )
    channel = factory.LazyAttribute(
        lambda o: Dossier.Channel.ONLINE if o.applicant else Dossier.Channel.COUNTER
    )
    status = Status.DRAFT
    created_at = MONDAY - timedelta(hours=1)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.agency.code}-261123-{n + 1:04d}" if _submitted(o) else None
    )
    submitted_at = factory.LazyAttribute(lambda o: MONDAY if _submitted(o) else None)
    received_at = factory.LazyAttribute(
        lambda o: MONDAY if o.status not in (Status.DRAFT, Status.NEW) else None
    )
    due_at = factory.LazyAttribute(
        lambda o: MONDAY + timedelta(days=7) if o.status in CLOCK_RUNNING else None
    )
    original_due_at = factory.LazyAttribute(lambda o: o.due_at)
    working_days_left = factory.LazyAttribute(
        lambda o: 3 if o.status == Status.SUPPLEMENT else None
    )
    supplement_count = factory.LazyAttribute(lambda o: int(o.status == Status.SUPPLEMENT))
    finished_at = factory.LazyAttribute(
        lambda o: (
            MONDAY + timedelta(days=3) if o.status in (Status.FINISHED, Status.RETURNED) else None
        )
    )

    @factory.post_generation
    def open_supplement(obj, create, extracted, **kwargs):
        if create and obj.status == Status.SUPPLEMENT:
            SupplementRequest.objects.create(
                dossier=obj,
                requested_at=MONDAY + timedelta(hours=1),
                requested_by=OfficialFactory(),
                from_status=extracted or Status.PROCESSING,
                due_at_before=MONDAY + timedelta(days=7),
                working_days_left=obj.working_days_left,
                reasons=[{"component": None, "code": "MISSING", "note": ""}],
            )


class DossierComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierComponent

    dossier = factory.SubFactory(DossierFactory)
    name = factory.Sequence(lambda n: f"Tờ khai số {n}")
    is_required = True


def pdf(*extra: bytes, content: bytes = b"BT /F1 12 Tf 20 100 Td (Xin chao) Tj ET") -> bytes:
    """A one-page PDF with a correct cross-reference table; `extra` objects are appended
    (numbered from 5) as given, each the text between "N 0 obj" and "endobj"."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
