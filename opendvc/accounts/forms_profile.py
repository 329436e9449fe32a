"""The personal details form (thông tin cá nhân): validation and address resolution only.

Each address is typed as names (xã/phường, quận/huyện only for an old address, tỉnh/thành
phố) so an old address can be converted. When the old commune was split, the form is shown
again with a choice limited to the new communes it became; nothing is chosen for the person.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .addresses import resolve
from .models import Profile

ADDRESSES = ("permanent", "current")
ADDRESS_LEGENDS = {
    "permanent": _("Nơi thường trú"),
    "current": _("Nơi ở hiện tại"),
}
_ID_SEPARATORS = re.compile(r"[\s.\-]")
OLDEST_BIRTH_DATE = date(1900, 1, 1)


def _address_fields(prefix: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_street": forms.CharField(
            label=_("Số nhà, đường/phố, thôn/xóm"), required=False, max_length=255
        ),
        f"{prefix}_commune": forms.CharField(
            label=_("Xã/Phường/Đặc khu"), required=False, max_length=120
        ),
        f"{prefix}_district": forms.CharField(
            label=_("Quận/Huyện (chỉ khi nhập địa chỉ cũ, trước 01/7/2025)"),
            required=False,
            max_length=120,
        ),
        f"{prefix}_province": forms.CharField(
            label=_("Tỉnh/Thành phố"), required=False, max_length=120
        ),
        # Its options are the candidates of the typed address, set when the form is checked;
        # a CharField so the posted code is checked against them, not a fixed list.
        f"{prefix}_choice": forms.CharField(
            label=_("Xã/phường hiện nay của bạn"),
            required=False,
            max_length=10,
            widget=forms.RadioSelect,
        ),
    }


class ProfileForm(forms.Form):
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Ngày sinh không hợp lệ. Ví dụ: 01/05/1990.")},
    )
    gender = forms.ChoiceField(
        label=_("Giới tính"),
        required=False,
        choices=[("", _("— Chọn —")), *Profile.Gender.choices],
    )
    id_number = forms.CharField(
        label=_("Số căn cước công dân (CCCD)"),
        required=False,
        max_length=20,
        help_text=_("12 chữ số, như trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for prefix in ADDRESSES:
            self.fields.update(_address_fields(prefix))

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data["birth_date"]
        if value and value > self.today:
            raise forms.ValidationError(_("Ngày sinh không được là một ngày trong tương lai."))
        if value and value < OLDEST_BIRTH_DATE:
            raise forms.ValidationError(_("Ngày sinh không hợp lệ: trước năm 1900."))
        return value

    def clean_id_number(self) -> str:
        # People copy the number with the card's spacing ("001 090 012 345").
        value = _ID_SEPARATORS.sub("", self.cleaned_data["id_number"])
        if value and not re.fullmatch(r"[0-9]{12}", value):
            raise forms.ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."))
        return value

    def clean(self):
        cleaned = super().clean()
        for prefix in ADDRESSES:
            cleaned[prefix] = self._address(prefix, cleaned)
        return cleaned

    def _address(self, prefix: str, cleaned: dict) -> dict | None:
        street = cleaned.get(f"{prefix}_street", "")
        names = {
            part: cleaned.get(f"{prefix}_{part}", "")
            for part in ("commune", "district", "province")
        }
        if not any(names.values()):
            if street:
                self.add_error(f"{prefix}_commune", _("Vui lòng nhập xã/phường và tỉnh/thành phố."))
            return {"street": "", "commune": None, "old_name": ""}
        found = resolve(**names)
        if found.error:
            self.add_error(f"{prefix}_commune", found.error)
            return None
        if found.choices:
            return self._chosen(prefix, found, street)
        return {"street": street, "commune": found.commune, "old_name": found.old_name}

    def _chosen(self, prefix: str, found, street: str) -> dict | None:
        name = f"{prefix}_choice"
        self.fields[name].widget.choices = [(unit.code, unit.name) for unit in found.choices]
        given = self.cleaned_data.get(name)
        picked = next((unit for unit in found.choices if unit.code == given), None)
        if picked is None:
            self.add_error(
                f"{prefix}_choice",
                _("“%(old)s” nay thuộc nhiều xã/phường. Vui lòng chọn nơi bạn ở.")
                % {"old": found.old_name or self.cleaned_data.get(f"{prefix}_commune")},
            )
            return None
        return {"street": street, "commune": picked, "old_name": found.old_name}

    def address_groups(self):
        """(legend, bound fields, the choice among new communes or None) of each address."""
        for prefix in ADDRESSES:
            names = ("street", "commune", "district", "province")
            bound = [self[f"{prefix}_{name}"] for name in names]
            choice = self[f"{prefix}_choice"]
            offered = bool(self.fields[choice.name].widget.choices)
            yield ADDRESS_LEGENDS[prefix], bound, choice if offered else None


def initial_for(profile: Profile | None) -> dict:
    """The form's first values from a saved profile (a current address is shown with its
    current names, so saving it again finds it among the current units)."""
    if profile is None:
        return {}
    initial = {
        "birth_date": profile.birth_date,
        "gender": profile.gender,
        "id_number": profile.id_number,
    }
    for prefix in ADDRESSES:
        commune = getattr(profile, f"{prefix}_commune")
        initial[f"{prefix}_street"] = getattr(profile, f"{prefix}_street")
        if commune is not None:
            initial[f"{prefix}_commune"] = commune.name
            initial[f"{prefix}_province"] = commune.parent.name if commune.parent else ""
    return initial
