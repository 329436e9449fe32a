from django.contrib import admin
from django.utils import timezone

from opendvc.audit.admin import AuditedModelAdmin

from .models import AgencyFee, GatewayMessage, Payment, PrepaymentRule


class SetByAdmin(AuditedModelAdmin):
    """Who set the row and when are filled in, not typed."""

    readonly_fields = ["set_at", "set_by"]

    def save_model(self, request, obj, form, change) -> None:
        obj.set_at, obj.set_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)


@admin.register(AgencyFee)
class AgencyFeeAdmin(SetByAdmin):
    list_display = ["agency", "fee", "amount", "set_at"]
    list_select_related = ["agency", "fee"]
    raw_id_fields = ["agency", "fee"]


@admin.register(PrepaymentRule)
class PrepaymentRuleAdmin(SetByAdmin):
    list_display = ["agency", "procedure", "set_at"]
    list_select_related = ["agency", "procedure"]
    raw_id_fields = ["agency", "procedure"]


class ReadOnlyAdmin(AuditedModelAdmin):
    # Payments change only through their actions (and the gateway's word): admin only reads.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["txn_ref", "dossier", "agency", "state", "amount", "created_at", "paid_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["txn_ref", "dossier__code", "transaction_no"]
    list_select_related = ["dossier", "agency"]


@admin.register(GatewayMessage)
class GatewayMessageAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "payment", "is_signature_valid", "answer"]
    list_filter = ["kind", "answer"]
