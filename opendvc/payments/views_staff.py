"""The staff pages of payments (/can-bo/thanh-toan/): the agency's payments with filters, totals
and a CSV export, a payment's page with its gateway messages and the refund form, and the
reconciliation reports. Officials of the agency only; to anyone else a payment answers 404."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from opendvc.accounts.decorators import official_required
from opendvc.core.paging import page_links

from . import access, actions, receipts
from .models import Payment, Reconciliation

PAGE_SIZE = 25
ONE_DAY = timedelta(days=1)


# --- access -------------------------------------------------------------------------------


def can_refund(user, payment: Payment) -> bool:
    """A leader or an administrator of the collecting agency, for a paid payment."""
    return payment.state == Payment.State.SUCCESS and access.can_refund(user, payment)


# --- the list and its export --------------------------------------------------------------


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Tất cả"))] + Payment.State.choices,
    )
    since = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    code = forms.CharField(label=gettext_lazy("Mã hồ sơ"), required=False, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_payments(user, data: dict) -> QuerySet[Payment]:
    """The official's payments filtered by state, day of creation (local) and dossier code."""
    payments = access.payments_for_official(user)
    if data.get("state"):
        payments = payments.filter(state=data["state"])
    if data.get("since"):
        payments = payments.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        payments = payments.filter(created_at__lt=_day_start(data["until"]) + ONE_DAY)
    if data.get("code"):
        payments = payments.filter(dossier__code__icontains=data["code"].strip())
    return payments


def _filters(request: HttpRequest) -> tuple[FilterForm, dict]:
    form = FilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their message and left out
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    return form, data


def totals(payments: QuerySet[Payment]) -> dict:
    """Count and amount of the list, and of what was collected (paid, not refunded)."""
    paid = Q(state=Payment.State.SUCCESS)
    return payments.aggregate(
        count=Count("pk"),
        total=Sum("amount", default=0),
        paid_count=Count("pk", filter=paid),
        paid_amount=Sum("amount", filter=paid, default=0),
    )


@require_GET
@official_required
def payment_list(request: HttpRequest) -> HttpResponse:
    """The agency's payments, newest first, filtered and paged, with the filtered totals."""
    form, data = _filters(request)
    payments = filtered_payments(request.user, data)
    summary = totals(payments)
    rows = payments.select_related("dossier__procedure", "agency")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "links": page_links(page.number, page.paginator.num_pages),
        "query": query.urlencode(),
        "totals": summary,
    }
    return render(request, "payments/staff/list.html", context)


CSV_COLUMNS = [
    gettext_lazy("Mã tham chiếu"),
    gettext_lazy("Mã hồ sơ"),
    gettext_lazy("Thủ tục"),
    gettext_lazy("Người nộp hồ sơ"),
    gettext_lazy("Cơ quan thu"),
    gettext_lazy("Số tiền (đồng)"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Tạo lúc"),
    gettext_lazy("Thanh toán lúc"),
    gettext_lazy("Mã giao dịch cổng"),
    gettext_lazy("Ngân hàng"),
    gettext_lazy("Số biên lai"),
]


def _stamp(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text as a spreadsheet shows it, never run: a name typed as `=HYPERLINK(…)` by an
    applicant must not become a formula on an official's computer."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_row(payment: Payment) -> list[object]:
    dossier = payment.dossier
    texts = [payment.txn_ref, dossier.code, dossier.procedure.code, dossier.applicant_name]
    return [
        *(_cell(text) for text in texts),
        _cell(payment.agency.name),
        payment.amount,  # an integer: spreadsheets sum it
        payment.get_state_display(),
        _stamp(payment.created_at),
        _stamp(payment.paid_at),
        _cell(payment.transaction_no),
        _cell(payment.bank_code),
        receipts.receipt_number(payment) if payment.receipt_number else "",
    ]


@require_GET
@official_required
def payment_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV, UTF-8 with a byte-order mark so Excel reads the Vietnamese."""
    _form, data = _filters(request)
    payments = filtered_payments(request.user, data).select_related("dossier__procedure", "agency")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thanh-toan.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(column) for column in CSV_COLUMNS])
    for payment in payments.iterator(chunk_size=2000):
        writer.writerow(_csv_row(payment))
    return response


# --- one payment ---------------------------------------------------------------------------


class RefundForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do hoàn tiền"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Hãy nhập lý do hoàn tiền.")},
    )


@require_GET
@official_required
def payment_detail(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = access.get_payment_for_official_or_404(request.user, payment_id)
    context = {
        "payment": payment,
        "gateway_messages": payment.messages.order_by("at", "pk"),
        "can_refund": can_refund(request.user, payment),
        "has_receipt": receipts.has_receipt(payment),
        "refund_form": RefundForm(),
    }
    return render(request, "payments/staff/detail.html", context)


@require_POST
@official_required
def payment_refund(request: HttpRequest, payment_id: int) -> HttpResponse:
    """A leader or administrator of the agency refunds a paid payment, with a reason."""
    payment = access.get_payment_for_official_or_404(request.user, payment_id)
    form = RefundForm(request.POST)
    if not can_refund(request.user, payment):
        messages.error(request, _("Bạn không thể hoàn tiền khoản thanh toán này."))
    elif not form.is_valid():
        messages.error(request, form.errors["reason"][0])
    else:
        try:
            actions.refund_payment(
                payment=payment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except actions.PaymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã hoàn tiền khoản thanh toán."))
    return redirect("payments:staff_detail", payment_id=payment.pk)


# --- reconciliation reports ----------------------------------------------------------------


@require_GET
@official_required
def reconciliation_list(request: HttpRequest) -> HttpResponse:
    """The reconciliation runs, newest first, each with the mismatches of the official's
    agencies only (a run covers every agency)."""
    page = Paginator(Reconciliation.objects.all(), 20).get_page(request.GET.get("page"))
    agencies = set(access.agency_ids_of(request.user))
    for run in page:
        run.shown = [item for item in run.mismatches if item.get("agency") in agencies]
    return render(request, "payments/staff/reconciliations.html", {"page": page})
