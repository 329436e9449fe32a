"""System administrators maintain agencies and desks here; every change is audited."""

from django.contrib import admin

from opendvc.audit.admin import AuditedModelAdmin

from .models import AdminUnit, Agency, Desk


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
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind", "level", "admin_unit", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "code", "slug"]
    raw_id_fields = ["admin_unit", "parent", "generic"]
    filter_horizontal = ["stands_for"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Desk)
class DeskAdmin(AuditedModelAdmin):
    list_display = ["name", "agency", "admin_unit"]
    search_fields = ["name", "address"]
    raw_id_fields = ["agency", "admin_unit"]
    filter_horizontal = ["serves"]
