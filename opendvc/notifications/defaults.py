"""The built-in text of every event on every channel (template version 0).

Written in Vietnamese with its diacritics; SMS text is sent unaccented (rendering.py). The first
line of an e-mail text is its subject. Administrators replace any of them with their own
versions (models.Template); these stay as the fallback. Variables: events.py.
"""

_DOSSIER_FACTS = """

Mã hồ sơ: {{ dossier_code }}
Thủ tục: {{ procedure_name }}
Cơ quan giải quyết: {{ agency_name }}
Trạng thái: {{ status }} ({{ changed_at }})

Xem hồ sơ: {{ url }}"""

_SIGNATURE = """

Thư này được gửi tự động từ Cổng Dịch vụ công; vui lòng không trả lời thư này."""


def _dossier_email(subject: str, text: str) -> str:
    return f"{subject}\nKính gửi {{{{ applicant_name }}}},\n\n{text}{_DOSSIER_FACTS}{_SIGNATURE}"


# Each event: (e-mail subject, e-mail text, short text for SMS and Zalo).
_DOSSIER_EVENTS = {
    "dossier.submitted": (
        "Hồ sơ {{ dossier_code }} đã được nộp",
        "Hồ sơ của bạn đã được nộp trực tuyến và đang chờ cơ quan tiếp nhận.",
        "Ho so {{ dossier_code }} da duoc nop, dang cho tiep nhan.",
    ),
    "dossier.received": (
        "{% if is_resubmission %}Hồ sơ {{ dossier_code }} đã được bổ sung và tiếp tục giải quyết"
        "{% else %}Hồ sơ {{ dossier_code }} đã được tiếp nhận{% endif %}",
        "{% if is_resubmission %}Hồ sơ đã được bổ sung; thời hạn giải quyết tiếp tục được tính."
        "{% else %}{{ agency_name }} đã tiếp nhận hồ sơ của bạn.{% endif %}"
        "{% if due_at %}\nHẹn trả kết quả: {{ due_at }}.{% endif %}",
        "Ho so {{ dossier_code }} da duoc tiep nhan.{% if due_at %} Hen tra: {{ due_at }}.{% endif %}",
    ),
    "dossier.refused": (
        "Hồ sơ {{ dossier_code }} không được tiếp nhận",
        "Hồ sơ của bạn không được tiếp nhận.{% if reason %}\nLý do: {{ reason }}.{% endif %}"
        "{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Ho so {{ dossier_code }} khong duoc tiep nhan.{% if reason %} Ly do: {{ reason }}.{% endif %}",
    ),
    "dossier.processing": (
        "Hồ sơ {{ dossier_code }} đang được giải quyết",
        "Hồ sơ của bạn đã được chuyển đến bộ phận chuyên môn để giải quyết.",
        "Ho so {{ dossier_code }} dang duoc giai quyet.",
    ),
    "dossier.supplement": (
        "Hồ sơ {{ dossier_code }} cần bổ sung giấy tờ",
        "Cơ quan giải quyết yêu cầu bạn bổ sung hồ sơ. Thời hạn giải quyết tạm dừng cho đến khi "
        "bạn nộp bổ sung.\n\nNội dung cần bổ sung:\n{% for item in reasons %}- "
        "{% if item.component %}{{ item.component }}{% else %}Hồ sơ{% endif %}: {{ item.reason }}"
        "{% if item.note %} — {{ item.note }}{% endif %}\n{% endfor %}",
        "Ho so {{ dossier_code }} can bo sung giay to. Xem chi tiet: {{ url }}",
    ),
    "dossier.payment_requested": (
        "Hồ sơ {{ dossier_code }}: cần thực hiện nghĩa vụ tài chính",
        "Để hồ sơ tiếp tục được xử lý, bạn cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính "
        "theo quy định.{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Ho so {{ dossier_code }} can nop phi, le phi. Thanh toan: {{ url }}",
    ),
    "dossier.withdrawn": (
        "Hồ sơ {{ dossier_code }} đã được rút",
        "Hồ sơ của bạn đã được rút theo yêu cầu.",
        "Ho so {{ dossier_code }} da duoc rut theo yeu cau.",
    ),
    "dossier.stopped": (
        "Hồ sơ {{ dossier_code }} bị dừng xử lý",
        "Cơ quan giải quyết đã dừng xử lý hồ sơ của bạn.{% if reason %}\nLý do: {{ reason }}."
        "{% endif %}{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Ho so {{ dossier_code }} bi dung xu ly.{% if reason %} Ly do: {{ reason }}.{% endif %}",
    ),
    "dossier.finished": (
        "Hồ sơ {{ dossier_code }} đã có kết quả",
        "Hồ sơ của bạn đã được giải quyết xong và kết quả đã sẵn sàng.{% if result_summary %}\n"
        "Kết quả: {{ result_summary }}{% endif %}\nBạn xem kết quả trên trang hồ sơ, hoặc nhận "
        "kết quả theo hình thức đã đăng ký.",
        "Ho so {{ dossier_code }} da co ket qua. Xem: {{ url }}",
    ),
    "dossier.returned": (
        "Hồ sơ {{ dossier_code }} đã được trả kết quả",
        "Kết quả giải quyết hồ sơ đã được trả cho bạn. Cảm ơn bạn đã sử dụng dịch vụ công; mời "
        "bạn đánh giá mức độ hài lòng trên trang hồ sơ.",
        "Ho so {{ dossier_code }} da tra ket qua. Moi danh gia: {{ url }}",
    ),
}

DEFAULTS: dict[tuple[str, str], str] = {}
for _event, (_subject, _text, _short) in _DOSSIER_EVENTS.items():
    DEFAULTS[(_event, "email")] = _dossier_email(_subject, _text)
    DEFAULTS[(_event, "sms")] = _short
    DEFAULTS[(_event, "zalo")] = _short

DEFAULTS.update(
    {
        ("payment.received", "email"): _dossier_email(
            "Đã nhận thanh toán cho hồ sơ {{ dossier_code }}",
            "Cổng Dịch vụ công đã nhận khoản thanh toán {{ amount }} của bạn."
            "{% if receipt_number %}\nSố biên lai: {{ receipt_number }}.{% endif %}",
        ),
        (
            "payment.received",
            "sms",
        ): "Da nhan thanh toan {{ amount }} cho ho so {{ dossier_code }}.",
        (
            "payment.received",
            "zalo",
        ): "Da nhan thanh toan {{ amount }} cho ho so {{ dossier_code }}.",
        ("feedback.answered", "email"): "Phản ánh, kiến nghị {{ feedback_code }} đã được trả lời\n"
        "Kính gửi {{ sender_name }},\n\nCơ quan có thẩm quyền đã trả lời phản ánh, kiến nghị của "
        "bạn.\n\nXem trả lời: {{ url }}" + _SIGNATURE,
        ("feedback.answered", "sms"): "PAKN {{ feedback_code }} da duoc tra loi. Xem: {{ url }}",
        ("feedback.answered", "zalo"): "PAKN {{ feedback_code }} da duoc tra loi. Xem: {{ url }}",
        ("announcement", "email"): "{{ title }}\n{{ text }}\n\nXem thêm: {{ url }}",
        ("announcement", "sms"): "{{ title }}. {{ url }}",
        ("announcement", "zalo"): "{{ title }}. {{ text }} {{ url }}",
    }
)
