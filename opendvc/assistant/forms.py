"""The question forms: validation only; actions.py cleans and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendvc.catalog.models import Field
from opendvc.directory.models import Agency

from . import access
from .models import ANSWER_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX, Question


class AskForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan trả lời"), queryset=Agency.objects.none(), empty_label=None
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("Không chọn"),
    )
    title = forms.CharField(label=_("Tiêu đề câu hỏi"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Nội dung câu hỏi"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "aria-describedby": "id_text-help"}),
        help_text=_(
            "Không ghi số giấy tờ, địa chỉ hay số điện thoại: câu hỏi có thể được công khai "
            "(không kèm tên của bạn)."
        ),
    )

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = access.agencies_for_procedure(procedure)
        if procedure is not None:
            # The procedure's own field is taken; choosing another would only mislead.
            del self.fields["field"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    publish = forms.BooleanField(label=_("Công khai ngay câu hỏi và trả lời"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do từ chối"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class WordingForm(forms.Form):
    public_title = forms.CharField(label=_("Tiêu đề công khai"), max_length=TITLE_MAX)
    public_text = forms.CharField(
        label=_("Nội dung câu hỏi công khai"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StaffFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả"))] + list(Question.State.choices),
        required=False,
    )
    procedure = forms.CharField(label=_("Thủ tục (mã hoặc tên)"), max_length=100, required=False)
    due = forms.ChoiceField(
        label=_("Hạn trả lời"),
        choices=[
            ("", _("Tất cả")),
            ("overdue", _("Quá hạn")),
            ("due_soon", _("Sắp đến hạn")),
        ],
        required=False,
    )


class FaqFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm câu hỏi"), max_length=200, required=False)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.filter(questions__state=Question.State.PUBLISHED)
        .distinct()
        .order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả"),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.filter(questions__state=Question.State.PUBLISHED)
        .distinct()
        .order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả"),
    )
