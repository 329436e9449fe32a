"""Validation of the store's forms; the actions do the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import Details
from .models import DocumentType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DocumentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.all(), label=_("Loại giấy tờ"), empty_label=_("— Chọn —")
    )
    file = forms.FileField(
        label=_("Tệp giấy tờ"),
        help_text=_("PDF, JPEG hoặc PNG; kiểm tra theo nội dung tệp."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    number = forms.CharField(label=_("Số giấy tờ"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=200, required=False)
    issued_date = forms.DateField(label=_("Ngày cấp"), required=False, widget=DateInput())
    expiry_date = forms.DateField(
        label=_("Có giá trị đến"),
        required=False,
        widget=DateInput(),
        help_text=_("Để trống nếu giấy tờ không ghi thời hạn."),
    )

    def clean(self):
        data = super().clean()
        issued, expiry = data.get("issued_date"), data.get("expiry_date")
        if issued and expiry and expiry < issued:
            self.add_error("expiry_date", _("Ngày hết hạn phải sau ngày cấp."))
        return data

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            number=data["number"].strip(),
            issuer=data["issuer"].strip(),
            issued_date=data["issued_date"],
            expiry_date=data["expiry_date"],
        )


class DigitisedForm(DocumentForm):
    """The desk's copy: the issuer, number and dates come from the paper in hand."""

    agency = forms.ModelChoiceField(queryset=None, label=_("Bộ phận một cửa"), empty_label=None)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        for name in ("number", "issuer", "issued_date"):
            self.fields[name].required = True


class FindPersonForm(forms.Form):
    login = forms.CharField(
        label=_("Số điện thoại hoặc email của người dân"),
        max_length=254,
        help_text=_("Nhập đúng số điện thoại hoặc email đã đăng ký tài khoản."),
    )


class ConfirmDeletionForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng mọi giấy tờ trong kho sẽ bị xóa và không khôi phục được."),
    )
