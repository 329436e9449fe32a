"""Django admin for superusers: dossiers are read here, and changed only through actions."""

from django.contrib import admin

from opendvc.audit.admin import AuditedModelAdmin

from .models import Apology, Dossier, DossierComponent, StatusChange, SupplementRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ComponentInline(ReadOnlyInline):
    model = DossierComponent
    fields = ["position", "name", "is_required", "is_digitised", "is_reused", "is_from_vault"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "action", "actor", "reason_code", "note"]
    readonly_fields = fields


class SupplementInline(ReadOnlyInline):
    model = SupplementRequest
    fields = ["requested_at", "requested_by", "working_days_left", "reasons", "answered_at"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(AuditedModelAdmin):
    """Read-mostly: the status and clock change only through actions (audited, with history);
    a superuser may correct the applicant's contact snapshot."""

    list_display = ["code", "status", "agency", "applicant_name", "submitted_at", "due_at"]
    list_filter = ["status", "channel"]
    search_fields = ["code", "applicant_name", "applicant_phone", "applicant_email"]
    list_select_related = ["agency"]
    date_hierarchy = "submitted_at"
    editable = ["applicant_name", "applicant_phone", "applicant_email", "applicant_id_number"]
    inlines = [ComponentInline, SupplementInline, StatusChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Dossier._meta.fields if f.name not in self.editable]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Apology)
class ApologyAdmin(AuditedModelAdmin):
    list_display = ["dossier", "issued_at", "new_due_at"]
    readonly_fields = [
        "dossier",
        "issued_at",
        "issued_by",
        "reason",
        "previous_due_at",
        "new_due_at",
    ]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
