from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .fields import PhoneField
from .models import User


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Bạn là"),
        choices=[
            (User.Kind.CITIZEN, _("Công dân")),
            (User.Kind.BUSINESS, _("Doanh nghiệp, tổ chức")),
        ],
        initial=User.Kind.CITIZEN,
    )
    phone = PhoneField(
        label=_("Số điện thoại di động"),
        required=False,
        help_text=_("Ví dụ: 0912 345 678. Cần có số điện thoại hoặc email."),
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Vui lòng nhập họ và tên."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("Số điện thoại này đã được đăng ký."))
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Email này đã được đăng ký."))
        return email

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Vui lòng nhập số điện thoại hoặc email."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif p1:
            candidate = User(full_name=data.get("full_name", ""), email=data.get("email") or None)
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số điện thoại hoặc email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Số điện thoại/email hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }
