"""Forms of the processing steps: the agency administrator's step editor (a formset) and the
notes of completing or returning a dossier's step. Validation only; the rules of a valid list
of steps are the action's (actions.steps.step_errors), checked here to show them beside it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opendvc.catalog.models import ProcedureCase

from .actions.steps import MAX_WORKING_DAYS, step_errors
from .models import ProcessingStep

MAX_STEPS = 20


class StepForm(forms.Form):
    name = forms.CharField(label=_("Tên bước"), max_length=200)
    # A blank first choice, so that the blank rows for new steps are left out when unused.
    role = forms.ChoiceField(
        label=_("Người thực hiện"),
        choices=[("", _("– Chọn –")), *ProcessingStep.Role.choices],
    )
    working_days = forms.IntegerField(
        label=_("Số ngày làm việc"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        error_messages={
            "min_value": _("Số ngày làm việc phải từ 1 trở lên."),
            "max_value": _("Số ngày làm việc không quá %(limit_value)s."),
            "invalid": _("Số ngày làm việc phải là số nguyên."),
        },
    )


class BaseStepFormSet(forms.BaseFormSet):
    """The steps of one case, in the order given by their "Thứ tự" numbers; rows ticked for
    deletion and blank extra rows are left out."""

    def __init__(self, *args, case: ProcedureCase, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Thứ tự")
        form.fields["DELETE"].label = _("Xoá bước này")

    def steps(self) -> list[dict]:
        """The cleaned steps, in order (call after is_valid)."""
        return [
            {key: form.cleaned_data[key] for key in ("name", "role", "working_days")}
            for form in self.ordered_forms
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        errors = step_errors(self.case, self.steps())
        if errors:
            raise ValidationError(errors)


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
    absolute_max=MAX_STEPS,
)


class CompleteStepForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnStepForm(forms.Form):
    note = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi rõ lý do trả lại bước trước.")},
    )


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Mã hoặc tên thủ tục"), required=False, max_length=200)
