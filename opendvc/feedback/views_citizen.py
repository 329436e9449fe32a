"""The sender's pages: confirm an address, send, the receipt, follow, reply, rate, reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from opendvc.catalog.models import Procedure
from opendvc.core.http import client_ip

from . import access, actions
from .forms import AddressForm, CodeForm, FollowForm, SendForm
from .models import Feedback

VERIFY_KEY = "feedback_verification"  # the token of the address being confirmed
RECEIPT_KEY = "feedback_receipt"  # the plain secret, kept only until the receipt is shown


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _initial(request: HttpRequest) -> dict:
    code = request.GET.get("thu-tuc", "")
    procedure = Procedure.objects.filter(code=code).select_related("publishing_agency").first()
    initial = {"name": getattr(request.user, "full_name", "")}
    if procedure is not None:
        initial["procedure_code"] = procedure.code
        initial["kind"] = Feedback.Kind.REGULATION
        initial["agency"] = actions.implied_agency(procedure)
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    verification = actions.confirmed(request.session.get(VERIFY_KEY, ""), timezone.now())
    if not request.user.is_authenticated and verification is None:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("feedback:verify") + query)
    form = SendForm(request.POST or None, request.FILES or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission = _submission(request, form, verification)
            feedback, secret = actions.submit_feedback(
                ip=client_ip(request) or "", now=timezone.now(), **submission
            )
        except actions.FeedbackError as error:
            form.add_error(None, str(error))
        else:
            request.session[RECEIPT_KEY] = secret
            access.remember(request, feedback)
            return redirect("feedback:receipt", code=feedback.code)
    context = {"form": form, "verification": verification}
    return render(request, "feedback/citizen/send.html", context, status=_status(form))


def _submission(request: HttpRequest, form: SendForm, verification) -> dict:
    data = form.cleaned_data
    code = data["procedure_code"].strip()
    procedure = Procedure.objects.filter(code=code).first() if code else None
    if code and procedure is None:
        raise actions.InvalidRequest(f"Không tìm thấy thủ tục có mã “{code}”.")
    user = request.user if request.user.is_authenticated else None
    return {
        "sender": actions.Sender(
            name=data["name"], user=user, verification=None if user else verification
        ),
        "kind": data["kind"],
        "title": data["title"],
        "content": data["content"],
        "agency": data["agency"],
        "procedure": procedure,
        "files": data["files"],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address, ip = form.cleaned_data["address"], client_ip(request) or ""
            verification = actions.start_verification(address=address, ip=ip, now=timezone.now())
        except actions.FeedbackError as error:
            form.add_error("address", str(error))
        else:
            request.session[VERIFY_KEY] = verification.token
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return redirect(reverse("feedback:verify_code") + query)
    return render(request, "feedback/citizen/verify.html", {"form": form}, status=_status(form))


@never_cache
@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest) -> HttpResponse:
    token = request.session.get(VERIFY_KEY, "")
    if not token:
        return redirect("feedback:verify")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = form.cleaned_data["code"]
            actions.confirm_verification(token=token, code=code, now=timezone.now())
        except actions.FeedbackError as error:
            form.add_error("code", str(error))
        else:
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return redirect(reverse("feedback:send") + query)
    context = {"form": form}
    return render(request, "feedback/citizen/verify_code.html", context, status=_status(form))


@never_cache
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    feedback = access.get_for_sender_or_404(request, code)
    secret = request.session.pop(RECEIPT_KEY, None)
    context = {"feedback": feedback, "secret": secret}
    return render(request, "feedback/citizen/receipt.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = access.find_to_follow(ip=client_ip(request) or "", **form.cleaned_data)
        except actions.RateLimited as error:
            form.add_error(None, str(error))
        else:
            if found is not None:
                access.remember(request, found)
                return redirect("feedback:follow_detail", code=found.code)
            form.add_error(None, "Không tìm thấy phản ánh với mã và thông tin đã nhập.")
    return render(request, "feedback/citizen/follow.html", {"form": form}, status=_status(form))


@never_cache
def follow_detail(request: HttpRequest, code: str) -> HttpResponse:
    feedback = access.get_for_sender_or_404(request, code)
    shown = feedback.merged_into or feedback  # a merged item follows the kept one's answer
    context = {"feedback": feedback, "shown": shown, "now": timezone.now()}
    return render(request, "feedback/citizen/detail.html", context)


def _sender_act(request: HttpRequest, code: str, act, **kwargs) -> HttpResponse:
    feedback = access.get_for_sender_or_404(request, code)
    by = request.user if request.user.is_authenticated else None
    try:
        act(feedback=feedback, by=by, now=timezone.now(), **kwargs)
    except actions.FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Đã ghi nhận.")
    return redirect("feedback:follow_detail", code=feedback.code)


@require_POST
def reply(request: HttpRequest, code: str) -> HttpResponse:
    text = request.POST.get("text", "")
    return _sender_act(request, code, actions.answer_info_request, reply=text)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    satisfied = request.POST.get("rating") == "SATISFIED"
    return _sender_act(request, code, actions.rate_answer, satisfied=satisfied)


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _sender_act(request, code, actions.reopen_feedback, reason=request.POST.get("text", ""))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    items = Feedback.objects.for_sender(request.user).select_related("agency")
    page = Paginator(items, 20).get_page(request.GET.get("trang"))
    return render(request, "feedback/citizen/mine.html", {"page": page})
