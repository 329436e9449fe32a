"""Validation of the catalog search: the list page's GET form and the API's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opendvc.directory.models import Agency

from .models import Field

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000

LEVEL_CHOICES = [
    ("BO", _("Cấp bộ")),
    ("TINH", _("Cấp tỉnh")),
    ("XA", _("Cấp xã")),
]
ONLINE_CHOICES = [
    ("ANY", _("Có dịch vụ công trực tuyến")),
    ("TOAN_TRINH", _("Trực tuyến toàn trình")),
    ("MOT_PHAN", _("Trực tuyến một phần")),
]
FILTER_NAMES = ("field", "agency", "publisher", "level", "online")


def field_choices() -> list[tuple[str, str]]:
    return list(Field.objects.order_by("name").values_list("slug", "name"))


def implementing_agency_choices() -> list[tuple[str, str]]:
    agencies = Agency.objects.filter(implemented__isnull=False).distinct().order_by("name")
    return list(agencies.values_list("slug", "name"))


def publisher_choices() -> list[tuple[str, str]]:
    agencies = Agency.objects.filter(published__isnull=False).distinct().order_by("name")
    return list(agencies.values_list("slug", "name"))


def _filter_field(label, choices, unknown_message) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", _("Tất cả"))] + list(choices),
        error_messages={"invalid_choice": unknown_message},
    )


class SearchForm(forms.Form):
    """The catalog search. Field and agency choices come from the database, so an unknown
    value is reported by name instead of failing somewhere deeper."""

    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Từ khóa quá dài: tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."
            ),
            "null_characters_not_allowed": _("Từ khóa có ký tự không hợp lệ."),
        },
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("Số trang phải là một số nguyên dương."),
            "min_value": _("Số trang phải là một số nguyên dương."),
            "max_value": _("Số trang quá lớn."),
        },
    )

    def __init__(self, *args, fixed: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed or {}
        self.fields["field"] = _filter_field(
            pgettext_lazy("một lĩnh vực", "Lĩnh vực"),
            field_choices(),
            _("Không có lĩnh vực “%(value)s”."),
        )
        self.fields["agency"] = _filter_field(
            _("Cơ quan thực hiện"),
            implementing_agency_choices(),
            _("Không có cơ quan thực hiện “%(value)s”."),
        )
        self.fields["publisher"] = _filter_field(
            _("Cơ quan công bố"), publisher_choices(), _("Không có cơ quan công bố “%(value)s”.")
        )
        self.fields["level"] = _filter_field(
            _("Cấp thực hiện"), LEVEL_CHOICES, _("Không có cấp thực hiện “%(value)s”.")
        )
        self.fields["online"] = _filter_field(
            _("Dịch vụ công trực tuyến"),
            ONLINE_CHOICES,
            _("Không có mức dịch vụ trực tuyến “%(value)s”."),
        )
        for name in self.fixed:
            del self.fields[name]

    def filter_values(self) -> dict[str, str | None]:
        """The filters of a valid form, with the page's fixed ones, blanks as None."""
        values = {name: self.cleaned_data.get(name) or None for name in FILTER_NAMES}
        values.update(self.fixed)
        return values

    def has_unknown_filter(self) -> bool:
        return any(
            error.code == "invalid_choice"
            for name in FILTER_NAMES
            if name in self.errors
            for error in self.errors.as_data()[name]
        )


def unknown_filters(values: dict[str, str | None]) -> list[dict[str, str]]:
    """The API's filter values that name nothing in the catalog, as error details."""
    checks = {
        "field": lambda slug: Field.objects.filter(slug=slug).exists(),
        "agency": lambda slug: Agency.objects.filter(slug=slug, implemented__isnull=False).exists(),
        "publisher": lambda slug: Agency.objects.filter(
            slug=slug, published__isnull=False
        ).exists(),
    }
    return [
        {"field": name, "message": f"Không có giá trị “{values[name]}”."}
        for name, exists in checks.items()
        if values.get(name) and not exists(values[name])
    ]
