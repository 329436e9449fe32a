"""Turn an event's variables into the text of one channel, from the current template version."""

from dataclasses import dataclass, field

from django.template import Context, Engine

from .defaults import DEFAULTS
from .models import Channel, Template
from .sms import unaccent

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


def current(event: str, channel: str) -> Template | None:
    return Template.objects.filter(event=event, channel=channel).order_by("-version").first()


def render(event: str, channel: str, context: dict) -> Rendered:
    """The message of `event` on `channel`. Raises NoTemplate."""
    template = current(event, channel)
    if template is not None:
        subject_source, body_source = template.subject, template.body
    elif (event, channel) in DEFAULTS:
        text = DEFAULTS[(event, channel)]
        if channel == Channel.EMAIL:
            subject_source, _, body_source = text.partition("\n")
        else:
            subject_source, body_source = "", text
    else:
        raise NoTemplate(f"{event}/{channel}")
    subject = " ".join(ENGINE.from_string(subject_source).render(Context(context)).split())
    body = ENGINE.from_string(body_source).render(Context(context)).strip()
    if channel == Channel.SMS:
        body = unaccent(body)
    return Rendered(
        subject=subject,
        body=body,
        template=template,
        version=template.version if template else 0,
    )
