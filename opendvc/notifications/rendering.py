"""Turn an event's variables into the text of one channel, from the current template version.

- SMS: unaccented (GSM-7, see sms.py), on one line, cut to settings.SMS_MAX_PARTS parts.
- E-mail: the subject on one line; the body as written.
- Zalo: the body keeps its diacritics (Zalo shows Unicode); `data` holds what ZNS sends: the
  approved template's id and its parameters, each cut to the length ZNS accepts.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.template import Context, Engine

from . import sms
from .defaults import DEFAULTS, ZNS_DEFAULTS, zns_limit
from .models import Channel, Template

logger = logging.getLogger(__name__)

# Messages are plain text: no HTML escaping, no access to the site's template tags.
ENGINE = Engine(autoescape=False)


class NoTemplate(LookupError):
    """No text exists for this event on this channel."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    template: Template | None
    version: int
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """The template text of one version: a saved Template, or the built-in text (version 0)."""

    subject: str
    body: str
    zns_template_id: str = ""
    zns_params: dict = field(default_factory=dict)
    template: Template | None = None

    @property
    def version(self) -> int:
        return self.template.version if self.template else 0


def current(event: str, channel: str) -> Template | None:
    return Template.objects.filter(event=event, channel=channel).order_by("-version").first()


def current_all() -> dict[tuple[str, str], Template]:
    """The current version of every event and channel that has one, in one query."""
    latest = (
        Template.objects.filter(event=OuterRef("event"), channel=OuterRef("channel"))
        .order_by("-version")
        .values("version")[:1]
    )
    rows = Template.objects.filter(version=Subquery(latest)).select_related("created_by")
    return {(row.event, row.channel): row for row in rows}


def builtin(event: str, channel: str) -> Source:
    """The built-in text (version 0). Raises NoTemplate."""
    if (event, channel) not in DEFAULTS:
        raise NoTemplate(f"{event}/{channel}")
    text = DEFAULTS[(event, channel)]
    subject, body = "", text
    if channel == Channel.EMAIL:
        subject, _, body = text.partition("\n")
    zns_id, zns_params = ZNS_DEFAULTS.get(event, ("", {})) if channel == Channel.ZALO else ("", {})
    return Source(subject=subject, body=body, zns_template_id=zns_id, zns_params=dict(zns_params))


def source_of(template: Template) -> Source:
    return Source(
        subject=template.subject,
        body=template.body,
        zns_template_id=template.zns_template_id,
        zns_params=dict(template.zns_params or {}),
        template=template,
    )


def render(event: str, channel: str, context: dict) -> Rendered:
    """The message of `event` on `channel`. Raises NoTemplate.

    A saved version that cannot be compiled or rendered is logged and the built-in text is
    used instead: a mistake in the editor must never stop a notice from being sent."""
    template = current(event, channel)
    if template is not None:
        try:
            return render_source(source_of(template), channel, context)
        except Exception:  # any template error; the built-in text is known to work
            logger.exception(
                "Template %s of %s/%s does not render; using the built-in text",
                template.version,
                event,
                channel,
            )
    return render_source(builtin(event, channel), channel, context)


def render_source(source: Source, channel: str, context: dict, *, cut: bool = True) -> Rendered:
    """Render one version. `cut=False` leaves an SMS at its full length (the editor counts
    it). Raises TemplateSyntaxError and whatever a template raises while rendering."""
    subject = " ".join(_render_text(source.subject, context).split())
    body = _render_text(source.body, context).strip()
    data: dict = {}
    if channel == Channel.SMS:
        body = sms_text(body)
        if cut:
            body = sms.fit(body, settings.SMS_MAX_PARTS)
    elif channel == Channel.ZALO:
        data = zns_data(source.zns_template_id, source.zns_params, context)
    return Rendered(
        subject=subject if channel == Channel.EMAIL else "",
        body=body,
        template=source.template,
        version=source.version,
        data=data,
    )


def _render_text(text: str, context: dict) -> str:
    # Context escapes by default whatever the engine says; messages are not HTML.
    return ENGINE.from_string(text).render(Context(context, autoescape=False)) if text else ""


def sms_text(body: str) -> str:
    """An SMS body before it is cut: unaccented, on one line with single spaces."""
    return " ".join(sms.unaccent(body).split())


def zns_data(template_id: str, params: dict, context: dict) -> dict:
    """The ZNS request's template id and parameter values, each cut to its ZNS limit."""
    values = {}
    for param, variable in params.items():
        value = context.get(variable)
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        limit = zns_limit(variable)
        values[param] = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"template_id": template_id, "template_data": values}
