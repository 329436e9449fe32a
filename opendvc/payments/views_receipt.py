"""The electronic receipt of a paid fee, for the applicant and for the agency's officials. A
payment that is not yours, or has no receipt, answers 404 like one that does not exist."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opendvc.accounts.decorators import official_required
from opendvc.dossiers.views_citizen import citizen_required

from . import access, receipts
from .models import Payment


def _receipt(payment: Payment) -> HttpResponse:
    try:
        pdf = receipts.render_receipt(payment)
    except receipts.NoReceipt:
        raise Http404(_("Khoản thanh toán này chưa có biên lai.")) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipts.file_name(payment)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@citizen_required
def citizen_receipt(request: HttpRequest, code: str, payment_id: int) -> HttpResponse:
    payment = access.get_payment_for_citizen_or_404(request.user, payment_id, code=code)
    return _receipt(payment)


@require_GET
@official_required
def staff_receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    return _receipt(access.get_payment_for_official_or_404(request.user, payment_id))
