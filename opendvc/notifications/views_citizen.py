"""The citizen's notification pages: their preferences, the messages sent to them, and the
one-click unsubscribe of announcements that every announcement links to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from opendvc.core.paging import page_links

from . import access, labels
from .actions import preferences as actions
from .forms_citizen import PreferenceForm
from .models import Message, Preference
from .preferences import preference_for

PER_PAGE = 20
# With every channel off the outbox queues nothing for the person (outbox.notify), so the
# only news left is what the portal itself shows.
OFF_WARNING = gettext_lazy(
    "Bạn đã tắt mọi kênh: Cổng sẽ không gửi tin cho bạn nữa; bạn chỉ xem được tình hình hồ "
    "sơ khi vào Cổng, trong mục Hồ sơ của tôi."
)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    saved = preference_for(request.user.pk)
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, user=request.user, initial=PreferenceForm.initial_from(saved))
    if data is not None and form.is_valid():
        try:
            actions.update_preferences(user=request.user, now=timezone.now(), **form.cleaned_data)
        except actions.PreferenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu tùy chọn nhận thông báo."))
            if form.all_channels_off():
                messages.warning(request, OFF_WARNING)
            return redirect("notifications:preferences")
    context = {"form": form, "all_off": not (saved.use_zalo or saved.use_sms or saved.use_email)}
    status = 400 if form.errors else 200
    return render(request, "notifications/citizen/preferences.html", context, status=status)


@login_required
@require_GET
def my_messages(request: HttpRequest) -> HttpResponse:
    own = Message.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(own, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = labels.labelled(page.object_list)
    context = {"page": page, "links": page_links(page.number, page.paginator.num_pages)}
    return render(request, "notifications/citizen/my_messages.html", context)


@login_required
@require_GET
def my_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = access.get_message_for_recipient_or_404(request.user, pk)
    labels.labelled([message])
    return render(request, "notifications/citizen/my_message.html", {"message": message})


# Mail clients POST here without a session or CSRF token (RFC 8058, List-Unsubscribe=One-Click);
# the secret token in the URL is the key, and the change only ever withdraws consent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            actions.unsubscribe_announcements(token=token, now=timezone.now())
        except Preference.DoesNotExist:
            raise Http404("Không tìm thấy đường dẫn này.") from None
        return render(request, "notifications/citizen/unsubscribed.html")
    if not Preference.objects.filter(unsubscribe_token=token).exists():
        raise Http404("Không tìm thấy đường dẫn này.")
    return render(request, "notifications/citizen/unsubscribe.html", {"token": token})
