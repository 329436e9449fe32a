"""The one-stop desk registers a dossier handed in at the counter or sent by post: what paper it
received and what it scanned, then submission and reception in one step.

What the desk received on paper is kept in the draft's `form_data["counter"]["received"]` (the
component ids, in order); a component with a file is one the desk scanned, so it counts as
received and is marked digitised (`is_digitised`, Decision 766). The applicant's declared
address, which the dossier has no column for, is kept beside it as `form_data["counter"]
["address"]`.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import BooleanField, Case, Value, When

from opendvc.audit.actions import record

from ..models import ComponentFile, Dossier
from ._steps import check, lock
from .errors import InvalidRequest, NotAllowed
from .filing import Submission, submit_dossier
from .processing import accept_dossier

COUNTER_CHANNELS = (Dossier.Channel.COUNTER, Dossier.Channel.POSTAL)


def counter_record(dossier: Dossier) -> dict:
    """What the desk noted on a counter draft: {"received": [component ids], "address": str}."""
    kept = (dossier.form_data or {}).get("counter")
    return kept if isinstance(kept, dict) else {}


def _check_counter_draft(dossier: Dossier, by) -> None:
    check(dossier, by, "submit")
    if dossier.channel not in COUNTER_CHANNELS or dossier.applicant_id is not None:
        raise NotAllowed("Hồ sơ này không phải hồ sơ tiếp nhận trực tiếp hoặc qua bưu chính.")


def _scanned(dossier: Dossier) -> set[int]:
    files = ComponentFile.objects.filter(component__dossier=dossier)
    return set(files.values_list("component_id", flat=True))


def _mark_digitised(dossier: Dossier, scanned: set[int]) -> None:
    dossier.components.update(
        is_digitised=Case(
            When(pk__in=scanned, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def record_counter_components(*, dossier: Dossier, received: set[int], by, now: datetime) -> None:
    """Note which components the desk received on paper (`received`: component ids of this
    dossier; scanned ones count as received too) and mark the scanned ones digitised.
    Raises NotAllowed, IllegalTransition (not a draft), InvalidRequest (a foreign component)."""
    with transaction.atomic():
        lock(dossier)
        _check_counter_draft(dossier, by)
        own = set(dossier.components.values_list("pk", flat=True))
        if not set(received) <= own:
            raise InvalidRequest("Thành phần hồ sơ được chọn không thuộc hồ sơ này.")
        scanned = _scanned(dossier)
        kept = sorted(set(received) | scanned)
        dossier.form_data = {
            **(dossier.form_data or {}),
            "counter": {**counter_record(dossier), "received": kept},
        }
        dossier.save(update_fields=["form_data"])
        _mark_digitised(dossier, scanned)
        record(
            action="dossiers.counter_components",
            actor=by,
            target=dossier,
            payload={"received": kept, "digitised": sorted(scanned)},
            now=now,
        )


def _not_received(dossier: Dossier, scanned: set[int]) -> list[str]:
    received = set(counter_record(dossier).get("received", [])) | scanned
    required = dossier.components.filter(is_required=True, is_reused=False, is_from_vault=False)
    return [name for pk, name in required.values_list("pk", "name") if pk not in received]


def register_counter_dossier(*, dossier: Dossier, by, now: datetime) -> Submission:
    """Register a counter or postal draft: check every required component was received on
    paper (or scanned), mark the scanned ones digitised, then submit it (0 → 1) and accept it
    (1 → 2, due moment set) in one transaction; each step writes its own history and audit.
    Returns the Submission, whose secret is to be written on the receipt slip.
    Raises NotAllowed, IllegalTransition, InvalidRequest (a required component missing: the
    draft stays as it was)."""
    with transaction.atomic():
        lock(dossier)
        _check_counter_draft(dossier, by)
        scanned = _scanned(dossier)
        missing = _not_received(dossier, scanned)
        if missing:
            raise InvalidRequest(
                "Chưa nhận bản giấy của thành phần bắt buộc: " + "; ".join(m[:120] for m in missing)
            )
        _mark_digitised(dossier, scanned)
        submission = submit_dossier(dossier=dossier, by=by, now=now)
        accept_dossier(dossier=submission.dossier, by=by, now=now)
    return submission


def discard_counter_draft(*, dossier: Dossier, by, now: datetime) -> None:
    """Delete a counter or postal draft the desk will not finish, with its scanned files (their
    bytes once the deletion is committed). Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(dossier)
        _check_counter_draft(dossier, by)
        files = list(ComponentFile.objects.filter(component__dossier=dossier))
        record(
            action="dossiers.discard_draft",
            actor=by,
            target=dossier,
            payload={"files": len(files), "channel": dossier.channel},
            now=now,
        )
        dossier.delete()
        for file in files:
            name, storage = file.file.name, file.file.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
