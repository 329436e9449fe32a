"""Display helpers for the catalog pages: translated labels, durations and money.

The model choices carry Vietnamese labels for the admin; the pages need labels that follow
the visitor's language, so they are restated here behind gettext.
"""

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opendvc.core import money

register = template.Library()

LEVELS = {"BO": _("Cấp bộ"), "TINH": _("Cấp tỉnh"), "XA": _("Cấp xã")}
ONLINE = {"TOAN_TRINH": _("Toàn trình"), "MOT_PHAN": _("Một phần")}
KINDS = {
    "STANDARD": _("Thủ tục chuẩn quốc gia"),
    "SPECIFIC": _("Thủ tục đặc thù của địa phương"),
    "STANDARD_INTERNAL": _("Thủ tục nội bộ"),
}
CHANNELS = {"DIRECT": _("Trực tiếp"), "ONLINE": _("Trực tuyến"), "POSTAL": _("Dịch vụ bưu chính")}
UNITS = {
    "WORKING_DAY": _("ngày làm việc"),
    "DAY": _("ngày"),
    "HOUR": _("giờ"),
    "MONTH": _("tháng"),
}
FEE_KINDS = {"FEE": _("Phí"), "CHARGE": _("Lệ phí"), "OTHER": _("Khác")}
TARGETS = {"CITIZEN": _("Công dân"), "BUSINESS": _("Doanh nghiệp")}


@register.filter
def level_labels(procedure) -> str:
    return ", ".join(str(LEVELS[code]) for code in procedure.levels)


@register.filter
def online_label(code: str) -> str:
    return str(ONLINE.get(code, ""))


@register.filter
def kind_label(code: str) -> str:
    return str(KINDS.get(code, code))


@register.filter
def channel_label(code: str) -> str:
    return str(CHANNELS.get(code, code))


@register.filter
def fee_kind_label(code: str) -> str:
    return str(FEE_KINDS.get(code, code))


def _number(amount: Decimal) -> str:
    text = f"{amount.normalize():f}"
    return text.replace(".", ",")


@register.filter
def duration(item) -> str:
    """ "12 ngày làm việc" from a case's or channel's amount and unit.

    The national data often gives a number with no unit (OTHER); saying which unit would be
    a guess, so the number is shown with a pointer to the description.
    """
    amount = item.processing_amount
    if amount is None:
        return getattr(item, "processing_text", "")
    if item.processing_unit in UNITS:
        return f"{_number(amount)} {UNITS[item.processing_unit]}"
    return str(_("%(amount)s – xem mô tả") % {"amount": _number(amount)})


@register.filter
def vnd(amount: int) -> str:
    """Vietnamese money: dots between thousands, then the đồng sign."""
    return money.vnd(amount)


@register.simple_tag
def url_or_empty(name: str, **kwargs) -> str:
    """A URL of a page another part of the site provides, or "" while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
