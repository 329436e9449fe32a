"""Validation of the directory's list filters (pages and API share the limits)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agency

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000

_PAGE_ERRORS = {
    "invalid": _("Số trang phải là một số nguyên dương."),
    "min_value": _("Số trang phải là một số nguyên dương."),
    "max_value": _("Số trang quá lớn."),
}


class AgencyFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tên cơ quan"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": _("Từ khóa quá dài: tối đa %(limit_value)d ký tự."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Loại cơ quan"),
        required=False,
        choices=[("", _("Tất cả"))] + Agency.Kind.choices,
        error_messages={"invalid_choice": _("Không có loại cơ quan “%(value)s”.")},
    )
    level = forms.ChoiceField(
        label=_("Cấp"),
        required=False,
        choices=[("", _("Tất cả"))] + Agency.Level.choices,
        error_messages={"invalid_choice": _("Không có cấp “%(value)s”.")},
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, error_messages=_PAGE_ERRORS
    )

    def clean_q(self) -> str:
        # Control characters cannot come from a keyboard; drop them instead of failing.
        return "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable())


class UnitSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm xã, phường"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Từ khóa quá dài: tối đa %(limit_value)d ký tự."),
        },
    )
