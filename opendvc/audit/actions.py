"""Writing to the audit log. Every action of every app calls `record` inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    payload: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Joins the caller's transaction, so the entry exists
    exactly when the change it describes does."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        entry = AuditEntry(
            created_at=now or timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=str(actor)[:200] if actor is not None else "system",
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            payload=payload or {},
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.last_hash = entry.hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
    return entry


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def verify_chain() -> ChainCheck:
    """Walk the chain in order and name the first entry that does not fit."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainCheck(checked, entry.pk, "prev_hash does not match the entry before")
        if entry.compute_hash() != entry.hash:
            return ChainCheck(checked, entry.pk, "content does not match its hash")
        prev = entry.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainCheck(checked, None, f"the chain head expects {head.count} entries")
    return ChainCheck(checked)
