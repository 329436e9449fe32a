"""The administrators' editor of notification texts: the list of events and channels, the
editor with its preview, and the history of versions with restore."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opendvc.accounts.decorators import superuser_required

from . import rendering, sms
from .actions import templates as actions
from .events import EVENTS, Event
from .forms_templates import TemplateForm, params_text
from .models import FALLBACK_ORDER, Channel, Template

NOT_FOUND = "Không tìm thấy mẫu thông báo."


def get_event_channel_or_404(event: str, channel: str) -> tuple[Event, str]:
    """The event and channel named in the URL, if the event is sent on that channel."""
    try:
        rendering.builtin(event, channel)
    except rendering.NoTemplate:
        raise Http404(NOT_FOUND) from None
    return EVENTS[event], Channel(channel)


@dataclass(frozen=True)
class Preview:
    rendered: rendering.Rendered
    count: sms.SmsCount | None = None

    @property
    def is_too_long(self) -> bool:
        return self.count is not None and self.count.parts > settings.SMS_MAX_PARTS


@superuser_required
def template_list(request: HttpRequest) -> HttpResponse:
    saved = rendering.current_all()
    rows = [
        (event, [(channel, saved.get((event.code, channel))) for channel in FALLBACK_ORDER])
        for event in EVENTS.values()
    ]
    return render(request, "notifications/templates/list.html", {"rows": rows})


@superuser_required
def template_edit(request: HttpRequest, event: str, channel: str) -> HttpResponse:
    spec, channel = get_event_channel_or_404(event, channel)
    if request.method != "POST":
        source = _current_source(spec.code, channel)
        form = TemplateForm(channel=channel, initial=_initial(source))
        return _editor(request, spec, channel, form, _preview_of(source, spec, channel), source)
    form = TemplateForm(request.POST, channel=channel)
    preview = _check(form, spec, channel)
    if not form.is_valid() or "preview" in request.POST:
        return _editor(request, spec, channel, form, preview)
    try:
        template = actions.save_template(
            event=spec.code,
            channel=channel,
            **form.template_fields(),
            note=form.cleaned_data["note"],
            by=request.user,
            now=timezone.now(),
        )
    except actions.InvalidTemplate as error:
        form.add_error(error.field, str(error))
        return _editor(request, spec, channel, form, preview)
    messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": template.version})
    return redirect("notifications:template_edit", event=spec.code, channel=channel)


@superuser_required
def template_history(request: HttpRequest, event: str, channel: str) -> HttpResponse:
    spec, channel = get_event_channel_or_404(event, channel)
    versions = Template.objects.filter(event=spec.code, channel=channel).select_related(
        "created_by"
    )
    context = {
        "event": spec,
        "channel": channel,
        "versions": versions,
        "builtin": rendering.builtin(spec.code, channel),
    }
    return render(request, "notifications/templates/history.html", context)


@require_POST
@superuser_required
def template_restore(request: HttpRequest, event: str, channel: str) -> HttpResponse:
    spec, channel = get_event_channel_or_404(event, channel)
    version = request.POST.get("version", "")
    try:
        template = actions.restore_template(
            event=spec.code,
            channel=channel,
            version=int(version) if version.isdigit() else -1,
            by=request.user,
            now=timezone.now(),
        )
    except actions.InvalidTemplate as error:
        messages.error(request, str(error))
        return redirect("notifications:template_history", event=spec.code, channel=channel)
    messages.success(
        request,
        _("Đã khôi phục phiên bản %(old)s thành phiên bản %(n)s.")
        % {"old": version, "n": template.version},
    )
    return redirect("notifications:template_edit", event=spec.code, channel=channel)


def _current_source(event: str, channel: str) -> rendering.Source:
    template = rendering.current(event, channel)
    return rendering.source_of(template) if template else rendering.builtin(event, channel)


def _initial(source: rendering.Source) -> dict:
    return {
        "subject": source.subject,
        "body": source.body,
        "zns_template_id": source.zns_template_id,
        "zns_params": params_text(source.zns_params),
    }


def _preview_of(source: rendering.Source, spec: Event, channel: str) -> Preview | None:
    try:
        rendered = rendering.render_source(source, channel, spec.sample, cut=False)
    except Exception:  # a broken saved version: the editor shows it without a preview
        return None
    return Preview(rendered, sms.parts(rendered.body) if channel == Channel.SMS else None)


def _check(form: TemplateForm, spec: Event, channel: str) -> Preview | None:
    """The typed text rendered with the sample, or None with the errors put on the form. An
    SMS over the limit still gets its preview, so the count shows how much to cut."""
    if not form.is_valid():
        return None
    fields = form.template_fields()
    try:
        rendered = actions.check_template(event=spec.code, channel=channel, **fields)
    except actions.TooLong as error:
        form.add_error(error.field, str(error))
        return Preview(error.rendered, sms.parts(error.rendered.body))
    except actions.InvalidTemplate as error:
        form.add_error(error.field, str(error))
        return None
    return Preview(rendered, sms.parts(rendered.body) if channel == Channel.SMS else None)


def _editor(request, spec, channel, form, preview, source=None) -> HttpResponse:
    template = source.template if source else rendering.current(spec.code, channel)
    context = {
        "event": spec,
        "channel": channel,
        "form": form,
        "preview": preview,
        "current": template,
        "max_parts": settings.SMS_MAX_PARTS,
    }
    return render(request, "notifications/templates/edit.html", context)
