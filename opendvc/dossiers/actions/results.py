"""The electronic result: render it, sign it with the agency's certificate, store it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from opendvc.audit.actions import record

from .. import signing, workflow
from ..models import Dossier, SignedResult, Status
from ..pdf import result as result_pdf
from ..pdf.slips import place_of
from ._steps import lock
from .errors import IllegalTransition, InvalidRequest, NotAllowed

NO_CERTIFICATE = (
    "Cơ quan chưa có chứng thư số để ký kết quả điện tử; đề nghị quản trị hệ thống cấp "
    "chứng thư số cho cơ quan."
)


def verify_url(token: str) -> str:
    """The public verification page printed (and QR-coded) on the result."""
    return settings.SITE_URL.rstrip("/") + reverse("dossiers:verify", kwargs={"token": token})


def issue_signed_result(*, dossier: Dossier, by, now: datetime) -> SignedResult:
    """Render the result of a decided dossier (9 or 10) from its summary, sign it (PAdES) with
    the agency's certificate at `now`, store it and mark the dossier as having an electronic
    result. Meant to run inside finish_dossier's transaction, after the move to 9. The stored
    bytes are deleted if this action fails; a caller whose own transaction rolls back after
    this returns must delete `result.file` itself (as with attach_file).
    Raises NotAllowed (not a leader of the agency), IllegalTransition (not decided, or already
    signed), InvalidRequest (the agency has no certificate)."""
    stored = SignedResult(dossier=dossier, signed_at=now, signed_by=by)
    try:
        with transaction.atomic():
            lock(dossier)
            _check(dossier, by)
            signer = signing.load_signer(dossier.agency)
            if signer is None:
                raise InvalidRequest(NO_CERTIFICATE)
            stored.token = secrets.token_urlsafe(24)
            pdf = result_pdf.render_result(
                dossier=dossier,
                verify_url=verify_url(stored.token),
                signer_name=_name(by),
                place=place_of(dossier),
                now=now,
            )
            signed = signing.sign_pdf(pdf, signer, now)
            stored.sha256 = hashlib.sha256(signed).hexdigest()
            stored.signer_name = signer.subject
            stored.certificate_serial = signer.serial
            stored.certificate_sha256 = signer.certificate_sha256
            # The token in the name: unguessable, and never the same name twice.
            stored.file.save(
                f"{dossier.code}-{stored.token[:12]}.pdf", ContentFile(signed), save=False
            )
            stored.save()
            dossier.has_electronic_result = True
            dossier.save(update_fields=["has_electronic_result"])
            _record(dossier, stored, by, now)
    except BaseException:
        if stored.file.name:
            stored.file.storage.delete(stored.file.name)
        raise
    return stored


def _check(dossier: Dossier, by) -> None:
    if not workflow.may_act(by, dossier, "finish"):
        raise NotAllowed("Bạn không có quyền ký số kết quả của hồ sơ này.")
    if dossier.status not in (Status.FINISHED, Status.RETURNED):
        raise IllegalTransition("Chỉ ký số kết quả khi hồ sơ đã được giải quyết xong.")
    if SignedResult.objects.filter(dossier=dossier).exists():
        raise IllegalTransition("Hồ sơ đã có kết quả điện tử được ký số.")


def _name(user) -> str:
    return getattr(user, "full_name", "") or str(user)


def _record(dossier: Dossier, stored: SignedResult, by, now: datetime) -> None:
    record(
        action="dossiers.sign_result",
        actor=by,
        target=dossier,
        payload={
            "code": dossier.code,
            "sha256": stored.sha256,
            "certificate_serial": stored.certificate_serial,
            "certificate_sha256": stored.certificate_sha256,
        },
        now=now,
    )
