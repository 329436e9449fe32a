"""Saving what the applicant declared in a draft's e-form, before submission."""

from datetime import datetime

from django.db import transaction

from opendvc.audit.actions import record

from .. import workflow
from ..models import Dossier, Status
from ._steps import lock
from .errors import IllegalTransition, InvalidRequest, NotAllowed


def save_draft_form(*, dossier: Dossier, data: dict, by, now: datetime) -> Dossier:
    """Store the e-form's cleaned, JSON-ready values (EForm.json_data()) as the draft's
    form_data, replacing what was saved before. Only the applicant (or the desk, for someone
    filing at the counter without an account) changes a draft.
    Raises InvalidRequest, NotAllowed, IllegalTransition."""
    if not isinstance(data, dict):
        raise InvalidRequest("Dữ liệu tờ khai không hợp lệ.")
    with transaction.atomic():
        lock(dossier)
        if not workflow.may_act(by, dossier, "submit"):
            raise NotAllowed("Bạn không có quyền thay đổi tờ khai của hồ sơ này.")
        if dossier.status != Status.DRAFT:
            raise IllegalTransition("Hồ sơ đã nộp, không thể sửa tờ khai.")
        dossier.form_data = data
        dossier.save(update_fields=["form_data"])
        record(
            action="dossiers.draft_saved",
            actor=by,
            target=dossier,
            payload={"fields": sorted(data)},
            now=now,
        )
    return dossier
