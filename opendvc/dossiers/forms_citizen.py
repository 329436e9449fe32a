"""Forms and read helpers of the citizen's filing pages (validation only, no state change)."""

from datetime import date

from django import forms
from django.db.models import Q

from opendvc.catalog.models import Procedure
from opendvc.directory.models import Agency

from . import eforms
from .eforms import prefill
from .eforms.spec import COMMUNE_REF
from .models import Dossier


def receiving_agencies(procedure: Procedure):
    """Concrete active agencies that receive the procedure's dossiers: those standing for its
    (generic) implementing agencies, and the implementing agencies that are concrete."""
    named = list(procedure.implementing_agencies.all())
    concrete = [agency.pk for agency in named if not agency.is_generic]
    standing = Q(generic__in=named) | Q(stands_for__in=named)  # Agency.objects.standing_for
    return Agency.objects.active().filter(standing | Q(pk__in=concrete)).distinct().order_by("name")


class StartForm(forms.Form):
    """Which case of the procedure, and which agency receives it."""

    case = forms.ModelChoiceField(
        label="Trường hợp", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    agency = forms.ModelChoiceField(
        label="Cơ quan tiếp nhận hồ sơ", queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = procedure.cases.all()
        self.fields["agency"].queryset = receiving_agencies(procedure)
        for name in ("case", "agency"):
            choices = list(self.fields[name].queryset[:2])
            if len(choices) == 1:
                self.initial[name] = choices[0].pk


def eform_for(dossier: Dossier, user, data=None, shown: dict | None = None) -> eforms.EForm:
    """The draft's e-form: bound to `data` (a POST), else showing `shown`, what was saved
    before, or what the account already says on a first visit."""
    spec = eforms.get_form_spec(dossier.procedure, dossier.case)
    initial = (
        shown or dict(dossier.form_data) or prefill.initial_for(spec, dossier=dossier, user=user)
    )
    return eforms.build_django_form(spec, data, initial=initial)


def lists_communes(form: eforms.EForm) -> bool:
    """Whether the form has a commune list that depends on the province chosen."""
    return any(field.options_ref == COMMUNE_REF for field in form.spec.fields())


def blocking_findings(dossier: Dossier) -> list:
    """The findings on the saved answers that stop a submission. Checked again at submission
    although checked when saved: rules read today's date and the communes."""
    spec = eforms.get_form_spec(dossier.procedure, dossier.case)
    return [f for f in eforms.validate(spec, dossier.form_data or {}) if f.is_blocking]


def answers(dossier: Dossier) -> tuple[list, list]:
    """The saved answers as (section legend, [(label, shown value)]), and every finding on
    them (errors block submission; warnings are shown only)."""
    spec = eforms.get_form_spec(dossier.procedure, dossier.case)
    form = eforms.build_django_form(spec, dossier.form_data or {})
    findings = form.errors_found()
    sections = []
    for section, fields in form.sections():
        rows = [(str(bound.label), _shown(bound)) for bound in fields]
        rows = [(label, value) for label, value in rows if value not in ("", None)]
        if rows:
            sections.append((section.legend, rows))
    return sections, findings


def _shown(bound):
    value = bound.value()
    if value in ("", None):
        return ""  # not the empty choice's "— Chọn —"
    choices = getattr(bound.field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        return labels.get(str(value), value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(bound.field, forms.DateField):
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value
