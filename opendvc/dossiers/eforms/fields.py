"""Django form fields for e-form field specs: the right type, a Vietnamese label, the
required flag, and error messages taken from the coded catalog so a page shows the same
words the API returns."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator

from .messages import catalog, make_error
from .provinces import current_code, is_commune, merged_into, province_choices
from .spec import COMMUNE_REF, PROVINCE_REF, FieldSpec

EMPTY_CHOICE = ("", "— Chọn —")
PROVINCE_FIRST = ("", "— Chọn tỉnh/thành phố trước —")
MAX_NUMBER = 10**15  # above any amount a form asks for (VND included)
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
PHONE = re.compile(r"^(?:\+84|0)[0-9]{9,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_GROUPED_INTEGER = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$")  # 1.000.000 as written in Vietnam


class OldProvince(str):
    """A pre-2025 province name given for a province field; the form turns it into
    E_TINH_SAP_NHAP naming the new province."""

    new_name: str = ""


class ProvinceField(forms.ChoiceField):
    """A current province by code; its name is accepted too (API clients send names)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value or self.valid_value(value):
            return value
        code = current_code(value)
        if code:
            return code
        unit = merged_into(value)
        if unit is None:
            return value
        old = OldProvince(value)
        old.new_name = unit.name
        return old

    def validate(self, value):
        if not isinstance(value, OldProvince):
            super().validate(value)

    def valid_value(self, value) -> bool:
        # to_python and validate both ask: the provinces are read once per form.
        if not hasattr(self, "_codes"):
            self._codes = {str(code) for code, _name in self.choices}
        return str(value) in self._codes

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.__dict__.pop("_codes", None)
        return copied


class CommuneField(forms.ChoiceField):
    """A commune by code. Its list shows the chosen province's communes (the form sets
    them); any current commune is valid here, and the form checks it is in that province."""

    def valid_value(self, value) -> bool:
        return is_commune(str(value))


class GroupedIntegerField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str) and _GROUPED_INTEGER.match(value.strip()):
            value = re.sub(r"[.\s]", "", value)
        return super().to_python(value)


class PhoneField(forms.CharField):
    def to_python(self, value):
        return _PHONE_SEPARATORS.sub("", super().to_python(value))


# Django's error codes → the catalog's; "invalid" depends on what the field holds.
_CODES = {
    "required": "E_REQUIRED",
    "invalid_choice": "E_LUA_CHON",
    "max_length": "E_DO_DAI",
    "min_value": "E_SO_KHOANG",
    "max_value": "E_SO_KHOANG",
    "max_digits": "E_SO",
    "max_decimal_places": "E_SO",
    "max_whole_digits": "E_SO",
    "null_characters_not_allowed": "E_DINH_DANG",
}
_INVALID = {"date": "E_NGAY", "number": "E_SO", "email": "E_EMAIL", "tel": "E_DIEN_THOAI"}


def catalog_code(spec: FieldSpec, django_code: str) -> str:
    """The catalog code of an error a Django field raised (ours pass through)."""
    if django_code == "invalid":
        return _INVALID.get(spec.type, "E_DINH_DANG")
    code = _CODES.get(django_code, django_code)
    return code if code in catalog() else "E_DINH_DANG"


def _messages(spec: FieldSpec, label: str) -> dict[str, str]:
    return {
        django_code: make_error(
            catalog_code(spec, django_code), label=label, max=spec.max_length or ""
        ).message
        for django_code in (*_CODES, "invalid")
    }


def _choice_field(spec: FieldSpec, **common) -> forms.Field:
    if spec.options_ref == PROVINCE_REF:
        return ProvinceField(choices=lambda: [EMPTY_CHOICE, *province_choices()], **common)
    if spec.options_ref == COMMUNE_REF:
        return CommuneField(choices=[PROVINCE_FIRST], **common)
    choices = [(option, option) for option in spec.options]
    if spec.type == "radio":
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    return forms.ChoiceField(choices=[EMPTY_CHOICE, *choices], **common)


def _text_field(spec: FieldSpec, **common) -> forms.Field:
    attrs = {"placeholder": spec.placeholder} if spec.placeholder else {}
    if spec.input_mode:
        attrs["inputmode"] = spec.input_mode
    if spec.type == "textarea":
        return forms.CharField(
            max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 3, **attrs}), **common
        )
    if spec.type == "email":
        return forms.EmailField(max_length=spec.max_length, **common)
    if spec.type == "tel":
        validator = RegexValidator(
            PHONE, code="E_DIEN_THOAI", message=common["error_messages"]["invalid"]
        )
        attrs["autocomplete"] = "tel"
        # The number's own pattern bounds its length; a length error would only repeat it.
        attrs["maxlength"] = str(spec.max_length or 20)
        return PhoneField(
            validators=[validator],
            widget=forms.TextInput(attrs={"type": "tel", **attrs}),
            **common,
        )
    if spec.pattern:
        # The pattern's own coded error says everything; a length error on top would repeat it.
        message = make_error(spec.pattern_code, label=common["label"]).message
        validator = RegexValidator(f"^(?:{spec.pattern})$", code=spec.pattern_code, message=message)
        attrs.update(maxlength=str(spec.max_length or ""), pattern=spec.pattern)
        return forms.CharField(
            validators=[validator], widget=forms.TextInput(attrs=attrs), **common
        )
    return forms.CharField(
        max_length=spec.max_length, widget=forms.TextInput(attrs=attrs), **common
    )


def _number_field(spec: FieldSpec, **common) -> forms.Field:
    if spec.step == "any":
        return forms.DecimalField(
            max_digits=19,
            decimal_places=4,
            min_value=Decimal(-MAX_NUMBER),
            max_value=Decimal(MAX_NUMBER),
            **common,
        )
    return GroupedIntegerField(min_value=0, max_value=MAX_NUMBER, **common)


def django_field(spec: FieldSpec, label: str | None = None) -> forms.Field:
    """A form field for one spec field (or one cell of a member table, with its own label)."""
    label = label or spec.label
    common = {
        "label": label,
        "required": spec.required,
        "initial": spec.default,
        "error_messages": _messages(spec, label),
    }
    if spec.type in ("select", "radio"):
        return _choice_field(spec, **common)
    if spec.type == "date":
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(input_formats=DATE_FORMATS, widget=widget, **common)
    if spec.type == "number":
        return _number_field(spec, **common)
    if spec.type == "checkbox":
        return forms.BooleanField(**common)
    return _text_field(spec, **common)
