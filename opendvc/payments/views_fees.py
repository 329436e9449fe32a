"""The agency administrator's fee page (/can-bo/thanh-toan/muc-thu/): the amounts of the fees
whose amount the province decides. Anyone who administers no agency gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opendvc.catalog.models import Fee, Procedure

from . import access, actions, fees
from .forms import AgencyFeeForm, ProcedureLookupForm
from .models import AgencyFee, PrepaymentRule


def _agency(request: HttpRequest):
    agencies = access.admin_agencies(request.user)
    chosen = request.POST.get("co_quan") or request.GET.get("co_quan")
    if chosen:
        return access.get_admin_agency_or_404(request.user, chosen), agencies
    agency = agencies.first()
    if agency is None:
        raise Http404(access.NOT_FOUND)
    return agency, agencies


@login_required
@require_GET
def agency_fees(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request)
    lookup = ProcedureLookupForm(request.GET)
    code = lookup.cleaned_data["thu_tuc"].strip() if lookup.is_valid() else ""
    procedure = Procedure.objects.filter(code=code).first() if code else None
    context = {
        "agency": agency,
        "agencies": agencies,
        "lookup": lookup,
        "procedure": procedure,
        "province_fees": fees.province_fees(procedure.pk) if procedure else [],
        "collects_before": procedure is not None
        and PrepaymentRule.objects.filter(agency=agency, procedure=procedure).exists(),
        "set_amounts": {row.fee_id: row for row in AgencyFee.objects.filter(agency=agency)},
        "rows": AgencyFee.objects.filter(agency=agency).select_related("fee__procedure"),
    }
    return render(request, "payments/agency_fees.html", context)


@login_required
@require_POST
def set_agency_fee(request: HttpRequest) -> HttpResponse:
    agency, _agencies = _agency(request)
    form = AgencyFeeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("payments:agency_fees")
    fee = get_object_or_404(Fee.objects.select_related("procedure"), pk=form.cleaned_data["fee"])
    try:
        actions.set_agency_fee(
            agency=agency,
            fee=fee,
            amount=form.cleaned_data["amount"],
            per_copy=form.cleaned_data["per_copy"],
            by=request.user,
            now=timezone.now(),
        )
        messages.success(request, _("Đã lưu mức thu."))
    except actions.PaymentError as error:
        messages.error(request, str(error))
    query = urlencode({"co_quan": agency.pk, "thu_tuc": fee.procedure.code})
    return redirect(f"{reverse('payments:agency_fees')}?{query}")


@login_required
@require_POST
def set_prepayment(request: HttpRequest) -> HttpResponse:
    agency, _agencies = _agency(request)
    procedure = get_object_or_404(Procedure, pk=request.POST.get("procedure") or 0)
    collect_before = request.POST.get("collect_before") == "on"
    try:
        actions.set_prepayment_rule(
            agency=agency,
            procedure=procedure,
            collect_before=collect_before,
            by=request.user,
            now=timezone.now(),
        )
        messages.success(request, _("Đã lưu cách thu phí."))
    except actions.PaymentError as error:
        messages.error(request, str(error))
    query = urlencode({"co_quan": agency.pk, "thu_tuc": procedure.code})
    return redirect(f"{reverse('payments:agency_fees')}?{query}")
