"""Attaching documents to a dossier's components, and removing them: while it is a draft, or
for the components an open supplement request names."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, Sum

from opendvc.audit.actions import record

from .. import uploads, workflow
from ..models import ComponentFile, Dossier, DossierComponent, Status, SupplementRequest
from ._steps import lock
from .errors import IllegalTransition, InvalidRequest, NotAllowed


def attach_file(
    *, dossier: Dossier, component: DossierComponent, uploaded_file, by, now: datetime
) -> ComponentFile:
    """Check the upload by its content (uploads.check_upload), then store it under a name of
    its own and record it on the component. The applicant (or the desk, for someone filing at
    the counter without an account) attaches while the dossier is a draft, or while it awaits a
    supplement that names this component (or no component in particular). The bytes are
    deleted again if this action's transaction fails; a caller that wraps it in a transaction
    of its own and rolls that back must delete `stored.file` itself.
    Raises UploadRejected (an InvalidRequest), InvalidRequest, NotAllowed, IllegalTransition."""
    if component.dossier_id != dossier.pk:
        raise InvalidRequest("Thành phần hồ sơ không thuộc hồ sơ này.")
    _check_may_change(dossier, component, by)  # before reading a stranger's upload
    checked = uploads.check_upload(uploaded_file)
    stored = ComponentFile(
        component=component,
        original_name=checked.display_name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_at=now,
    )
    try:
        with transaction.atomic():
            lock(dossier)
            _check_may_change(dossier, component, by)
            _check_room(dossier, component, checked)
            stored.file.save(checked.stored_name, checked.file, save=False)
            stored.save()
            _record(dossier, stored, by, now, "dossiers.file_attached")
    except BaseException:
        # Nothing was recorded: the stored bytes must not stay behind as an orphan.
        if stored.file.name:
            stored.file.storage.delete(stored.file.name)
        raise
    return stored


def remove_file(*, dossier: Dossier, file: ComponentFile, by, now: datetime) -> None:
    """Remove a file from a component; its bytes are deleted once the removal is committed.
    During a supplement only files added since the request may be removed: what the agency
    received stays. Raises InvalidRequest, NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(dossier)
        try:
            file = ComponentFile.objects.select_related("component").get(
                pk=file.pk, component__dossier=dossier
            )
        except ComponentFile.DoesNotExist:
            raise InvalidRequest("Không tìm thấy tệp này trong hồ sơ.") from None
        request = _check_may_change(dossier, file.component, by)
        if request is not None and file.uploaded_at < request.requested_at:
            raise IllegalTransition(
                "Không thể xóa tệp đã nộp trước khi có yêu cầu bổ sung; hãy thêm tệp mới."
            )
        name = file.file.name
        storage = file.file.storage
        _record(dossier, file, by, now, "dossiers.file_removed")
        file.delete()
        transaction.on_commit(lambda: storage.delete(name))


def _check_may_change(
    dossier: Dossier, component: DossierComponent, by
) -> SupplementRequest | None:
    """Who may change the component's files now; the open request when in supplement."""
    if dossier.status == Status.DRAFT:
        if not workflow.may_act(by, dossier, "submit"):
            raise NotAllowed("Bạn không có quyền thay đổi tệp của hồ sơ này.")
        return None
    if dossier.status != Status.SUPPLEMENT:
        raise IllegalTransition(
            f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”, "
            "không thể thay đổi tệp đính kèm."
        )
    if not workflow.may_act(by, dossier, "resubmit"):
        raise NotAllowed("Bạn không có quyền thay đổi tệp của hồ sơ này.")
    request = dossier.supplements.filter(answered_at__isnull=True).first()
    named = {reason.get("component") for reason in (request.reasons if request else [])}
    if request is None or (None not in named and component.pk not in named):
        raise IllegalTransition(
            f"Thành phần “{component.name[:80]}” không nằm trong yêu cầu bổ sung."
        )
    return request


def _check_room(
    dossier: Dossier, component: DossierComponent, checked: uploads.CheckedFile
) -> None:
    name = checked.display_name
    here = Q(component=component)
    # One read for the three limits, checked in this order.
    found = ComponentFile.objects.filter(component__dossier=dossier).aggregate(
        same=Count("pk", filter=here & Q(sha256=checked.sha256)),
        in_component=Count("pk", filter=here),
        used=Sum("size"),
    )
    if found["same"]:
        raise uploads.UploadRejected(f"Tệp “{name}” đã được đính kèm vào thành phần này rồi.")
    per_component = uploads.limit("OPENDVC_UPLOAD_MAX_FILES_PER_COMPONENT")
    if found["in_component"] >= per_component:
        raise uploads.UploadRejected(
            f"Không thể thêm tệp “{name}”: mỗi thành phần có tối đa {per_component} tệp."
        )
    per_dossier = uploads.limit("OPENDVC_UPLOAD_MAX_BYTES_PER_DOSSIER")
    if (found["used"] or 0) + checked.size > per_dossier:
        raise uploads.UploadRejected(
            f"Không thể thêm tệp “{name}”: tổng dung lượng tệp của hồ sơ vượt quá "
            f"{uploads.size_text(per_dossier)}."
        )


def _record(dossier: Dossier, file: ComponentFile, by, now: datetime, action: str) -> None:
    record(
        action=action,
        actor=by,
        target=dossier,
        payload={
            "component": file.component_id,
            "file": file.pk,
            "size": file.size,
            "content_type": file.content_type,
            "sha256": file.sha256,
        },
        now=now,
    )
