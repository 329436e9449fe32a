"""Validation of the public tracking form, shared by the page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendvc.accounts.phone import normalize_phone

MAX_CODE_LENGTH = 100  # Dossier.code
MAX_SECRET_LENGTH = 32  # the secret has 10 characters; room for spaces around a copy
MAX_PHONE_LENGTH = 20


def _text(label, max_length: int, help_text="", required=False, **attrs) -> forms.CharField:
    widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", **attrs})
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": _("Vui lòng nhập thông tin này."),
            "max_length": _("Tối đa %(limit_value)d ký tự."),
        },
    )


class TrackingForm(forms.Form):
    """A dossier code and at least one second factor: the receipt secret or the phone number."""

    code = _text(
        _("Mã hồ sơ"),
        MAX_CODE_LENGTH,
        _("In trên giấy tiếp nhận, ví dụ: T24-STP-261123-0001."),
        required=True,
    )
    secret = _text(
        _("Mã bí mật tra cứu"),
        MAX_SECRET_LENGTH,
        _("10 ký tự in trên giấy tiếp nhận, không phân biệt chữ hoa, chữ thường."),
        autocapitalize="characters",
    )
    phone = _text(
        _("Hoặc số điện thoại đã dùng khi nộp hồ sơ"),
        MAX_PHONE_LENGTH,
        _("Ví dụ: 0912 345 678 hoặc +84 912 345 678."),
        type="tel",
        inputmode="tel",
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean_secret(self) -> str:
        return "".join(self.cleaned_data["secret"].split())

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if raw and normalize_phone(raw) is None:
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).")
            )
        return raw

    def clean(self):
        data = super().clean()
        factors_read = "secret" not in self.errors and "phone" not in self.errors
        if factors_read and not data.get("secret") and not data.get("phone"):
            raise forms.ValidationError(
                _("Cần nhập mã bí mật tra cứu hoặc số điện thoại đã dùng khi nộp hồ sơ."),
                code="second_factor",
            )
        return data

    def error_details(self) -> list[dict]:
        """The errors as the API's details: [{"field", "message"}], "" for the whole form."""
        return [
            {"field": "" if name == "__all__" else name, "message": str(message)}
            for name, messages in self.errors.items()
            for message in messages
        ]
