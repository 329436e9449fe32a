"""The audit log: append-only and hash-chained, so that any edit or deletion is detectable."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    """One recorded action. Never updated or deleted; `hash` chains it to the entry before."""

    created_at = models.DateTimeField(db_index=True)
    # The actor is kept as plain values, not a foreign key: deleting a user must not
    # rewrite (and so break) the chain.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=80, blank=True, db_index=True)
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "bản ghi nhật ký"
        verbose_name_plural = "nhật ký hệ thống"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def compute_hash(self) -> str:
        body = json.dumps(
            {
                "prev": self.prev_hash,
                "at": self.created_at.isoformat(),
                "actor_id": self.actor_id,
                "actor": self.actor_label,
                "action": self.action,
                "target": [self.target_type, self.target_id],
                "payload": self.payload,
            },
            sort_keys=True,
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(body.encode()).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the last hash. Locking it serialises writers on PostgreSQL."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} entries, last {self.last_hash[:12]}"
