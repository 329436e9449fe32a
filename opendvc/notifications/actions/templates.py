"""Administrators' versions of the notification texts: checked, saved as the next version,
restored from an older one. Versions are never edited (models.Template)."""

import re
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode, WithNode

from opendvc.audit.actions import record

from .. import rendering, sms
from ..events import EVENTS
from ..models import Channel, Template

ZNS_PARAM = re.compile(r"^[A-Za-z0-9_]{1,50}$")
ZNS_ID = re.compile(r"^[0-9]{1,40}$")


class InvalidTemplate(ValueError):
    """The text cannot be saved. `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class TooLong(InvalidTemplate):
    """The SMS rendered with the event's sample takes more parts than allowed."""

    def __init__(self, message: str, rendered: rendering.Rendered):
        super().__init__(message, "body")
        self.rendered = rendered


def check_template(
    *, event: str, channel: str, subject: str, body: str, zns_template_id: str, zns_params: dict
) -> rendering.Rendered:
    """Check a text as it would be saved and return it rendered with the event's sample, at
    full length (an SMS is not cut). Raises InvalidTemplate."""
    spec = _event(event, channel)
    if channel == Channel.EMAIL and not subject.strip():
        raise InvalidTemplate("Thư điện tử cần có tiêu đề.", "subject")
    if not body.strip():
        raise InvalidTemplate("Nội dung không được để trống.", "body")
    for name, text in (("subject", subject), ("body", body)):
        _check_variables(text, set(spec.variables), name)
    if channel == Channel.ZALO:
        _check_zns(zns_template_id, zns_params, set(spec.variables))
    source = rendering.Source(subject, body, zns_template_id, zns_params)
    try:
        rendered = rendering.render_source(source, channel, spec.sample, cut=False)
    except Exception as error:  # whatever a template raises while rendering
        raise InvalidTemplate(f"Không hiển thị được với dữ liệu mẫu: {error}", "body") from error
    if channel == Channel.SMS:
        count = sms.parts(rendered.body)
        if count.parts > settings.SMS_MAX_PARTS:
            raise TooLong(
                f"Tin nhắn mẫu dài {count.chars} ký tự, cần {count.parts} tin nhắn; "
                f"giới hạn là {settings.SMS_MAX_PARTS} tin nhắn.",
                rendered,
            )
    return rendered


def save_template(
    *,
    event: str,
    channel: str,
    subject: str,
    body: str,
    zns_template_id: str = "",
    zns_params: dict | None = None,
    note: str = "",
    by,
    now: datetime,
) -> Template:
    """Check the text and save it as the next version of the event's text on the channel,
    which the outbox uses from then on. Raises InvalidTemplate."""
    zns_params = dict(zns_params or {}) if channel == Channel.ZALO else {}
    zns_template_id = zns_template_id.strip() if channel == Channel.ZALO else ""
    subject = subject.strip() if channel == Channel.EMAIL else ""
    check_template(
        event=event,
        channel=channel,
        subject=subject,
        body=body,
        zns_template_id=zns_template_id,
        zns_params=zns_params,
    )
    fields = {
        "subject": subject,
        "body": body.strip(),
        "zns_template_id": zns_template_id,
        "zns_params": zns_params,
        "note": note.strip()[:300],
    }
    with transaction.atomic():
        template = _create_next_version(event=event, channel=channel, by=by, now=now, **fields)
        record(
            action="notifications.save_template",
            actor=by,
            target=template,
            payload={"event": event, "channel": channel, "version": template.version, **fields},
            now=now,
        )
    return template


def restore_template(*, event: str, channel: str, version: int, by, now: datetime) -> Template:
    """Save a copy of an older version (0: the built-in text) as the next version. The copy is
    checked like any new text, since the event's variables or the SMS limit may have changed
    since. Raises InvalidTemplate."""
    _event(event, channel)
    if version == 0:
        source = rendering.builtin(event, channel)
    else:
        old = Template.objects.filter(event=event, channel=channel, version=version).first()
        if old is None:
            raise InvalidTemplate(f"Không có phiên bản {version} của mẫu này.")
        source = rendering.source_of(old)
    return save_template(
        event=event,
        channel=channel,
        subject=source.subject,
        body=source.body,
        zns_template_id=source.zns_template_id,
        zns_params=source.zns_params,
        note=f"Khôi phục phiên bản {version}",
        by=by,
        now=now,
    )


def _event(event: str, channel: str):
    if event not in EVENTS:
        raise InvalidTemplate(f"Không có sự kiện “{event}”.")
    if channel not in Channel.values:
        raise InvalidTemplate(f"Không có kênh gửi “{channel}”.")
    try:
        rendering.builtin(event, channel)
    except rendering.NoTemplate:
        raise InvalidTemplate("Sự kiện này không gửi trên kênh này.") from None
    return EVENTS[event]


def _create_next_version(*, event: str, channel: str, by, now: datetime, **fields) -> Template:
    # Two administrators saving at once both read the same highest version; the unique
    # constraint lets only one insert it, and the other reads again and takes the next one.
    # (Locking the existing rows would not help: the first version has none to lock.)
    for _attempt in range(5):
        version = highest_version(event, channel) + 1
        try:
            with transaction.atomic():
                return Template.objects.create(
                    event=event,
                    channel=channel,
                    version=version,
                    created_by=by,
                    created_at=now,
                    **fields,
                )
        except IntegrityError:
            continue
    raise InvalidTemplate("Mẫu đang được người khác lưu; vui lòng lưu lại.")


def highest_version(event: str, channel: str) -> int:
    found = Template.objects.filter(event=event, channel=channel).aggregate(v=Max("version"))
    return found["v"] or 0


def _check_zns(template_id: str, params: dict, allowed: set[str]) -> None:
    if not template_id.strip():
        raise InvalidTemplate("Tin Zalo cần mã mẫu ZNS đã được Zalo duyệt.", "zns_template_id")
    if not ZNS_ID.match(template_id.strip()):
        raise InvalidTemplate("Mã mẫu ZNS chỉ gồm chữ số.", "zns_template_id")
    for param, variable in params.items():
        if not ZNS_PARAM.match(param):
            raise InvalidTemplate(
                f"Tên tham số ZNS “{param}” chỉ gồm chữ cái không dấu, chữ số và dấu _.",
                "zns_params",
            )
        if variable not in allowed:
            raise InvalidTemplate(
                f"Tham số “{param}” dùng biến “{variable}” không có trong sự kiện này.",
                "zns_params",
            )


def _check_variables(text: str, allowed: set[str], field: str) -> None:
    try:
        nodelist = rendering.ENGINE.from_string(text).nodelist
    except TemplateSyntaxError as error:
        raise InvalidTemplate(f"Mẫu viết sai cú pháp: {error}", field) from error
    unknown = sorted(variables_used(nodelist) - allowed)
    if unknown:
        names = ", ".join(unknown)
        raise InvalidTemplate(f"Biến không có trong sự kiện này: {names}.", field)


def variables_used(nodelist: NodeList, bound: frozenset[str] = frozenset()) -> set[str]:
    """The context variables a compiled template reads, apart from the names its own
    `{% for %}` and `{% with %}` tags bind (`item` in `{% for item in reasons %}`)."""
    found: set[str] = set()
    for node in nodelist:
        found |= _node_variables(node, bound)
    return found


def _node_variables(node: Node, bound: frozenset[str]) -> set[str]:
    if isinstance(node, VariableNode):
        return _expression_names(node.filter_expression) - bound
    if isinstance(node, ForNode):
        inner = bound | set(node.loopvars) | {"forloop"}
        return (
            (_expression_names(node.sequence) - bound)
            | variables_used(node.nodelist_loop, frozenset(inner))
            | variables_used(node.nodelist_empty or NodeList(), bound)
        )
    if isinstance(node, IfNode):
        found = set()
        for condition, nodelist in node.conditions_nodelists:
            found |= _condition_names(condition) - bound
            found |= variables_used(nodelist, bound)
        return found
    if isinstance(node, WithNode):
        found = set()
        for expression in node.extra_context.values():
            found |= _expression_names(expression) - bound
        return found | variables_used(node.nodelist, bound | set(node.extra_context))
    # {% firstof a b %} and {% cycle a b %} read their variables directly.
    found = set()
    for expression in getattr(node, "vars", None) or getattr(node, "cyclevars", None) or []:
        if isinstance(expression, FilterExpression):
            found |= _expression_names(expression) - bound
    for attribute in node.child_nodelists:
        found |= variables_used(getattr(node, attribute, None) or NodeList(), bound)
    return found


def _condition_names(condition) -> set[str]:
    """The variables of an `{% if %}` condition: a tree of operators over literals."""
    if condition is None:
        return set()
    if isinstance(getattr(condition, "value", None), FilterExpression):
        return _expression_names(condition.value)
    return _condition_names(getattr(condition, "first", None)) | _condition_names(
        getattr(condition, "second", None)
    )


def _expression_names(expression: FilterExpression) -> set[str]:
    found = _variable_name(expression.var)
    for _filter, arguments in expression.filters:
        for is_variable, argument in arguments:
            if is_variable:
                found |= _variable_name(argument)
    return found


def _variable_name(variable) -> set[str]:
    # A literal ("text", 3) is a plain value or a Variable without lookups.
    if isinstance(variable, Variable) and variable.lookups:
        return {variable.lookups[0]}
    return set()
