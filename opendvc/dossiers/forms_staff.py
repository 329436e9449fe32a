"""Validation of the staff site's input: inbox filters and the action forms of a dossier.

Forms only validate; the actions check the workflow and raise domain errors.
"""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from opendvc.catalog.models import ProcessingUnit
from opendvc.core import calendar

from .models import Dossier, RefusalReason, Status, StopReason, SupplementReason

NOTE_MAX = 2000
SUBMITTED = [(s.value, s.label) for s in Status if s != Status.DRAFT]


def _note(required: bool = False, label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Ghi chú"),
        required=required,
        max_length=NOTE_MAX,
        widget=forms.Textarea({"rows": 3}),
    )


def _blank(choices) -> list:
    return [("", _("— Chọn —")), *choices]


class InboxFilterForm(forms.Form):
    DUE_CHOICES = [
        ("overdue", _("Quá hạn")),
        ("due_soon", _("Sắp đến hạn (trong 2 ngày)")),
        ("on_time", _("Còn hạn")),
    ]
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), required=False, max_length=200)
    status = forms.TypedChoiceField(
        label=_("Trạng thái"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(SUBMITTED),
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(Dossier.Channel.choices),
    )
    procedure = forms.CharField(label=_("Thủ tục (mã hoặc tên)"), required=False, max_length=200)
    due = forms.ChoiceField(label=_("Thời hạn"), required=False, choices=_blank(DUE_CHOICES))


class NoteForm(forms.Form):
    note = _note()


class AcceptForm(forms.Form):
    pass


class RefuseForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Lý do từ chối"), choices=_blank(RefusalReason.choices))
    note = _note()


class StopForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Lý do dừng xử lý"), choices=_blank(StopReason.choices))
    note = _note(required=True, label=_("Giải thích"))


class FinishForm(forms.Form):
    summary = _note(required=True, label=_("Kết quả giải quyết"))
    result_url = forms.URLField(
        label=_("Liên kết kết quả điện tử"), required=False, max_length=500, assume_scheme="https"
    )


class ApologyForm(forms.Form):
    UNITS = [
        (ProcessingUnit.WORKING_DAY, ProcessingUnit.WORKING_DAY.label),
        (ProcessingUnit.DAY, ProcessingUnit.DAY.label),
    ]
    reason = _note(required=True, label=_("Lý do xin lỗi và gia hạn"))
    amount = forms.IntegerField(label=_("Gia hạn thêm"), min_value=1, max_value=365)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNITS)

    def new_due_at(self, now: datetime) -> datetime:
        """The new due moment: the extension counted from now, as the legal time is."""
        data = self.cleaned_data
        return calendar.due_at(now, data["amount"], data["unit"])


class SupplementForm(forms.Form):
    """One reason code and note per component, plus one for the dossier as a whole."""

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = [(None, _("Toàn bộ hồ sơ"))] + [(c.pk, c.name) for c in components]
        for pk, name in self.targets:
            key = "all" if pk is None else pk
            self.fields[f"code_{key}"] = forms.ChoiceField(
                label=name, required=False, choices=_blank(SupplementReason.choices)
            )
            self.fields[f"note_{key}"] = _note(label=_("Ghi chú: %(name)s") % {"name": name})

    def rows(self):
        """(code field, note field) pairs for the template, one per target."""
        for pk, _name in self.targets:
            key = "all" if pk is None else pk
            yield self[f"code_{key}"], self[f"note_{key}"]

    def clean(self):
        data = super().clean()
        self.reasons = [
            {
                "component": pk,
                "code": data.get(f"code_{'all' if pk is None else pk}"),
                "note": data.get(f"note_{'all' if pk is None else pk}", ""),
            }
            for pk, _name in self.targets
            if data.get(f"code_{'all' if pk is None else pk}")
        ]
        if not self.errors and not self.reasons:
            raise forms.ValidationError(_("Cần chọn lý do cho ít nhất một thành phần hồ sơ."))
        return data
