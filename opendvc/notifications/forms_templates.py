"""The template editor's form: validation of its shape only; actions/templates.py checks the
template itself (syntax, variables, length) and saves it."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Channel

TEXTAREA = {"rows": 6, "spellcheck": "false"}


class TemplateForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Tiêu đề thư"), max_length=300)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"), widget=forms.Textarea(attrs=TEXTAREA), strip=False
    )
    zns_template_id = forms.CharField(
        label=gettext_lazy("Mã mẫu ZNS"),
        max_length=40,
        help_text=gettext_lazy("Mã của mẫu tin đã được Zalo duyệt."),
    )
    zns_params = forms.CharField(
        label=gettext_lazy("Tham số ZNS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Mỗi dòng một tham số, dạng tham_so=ten_bien, ví dụ ma_ho_so=dossier_code."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú về thay đổi"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Không bắt buộc; hiện trong lịch sử các phiên bản."),
    )

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only e-mail has a subject, only Zalo has an approved ZNS template.
        if channel != Channel.EMAIL:
            del self.fields["subject"]
        if channel != Channel.ZALO:
            del self.fields["zns_template_id"]
            del self.fields["zns_params"]

    def clean_zns_params(self) -> dict[str, str]:
        params: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["zns_params"].splitlines(), start=1):
            if not line.strip():
                continue
            param, sign, variable = line.partition("=")
            if not sign or not param.strip() or not variable.strip():
                raise forms.ValidationError(
                    _("Dòng %(n)s phải có dạng tham_so=ten_bien.") % {"n": number}
                )
            params[param.strip()] = variable.strip()
        return params

    def template_fields(self) -> dict:
        """The cleaned values as the actions take them."""
        data = self.cleaned_data
        return {
            "subject": data.get("subject", ""),
            "body": data["body"],
            "zns_template_id": data.get("zns_template_id", ""),
            "zns_params": data.get("zns_params", {}),
        }


def params_text(params: dict) -> str:
    """ZNS parameters as the form shows them: one `param=variable` per line."""
    return "\n".join(f"{param}={variable}" for param, variable in params.items())
