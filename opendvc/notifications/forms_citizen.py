"""The citizen's notification preferences form: validation only; the action saves."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Preference

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferenceForm(forms.Form):
    use_zalo = forms.BooleanField(label=gettext_lazy("Zalo"), required=False)
    use_sms = forms.BooleanField(label=gettext_lazy("Tin nhắn SMS"), required=False)
    use_email = forms.BooleanField(label=gettext_lazy("E-mail"), required=False)
    quiet_from = forms.TimeField(
        label=gettext_lazy("Không làm phiền từ"), required=False, widget=TIME
    )
    quiet_until = forms.TimeField(label=gettext_lazy("Đến"), required=False, widget=TIME)
    accepts_announcements = forms.BooleanField(
        label=gettext_lazy("Tôi đồng ý nhận thông tin tuyên truyền của cơ quan nhà nước"),
        required=False,
        help_text=gettext_lazy(
            "Ví dụ: thông báo về chính sách mới, lịch tiếp công dân, chiến dịch tiêm chủng. "
            "Bạn có thể ngừng nhận bất cứ lúc nào, kể cả bằng đường dẫn trong mỗi tin."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Say which of the account's addresses each channel reaches, or that there is none.
        phone, email = user.phone or "", user.email or ""
        no_phone = _("Tài khoản chưa có số điện thoại, nên kênh này chưa dùng được.")
        for name, label in (
            ("use_zalo", _("Gửi tới Zalo của số %(phone)s.")),
            ("use_sms", _("Gửi tới số %(phone)s.")),
        ):
            self.fields[name].help_text = label % {"phone": phone} if phone else no_phone
        self.fields["use_email"].help_text = (
            _("Gửi tới địa chỉ %(email)s.") % {"email": email}
            if email
            else _("Tài khoản chưa có địa chỉ e-mail, nên kênh này chưa dùng được.")
        )

    @classmethod
    def initial_from(cls, preference: Preference) -> dict:
        return {name: getattr(preference, name) for name in cls.base_fields}

    def clean(self) -> dict:
        data = super().clean()
        if self.has_error("quiet_from") or self.has_error("quiet_until"):
            return data
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None):
            self.add_error(
                "quiet_until" if end is None else "quiet_from",
                _("Hãy chọn cả giờ bắt đầu và giờ kết thúc, hoặc bỏ trống cả hai."),
            )
        elif start is not None and start == end:
            # Equal times would silently mean "no quiet hours" (preferences.release_at).
            self.add_error("quiet_until", _("Giờ kết thúc phải khác giờ bắt đầu."))
        return data

    def all_channels_off(self) -> bool:
        data = self.cleaned_data
        return not (data["use_zalo"] or data["use_sms"] or data["use_email"])
