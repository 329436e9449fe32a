"""Form fields shared by the sign-up page and the desk's registration of an applicant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .phone import normalize_phone


class PhoneField(forms.CharField):
    """A Vietnamese mobile number typed in any usual way (spaces, dots, +84), cleaned to
    0XXXXXXXXX; "" when left empty and not required."""

    default_error_messages = {
        "invalid": _("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return ""
        phone = normalize_phone(value)
        if phone is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
