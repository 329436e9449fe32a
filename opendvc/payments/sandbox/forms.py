"""The sandbox pay page's choices: bank, outcome and how the IPN is delivered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import delivery, store

IPN_CHOICES = [
    (delivery.NORMAL, _("Gửi IPN bình thường")),
    (delivery.TWICE, _("Gửi IPN hai lần")),
    (delivery.BEFORE_RETURN, _("Gửi IPN trước khi trở về trang của đơn vị")),
    (delivery.LATE, _("Gửi IPN trễ, sau khi đã trở về")),
    (delivery.NONE, _("Không gửi IPN")),
]


class PayForm(forms.Form):
    bank = forms.ChoiceField(
        label=_("Ngân hàng / phương thức"),
        choices=[(code, label) for code, (_card, label) in store.BANKS.items()],
        initial="NCB",
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả giao dịch"),
        choices=[(code, f"{o.label} ({code})") for code, o in store.OUTCOMES.items()],
        initial="00",
        widget=forms.RadioSelect,
    )
    ipn = forms.ChoiceField(
        label=_("Thông báo kết quả cho đơn vị (IPN)"),
        choices=IPN_CHOICES,
        initial=delivery.NORMAL,
        widget=forms.RadioSelect,
    )

    @classmethod
    def preset(cls, query) -> "PayForm":
        """An unbound form whose choices the test-writer may preset with `sandbox_bank`,
        `sandbox_outcome` and `sandbox_ipn` in the pay URL (outside the signed fields)."""
        initial = {}
        for name, field in cls.base_fields.items():
            value = query.get(f"sandbox_{name}")
            if value in dict(field.choices):
                initial[name] = value
        return cls(initial=initial)
