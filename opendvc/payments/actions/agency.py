"""The agency administrator's settings: fee amounts the province decides, and whether the
agency collects a procedure's fees before reception."""

from datetime import datetime

from django.db import transaction

from opendvc.audit.actions import record
from opendvc.catalog.models import Fee
from opendvc.directory.models import Agency

from .. import access
from ..models import AgencyFee, PrepaymentRule
from .errors import InvalidRequest, NotAllowed


def set_agency_fee(
    *, agency: Agency, fee: Fee, amount: int, by, now: datetime, per_copy: bool = False
) -> AgencyFee:
    """The agency's administrator sets the amount of a fee the province decides, once or for
    each copy asked for (`per_copy`).
    Raises NotAllowed, InvalidRequest (negative, or a fee with a catalog amount)."""
    if not access.admin_agencies(by).filter(pk=agency.pk).exists():
        raise NotAllowed("Chỉ quản trị cơ quan mới đặt được mức thu.")
    if amount < 0:
        raise InvalidRequest("Mức thu không được âm.")
    if fee.amount != 0:
        raise InvalidRequest("Khoản này đã có mức thu trong danh mục thủ tục.")
    with transaction.atomic():
        row, _ = AgencyFee.objects.select_for_update().update_or_create(
            agency=agency,
            fee=fee,
            defaults={"amount": amount, "is_per_copy": per_copy, "set_at": now, "set_by": by},
        )
        record(
            action="payments.agency_fee_set",
            actor=by,
            target=row,
            payload={
                "agency": agency.code,
                "fee": fee.pk,
                "amount": amount,
                "per_copy": per_copy,
            },
            now=now,
        )
    return row


def set_prepayment_rule(
    *, agency: Agency, procedure, collect_before: bool, by, now: datetime
) -> bool:
    """The agency's administrator says whether the agency collects the procedure's fees before
    it receives a dossier (thu trước). Returns whether anything changed. Raises NotAllowed."""
    if not access.admin_agencies(by).filter(pk=agency.pk).exists():
        raise NotAllowed("Chỉ quản trị cơ quan mới đặt được cách thu phí.")
    with transaction.atomic():
        rules = PrepaymentRule.objects.select_for_update().filter(
            agency=agency, procedure=procedure
        )
        if rules.exists() == collect_before:
            return False
        if collect_before:
            PrepaymentRule.objects.create(agency=agency, procedure=procedure, set_at=now, set_by=by)
        else:
            rules.delete()
        record(
            action="payments.prepayment_rule_set",
            actor=by,
            target=agency,
            payload={"procedure": procedure.code, "collect_before": collect_before},
            now=now,
        )
    return True
