"""Validation of what people type; the actions strip HTML and check the rest."""

from django import forms

from opendvc.directory.models import Agency

from .models import Feedback


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class SendForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại phản ánh, kiến nghị", choices=Feedback.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Tiêu đề", max_length=200)
    content = forms.CharField(
        label="Nội dung",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Nêu rõ sự việc, thời gian, địa điểm và đề nghị của bạn.",
    )
    procedure_code = forms.CharField(
        label="Mã thủ tục hành chính (nếu có)", max_length=40, required=False
    )
    agency = forms.ModelChoiceField(
        label="Cơ quan tiếp nhận",
        queryset=Agency.objects.active().order_by("name"),
        required=False,
        empty_label="— Cơ quan thực hiện thủ tục đã nêu —",
        help_text="Để trống nếu phản ánh về một thủ tục: hệ thống chuyển tới cơ quan thực hiện.",
    )
    name = forms.CharField(label="Họ và tên người gửi", max_length=150)
    files = MultipleFileField(
        label="Tệp đính kèm (tối đa 3 tệp PDF, JPEG, PNG)",
        required=False,
        help_text="Nếu có lỗi, vui lòng chọn lại tệp: trình duyệt không giữ tệp đã chọn.",
    )


class AddressForm(forms.Form):
    address = forms.CharField(
        label="Số điện thoại di động hoặc e-mail",
        max_length=254,
        help_text="Chúng tôi gửi mã xác nhận gồm 6 chữ số tới địa chỉ này.",
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác nhận",
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class FollowForm(forms.Form):
    code = forms.CharField(label="Mã phản ánh", max_length=20, help_text="Ví dụ: PAKN-261123-0001")
    secret = forms.CharField(label="Mã bí mật", max_length=20, required=False)
    contact = forms.CharField(
        label="Hoặc số điện thoại, e-mail đã xác nhận khi gửi", max_length=254, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("secret") and not data.get("contact"):
            raise forms.ValidationError(
                "Cần nhập mã bí mật hoặc số điện thoại, e-mail đã xác nhận."
            )
        return data


class StaffFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Cơ quan", queryset=Agency.objects.none(), required=False, empty_label="Tất cả"
    )
    state = forms.ChoiceField(
        label="Trạng thái", choices=[("", "Tất cả")] + Feedback.State.choices, required=False
    )
    kind = forms.ChoiceField(
        label="Loại", choices=[("", "Tất cả")] + Feedback.Kind.choices, required=False
    )
    overdue = forms.ChoiceField(
        label="Thời hạn", choices=[("", "Tất cả"), ("1", "Quá hạn")], required=False
    )

    def __init__(self, *args, agency_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # An official of several agencies sees one list per agency, or all of them.
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids).order_by("name")


class PublicFilterForm(forms.Form):
    q = forms.CharField(label="Từ khoá", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Cơ quan", queryset=Agency.objects.none(), required=False, empty_label="Tất cả"
    )
    thu_tuc = forms.CharField(label="Mã thủ tục", max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only agencies with a published answer: a short list, not the whole directory.
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=Feedback.objects.published().values("agency_id")
        ).order_by("name")
