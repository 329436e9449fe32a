"""The staff's message filters and the administrators' report period: validation only."""

import re
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import labels

ANY = [("", gettext_lazy("Tất cả"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year on one page; the per-day table stays readable


class MessageFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Người nhận (số điện thoại, e-mail hoặc họ tên)"),
        required=False,
        max_length=150,
    )
    code = forms.CharField(label=gettext_lazy("Mã hồ sơ"), required=False, max_length=60)
    state = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=ANY + list(labels.STATES.items()),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Kênh"), required=False, choices=ANY + list(labels.CHANNELS.items())
    )

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data["q"].split())
        # Phone numbers are kept as 0XXXXXXXXX; accept them typed with spaces, dots or +84.
        digits = re.sub(r"[\s.\-()]", "", text)
        if re.fullmatch(r"\+?\d{6,15}", digits):
            return re.sub(r"^\+?84", "0", digits)
        return text


class PeriodForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, widget=DATE)
    until = forms.DateField(label=gettext_lazy("Đến ngày"), required=False, widget=DATE)

    def period(self, today: date) -> tuple[date, date]:
        """The chosen days, both included; by default the last 30 days up to today."""
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        return since, until

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Ngày kết thúc phải sau ngày bắt đầu."))
        elif since and until and (until - since).days >= MAX_DAYS:
            self.add_error("since", _("Chọn khoảng thời gian không quá 366 ngày."))
        return data
