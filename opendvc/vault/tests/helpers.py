"""Shared set-up of the store's tests: a stored document, a dossier referring to it, a result."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import DossierFactory, pdf
from opendvc.dossiers.tests.scenes import stored_result
from opendvc.vault import actions
from opendvc.vault.models import DocumentType


def a_pdf(text: str = "CCCD 001099012345") -> bytes:
    return pdf(content=b"BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text.encode())


def stored(owner, code: str = "CCCD", text: str = "CCCD 001099012345", **details):
    return actions.store_document(
        owner=owner,
        document_type=DocumentType.objects.get(code=code),
        uploaded_file=SimpleUploadedFile("cccd.pdf", a_pdf(text)),
        details=actions.Details(**details),
        by=owner,
        now=timezone.now(),
    )


def referring_dossier(document, agency, status=Status.PROCESSING):
    dossier = DossierFactory(status=status, applicant=document.owner, agency=agency)
    actions.use_in_dossier(document=document, dossier=dossier, now=timezone.now())
    return dossier


def finished_with_result(owner, agency, leader):
    dossier = DossierFactory(status=Status.FINISHED, applicant=owner, agency=agency)
    return stored_result(dossier, leader)


PAST = date(2020, 1, 1)
FUTURE = date(2099, 1, 1)
