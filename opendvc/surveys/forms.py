"""Validation only: the rating, the kiosk's lookup, the report's period, the survey builder."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendvc.dossiers.forms import TrackingForm

from .criteria import CRITERIA, Overall
from .models import COMMENT_MAX, Question, Survey

REQUIRED = {"required": _("Vui lòng chọn một mức.")}
LOCAL = "%Y-%m-%dT%H:%M"
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RatingForm(forms.Form):
    """The nine criteria of Circular 01/2018/TT-VPCP, the overall level and a comment."""

    overall = forms.TypedChoiceField(
        label=_("Đánh giá chung của bạn"),
        choices=Overall.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Tối đa %(limit_value)d ký tự.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {
            c.key: forms.TypedChoiceField(
                label=c.question,
                # Best answer first, as people read down the list.
                choices=[(score, c.levels[score]) for score in (2, 1, 0)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=REQUIRED,
            )
            for c in CRITERIA
        }
        self.fields = {**criteria, **self.fields}

    def scores(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[c.key] for c in CRITERIA}


class KioskForm(TrackingForm):
    """The dossier code and the receipt secret or the phone used, as tracking asks them."""


class PeriodForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None, empty_label=None)
    start = forms.DateField(label=_("Từ ngày"), widget=DAY)
    end = forms.DateField(label=_("Đến ngày"), widget=DAY)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as [start, end) in local time, both days included."""
        tz = timezone.get_current_timezone()
        start: date = self.cleaned_data["start"]
        end: date = self.cleaned_data["end"] + timedelta(days=1)
        return datetime.combine(start, time(), tz), datetime.combine(end, time(), tz)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "description", "agency", "opens_at", "closes_at", "is_anonymous"]
        labels = {
            "title": _("Tên khảo sát"),
            "description": _("Giới thiệu"),
            "agency": _("Cơ quan"),
            "opens_at": _("Bắt đầu nhận trả lời"),
            "closes_at": _("Kết thúc nhận trả lời"),
            "is_anonymous": _("Khảo sát ẩn danh (không cần đăng nhập)"),
        }
        widgets = {
            # The one format a datetime-local input shows.
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agencies, is_admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agencies
        # Only an administrator makes a survey of the whole portal (no agency).
        field.required = not is_admin
        field.empty_label = _("Toàn cổng (không thuộc cơ quan nào)") if is_admin else None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại câu hỏi"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Câu hỏi"), max_length=500)
    help_text = forms.CharField(label=_("Gợi ý (không bắt buộc)"), max_length=500, required=False)
    is_required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False)
    options = forms.CharField(
        label=_("Phương án trả lời, hoặc các mức của bảng (mỗi dòng một phương án)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rows = forms.CharField(
        label=_("Các dòng của bảng (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    condition = forms.ChoiceField(label=_("Chỉ hiện câu hỏi khi"), required=False)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {q.pk: q for q in survey.questions.filter(kind__in=["SINGLE", "MULTIPLE"])}
        choices = [("", _("Luôn hiện"))]
        for q in self.sources.values():
            for i, option in enumerate(q.options):
                choices.append((f"{q.pk}:{i}", f"{q.position}. {q.text[:40]} – {option}"))
        self.fields["condition"].choices = choices

    def clean_options(self) -> list[str]:
        return _lines(self.cleaned_data["options"])

    def clean_rows(self) -> list[str]:
        return _lines(self.cleaned_data["rows"])

    def question_fields(self) -> dict:
        data = dict(self.cleaned_data)
        condition = data.pop("condition")
        source, option = None, None
        if condition:
            pk, index = condition.split(":")
            source, option = self.sources[int(pk)], int(index)
        return {**data, "condition_question": source, "condition_option": option}
