"""System administrators maintain agencies and desks here; every change is audited."""

from django.contrib import admin
from django.db import transaction

from opendvc.audit.actions import record

from .models import AdminUnit, Agency, Desk


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            verb = "updated" if change else "created"
            record(
                action=f"directory.{obj._meta.model_name}_{verb}",
                actor=request.user,
                target=obj,
                payload={"changed": form.changed_data},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(action=f"directory.{obj._meta.model_name}_deleted", actor=request.user,
                   target=obj, payload={"name": str(obj)})  # fmt: skip
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    # Units come from the official list (import_admin_units), not from hand edits.
    list_display = ["code", "name", "unit_type", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "level", "admin_unit", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "code", "slug"]
    raw_id_fields = ["admin_unit", "parent", "generic"]
    filter_horizontal = ["stands_for"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Desk)
class DeskAdmin(AuditedAdmin):
    list_display = ["name", "agency", "admin_unit"]
    search_fields = ["name", "address"]
    raw_id_fields = ["agency", "admin_unit"]
    filter_horizontal = ["serves"]
