"""Django admin for the catalog, for superusers only (the staff site is the everyday tool)."""

from django.contrib import admin

from opendvc.audit.admin import AuditedModelAdmin

from .models import (
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureCase,
    ProcedureChannel,
    RequiredDocument,
)


class SuperuserOnly(AuditedModelAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class CaseInline(admin.TabularInline):
    model = ProcedureCase
    extra = 0
    fields = ["position", "code", "name", "processing_amount", "processing_unit"]


class ChannelInline(admin.TabularInline):
    model = ProcedureChannel
    extra = 0
    fields = ["position", "channel", "processing_amount", "processing_unit", "processing_text"]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ["position", "channel", "kind", "amount", "description"]


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "group", "name", "original_qty", "copy_qty", "is_required", "forms"]


@admin.register(Procedure)
class ProcedureAdmin(SuperuserOnly):
    list_display = ["code", "name", "kind", "state", "levels", "online_level", "popularity"]
    list_filter = [
        "kind",
        "state",
        "online_level",
        "is_ministry_level",
        "is_province_level",
        "is_commune_level",
    ]
    search_fields = ["code", "name", "decision_no"]
    list_select_related = ["publishing_agency"]
    raw_id_fields = ["publishing_agency"]
    filter_horizontal = ["fields", "life_events"]
    readonly_fields = ["sources", "fingerprint", "source_updated_at", "imported_at"]
    inlines = [CaseInline, ChannelInline, FeeInline]
    show_full_result_count = False


@admin.register(ProcedureCase)
class ProcedureCaseAdmin(SuperuserOnly):
    list_display = ["procedure", "code", "name", "processing_amount", "processing_unit"]
    search_fields = ["procedure__code", "code", "name"]
    list_select_related = ["procedure"]
    raw_id_fields = ["procedure"]
    inlines = [DocumentInline]


@admin.register(Field)
class FieldAdmin(SuperuserOnly):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]


@admin.register(LifeEvent)
class LifeEventAdmin(SuperuserOnly):
    list_display = ["name", "audience", "slug"]
    list_filter = ["audience"]
    search_fields = ["name"]


@admin.register(Fee)
class FeeAdmin(SuperuserOnly):
    list_display = ["procedure", "channel", "kind", "amount", "description"]
    list_filter = ["kind", "channel"]
    search_fields = ["procedure__code", "description"]
    list_select_related = ["procedure"]
    raw_id_fields = ["procedure"]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(SuperuserOnly):
    list_display = ["__str__", "case", "original_qty", "copy_qty", "is_required"]
    search_fields = ["name", "case__procedure__code"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]
