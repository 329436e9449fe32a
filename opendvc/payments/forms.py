"""Validation of the payment forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = 10_000_000_000  # VND; no fee comes near ten billion dong


class StartForm(forms.Form):
    """ "Thanh toán trực tuyến": the page's one-time key makes a double click one payment."""

    key = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)


class AgencyFeeForm(forms.Form):
    fee = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.IntegerField(
        label=_("Mức thu (đồng)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        error_messages={
            "required": _("Cần nhập mức thu."),
            "invalid": _("Mức thu là một số nguyên (đồng)."),
            "min_value": _("Mức thu không được âm."),
            "max_value": _("Mức thu quá lớn."),
        },
    )
    per_copy = forms.BooleanField(
        label=_("Thu theo mỗi bản sao người nộp đề nghị cấp"), required=False
    )


class ProcedureLookupForm(forms.Form):
    thu_tuc = forms.CharField(label=_("Mã thủ tục"), max_length=50, required=False)
