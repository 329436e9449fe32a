"""The data subject's copy of everything the store holds on them: a ZIP built in a temporary
file (never whole in memory) with a `manifest.json` that lists each file and the data-use log,
the requests made, and the profile fields."""

import json
import tempfile
import zipfile
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder

from . import storage
from .access import results_for
from .models import DataAccess, StoredDocument, SubjectRequest


def build_zip(owner, *, now: datetime):
    """A rewound temporary file holding the ZIP; closing it deletes it."""
    handle = tempfile.TemporaryFile()
    manifest = {
        "generated_at": now,
        "profile": {
            "full_name": owner.full_name,
            "email": owner.email,
            "phone": owner.phone,
            "kind": owner.kind,
            "date_joined": owner.date_joined,
        },
        "documents": [],
        "results": [],
        "data_use_log": list(_log_rows(owner)),
        "requests": list(_requests(owner)),
    }
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in StoredDocument.objects.of(owner).select_related("document_type"):
            name = f"giay-to/{document.pk}-{document.original_name}"
            archive.writestr(name, storage.unseal(document.path))
            manifest["documents"].append(_document_row(document, name))
        for result in results_for(owner):
            name = f"ket-qua/{result.dossier.code}.pdf"
            with result.file.open("rb") as signed:
                archive.writestr(name, signed.read())
            manifest["results"].append(_result_row(result, name))
        text = json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        archive.writestr("manifest.json", text)
    handle.seek(0)
    return handle


def _document_row(document: StoredDocument, name: str) -> dict:
    return {
        "file": name,
        "type_code": document.document_type.code,
        "type_name": document.document_type.name,
        "source": document.source,
        "number": document.number,
        "issuer": document.issuer,
        "issued_date": document.issued_date,
        "expiry_date": document.expiry_date,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "created_at": document.created_at,
    }


def _result_row(result, name: str) -> dict:
    return {
        "file": name,
        "dossier_code": result.dossier.code,
        "procedure": result.dossier.procedure.name,
        "agency": result.dossier.agency.name,
        "signed_at": result.signed_at,
        "sha256": result.sha256,
    }


def _log_rows(owner):
    for row in DataAccess.objects.filter(owner=owner).select_related("agency"):
        yield {
            "at": row.at,
            "kind": row.kind,
            "agency": row.agency.name,
            "official": row.official_name,
            "dossier_code": row.dossier_code,
            "document": row.document_label,
        }


def _requests(owner):
    for row in SubjectRequest.objects.filter(owner=owner):
        yield {
            "kind": row.kind,
            "state": row.state,
            "received_at": row.received_at,
            "due_at": row.due_at,
            "answered_at": row.answered_at,
        }
