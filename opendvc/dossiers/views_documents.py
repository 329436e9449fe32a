"""A dossier's documents: the slips (PDF, made on request), the signed electronic result, and
the public page that verifies a result from the QR code printed on it."""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from opendvc.accounts.decorators import official_required
from opendvc.core import ratelimit
from opendvc.core.http import client_ip

from . import access, signing
from .models import Dossier, SignedResult
from .pdf.slips import SlipUnavailable, render_slip
from .views_citizen import citizen_required

logger = logging.getLogger(__name__)
MAX_UPLOAD = 10 * 1024 * 1024
VERIFY_TEMPLATE = "dossiers/public/verify.html"


def _pdf(content, file_name: str, *, attachment: bool = False) -> HttpResponse:
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type="application/pdf")
        kind = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{kind}; filename="{file_name}"'
    else:
        response = FileResponse(
            content, content_type="application/pdf", as_attachment=attachment, filename=file_name
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _slip(dossier: Dossier, kind: str) -> HttpResponse:
    try:
        slip, pdf = render_slip(dossier, kind)
    except SlipUnavailable:
        raise Http404(_("Hồ sơ không có phiếu này.")) from None
    return _pdf(pdf, slip.file_name(dossier))


def _open(signed: SignedResult):
    try:
        return signed.file.open("rb")
    except FileNotFoundError:
        # The row outlived its bytes (a storage restored without them): say so in the log,
        # and to the user that there is no file to give.
        logger.error("signed result %s: file %s is missing", signed.pk, signed.file.name)
        raise Http404(_("Không tìm thấy tệp kết quả.")) from None


def _result(dossier: Dossier) -> HttpResponse:
    signed = get_object_or_404(SignedResult, dossier=dossier)
    return _pdf(_open(signed), f"{dossier.code}-ket-qua.pdf")


@require_GET
@citizen_required
def citizen_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    return _slip(access.get_dossier_for_citizen_or_404(request.user, code), kind)


@require_GET
@citizen_required
def citizen_result(request: HttpRequest, code: str) -> HttpResponse:
    return _result(access.get_dossier_for_citizen_or_404(request.user, code))


@require_GET
@official_required
def staff_slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    return _slip(access.get_dossier_for_official_or_404(request.user, code), kind)


@require_GET
@official_required
def staff_result(request: HttpRequest, code: str) -> HttpResponse:
    return _result(access.get_dossier_for_official_or_404(request.user, code))


# The public verification page: whoever holds the paper (and so the token) may see and
# download the signed result; anyone may check a PDF against it.


class CheckForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp PDF cần kiểm tra"),
        help_text=gettext_lazy("Tệp PDF, tối đa 10 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": gettext_lazy("Hãy chọn tệp PDF cần kiểm tra.")},
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 10 MB."))
        return uploaded


MESSAGES = {
    signing.Outcome.NOT_PDF: gettext_lazy("Tệp tải lên không phải là tệp PDF."),
    signing.Outcome.DAMAGED: gettext_lazy(
        "Tệp PDF bị hỏng hoặc đã bị sửa đổi nên không đọc được chữ ký số."
    ),
    signing.Outcome.NOT_SIGNED: gettext_lazy("Tệp PDF này không có chữ ký số."),
    signing.Outcome.MODIFIED: gettext_lazy(
        "Tệp đã bị sửa đổi sau khi ký số: chữ ký số không còn hợp lệ."
    ),
    signing.Outcome.UNTRUSTED: gettext_lazy(
        "Chữ ký số còn nguyên vẹn nhưng chứng thư số dùng để ký không do tổ chức chứng thực "
        "được tin cậy cấp."
    ),
}


def check_upload(signed: SignedResult, content: bytes) -> tuple[bool, str]:
    """Whether the upload is exactly this signed result with a valid, trusted signature, and
    the message that says so (or what is wrong)."""
    verification = signing.verify_pdf(content)
    if not verification.is_valid:
        return False, str(MESSAGES[verification.outcome])
    if hashlib.sha256(content).hexdigest() != signed.sha256:
        return False, _(
            "Tệp có chữ ký số hợp lệ nhưng là một văn bản khác, không phải kết quả này."
        )
    return True, _("Tệp trùng khớp với kết quả đã ký số; chữ ký số hợp lệ và được tin cậy.")


def _signed_or_404(token: str) -> SignedResult:
    related = ("dossier__procedure", "dossier__agency")
    return get_object_or_404(SignedResult.objects.select_related(*related), token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    signed = _signed_or_404(token)
    form = CheckForm(request.POST, request.FILES) if request.method == "POST" else CheckForm()
    context = {"signed": signed, "dossier": signed.dossier, "form": form}
    if request.method == "POST":
        if not ratelimit.hit(
            "verify-upload", client_ip(request) or "unknown", **settings.VERIFY_CHECK_LIMIT
        ):
            context["limited"] = True
            return render(request, VERIFY_TEMPLATE, context, status=429)
        if not form.is_valid():
            return render(request, VERIFY_TEMPLATE, context, status=400)
        context["check"] = check_upload(signed, form.cleaned_data["file"].read())
    return render(request, VERIFY_TEMPLATE, context)


@require_GET
def verify_download(request: HttpRequest, token: str) -> HttpResponse:
    signed = _signed_or_404(token)
    return _pdf(_open(signed), f"{signed.dossier.code}-ket-qua.pdf", attachment=True)
