from django.contrib import admin

from .actions import record
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "action", "actor_label", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_id", "actor_label"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Every change made through Django admin writes an audit entry, as actions do.

    Django admin already runs each change form in a transaction, so the entry is written
    exactly when the change is.
    """

    def _action(self, obj, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}_{verb}"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record(
            action=self._action(obj, "updated" if change else "created"),
            actor=request.user,
            target=obj,
            payload={"changed": form.changed_data, "via": "admin"},
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        changed = sorted({fs.model._meta.model_name for fs in formsets if fs.has_changed()})
        if changed:
            record(
                action=self._action(form.instance, "parts_changed"),
                actor=request.user,
                target=form.instance,
                payload={"parts": changed, "via": "admin"},
            )

    def delete_model(self, request, obj) -> None:
        record(
            action=self._action(obj, "deleted"),
            actor=request.user,
            target=obj,
            payload={"name": str(obj)[:200], "via": "admin"},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
