"""Validation of the desk's counter and postal registration: finding the procedure, the
applicant's details (validation only, no state change)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from opendvc.accounts.fields import PhoneField
from opendvc.catalog.models import Procedure
from opendvc.core.text import fold
from opendvc.directory.models import Agency

from . import access
from .models import Dossier

FOUND_MAX = 20
# A citizen's personal identification number (12 digits; 9 on an old identity card); a
# business's enterprise code (10 digits, or 10-3 for a branch).
CITIZEN_ID = re.compile(r"^(\d{9}|\d{12})$")
BUSINESS_ID = re.compile(r"^\d{10}(-\d{3})?$")
REQUIRED = {"required": _("Vui lòng nhập thông tin này.")}


def received_procedures(agency: Agency):
    """Public procedures whose dossiers the agency receives: those naming it, the generic
    agency it stands for, or one of the generic agencies it acts for (as create_draft checks)."""
    named = [agency.pk, *agency.stands_for.values_list("pk", flat=True)]
    if agency.generic_id:
        named.append(agency.generic_id)
    return Procedure.objects.public().filter(implementing_agencies__in=named).distinct()


class FindProcedureForm(forms.Form):
    """Step one at the desk: the receiving agency and the procedure, by code or by words."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"),
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không tiếp nhận hồ sơ tại cơ quan này.")},
    )
    q = forms.CharField(
        label=_("Mã thủ tục hoặc tên thủ tục"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: 1.001193, hoặc vài từ trong tên thủ tục (có dấu hoặc không dấu)."),
    )
    thu_tuc = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, **kwargs):
        agencies = access.desk_agencies(user)
        only = list(agencies[:2])
        if data is not None and len(only) == 1 and not data.get("agency"):
            data = data.copy()  # an officer of one desk need not name it (a typed-in link)
            data["agency"] = only[0].pk
        super().__init__(data, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(only) == 1:
            self.fields["agency"].initial = only[0].pk
            self.fields["agency"].widget = forms.HiddenInput()

    def found(self) -> list[Procedure]:
        """The agency's procedures matching the code or every word typed, at most FOUND_MAX."""
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return []
        q = self.cleaned_data["q"].strip()
        procedures = received_procedures(self.cleaned_data["agency"])
        exact = list(procedures.filter(code__iexact=q))
        if exact:
            return exact
        # Folded in Python, as Agency.objects.name_matches does: portable across databases,
        # and one agency receives at most a few thousand procedures.
        words = fold(q).split()
        ids = [
            pk
            for pk, code, name in procedures.values_list("pk", "code", "name")
            if q.lower() in code.lower() or (words and all(w in fold(name) for w in words))
        ]
        return list(procedures.filter(pk__in=ids[:FOUND_MAX]).order_by("code"))

    def chosen(self) -> Procedure | None:
        """The procedure picked from the results (its code), if the agency receives it."""
        if not self.is_valid() or not self.cleaned_data["thu_tuc"]:
            return None
        procedures = received_procedures(self.cleaned_data["agency"])
        chosen = procedures.filter(code=self.cleaned_data["thu_tuc"]).first()
        if chosen is None:
            self.add_error("q", _("Cơ quan này không tiếp nhận thủ tục đã chọn."))
        return chosen


class CounterApplicantForm(forms.Form):
    """Step one, once the procedure is known: the case, the channel and the applicant."""

    case = forms.ModelChoiceField(
        label=_("Trường hợp"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Vui lòng chọn trường hợp."),
            "invalid_choice": _("Trường hợp đã chọn không thuộc thủ tục này."),
        },
    )
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        coerce=int,
        choices=[
            (Dossier.Channel.COUNTER, _("Trực tiếp tại Bộ phận Một cửa")),
            (Dossier.Channel.POSTAL, _("Qua dịch vụ bưu chính")),
        ],
        widget=forms.RadioSelect,
        initial=Dossier.Channel.COUNTER,
        error_messages={
            "required": _("Vui lòng chọn hình thức nộp."),
            "invalid_choice": _("Tại đây chỉ tiếp nhận hồ sơ nộp trực tiếp hoặc qua bưu chính."),
        },
    )
    name = forms.CharField(
        label=_("Họ và tên người nộp (hoặc tên tổ chức)"), max_length=200, error_messages=REQUIRED
    )
    type = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=Dossier.ApplicantType.choices,
        widget=forms.RadioSelect,
        initial=Dossier.ApplicantType.CITIZEN,
        error_messages={
            "required": _("Vui lòng chọn loại người nộp."),
            "invalid_choice": _("Người nộp là công dân hoặc doanh nghiệp, tổ chức."),
        },
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân hoặc mã số doanh nghiệp"), max_length=20, required=False
    )
    phone = PhoneField(
        label=_("Số điện thoại"),
        required=False,
        help_text=_("Ví dụ: 0912 345 678. Dùng để tra cứu và nhận thông báo về hồ sơ."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False)

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = procedure.cases.all()
        cases = list(procedure.cases.all()[:2])
        if len(cases) == 1:
            self.initial["case"] = cases[0].pk

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vui lòng nhập họ và tên người nộp."))
        return name

    def clean(self):
        data = super().clean()
        number = "".join(data.get("id_number", "").split())
        kind = data.get("type")
        if number and kind == Dossier.ApplicantType.BUSINESS and not BUSINESS_ID.match(number):
            self.add_error(
                "id_number", _("Mã số doanh nghiệp gồm 10 chữ số (chi nhánh: thêm “-” và 3 số).")
            )
        elif number and kind == Dossier.ApplicantType.CITIZEN and not CITIZEN_ID.match(number):
            self.add_error("id_number", _("Số định danh cá nhân gồm 12 chữ số (CMND cũ: 9 số)."))
        data["id_number"] = number
        return data

    def draft_kwargs(self) -> dict:
        """The arguments of create_draft, but for who acts, where and when."""
        data = self.cleaned_data
        keys = ("name", "type", "id_number", "phone", "email")
        applicant = {key: data[key] for key in keys}
        counter = {"received": [], "address": data["address"].strip()}
        return {
            "case": data["case"],
            "channel": data["channel"],
            "applicant": applicant,
            "form_data": {"counter": counter},
        }
