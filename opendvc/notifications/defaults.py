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
        "Hồ sơ {{ dossier_code }} đã được nộp, đang chờ tiếp nhận.",
    ),
    "dossier.received": (
        "{% if is_resubmission %}Hồ sơ {{ dossier_code }} đã được bổ sung và tiếp tục giải quyết"
        "{% else %}Hồ sơ {{ dossier_code }} đã được tiếp nhận{% endif %}",
        "{% if is_resubmission %}Hồ sơ đã được bổ sung; thời hạn giải quyết tiếp tục được tính."
        "{% else %}{{ agency_name }} đã tiếp nhận hồ sơ của bạn.{% endif %}"
        "{% if due_at %}\nHẹn trả kết quả: {{ due_at }}.{% endif %}",
        "{% if is_resubmission %}Hồ sơ {{ dossier_code }} đã được bổ sung, tiếp tục giải quyết."
        "{% else %}Hồ sơ {{ dossier_code }} đã được tiếp nhận.{% endif %}"
        "{% if due_at %} Hẹn trả: {{ due_at }}.{% endif %}",
    ),
    "dossier.refused": (
        "Hồ sơ {{ dossier_code }} không được tiếp nhận",
        "Hồ sơ của bạn không được tiếp nhận.{% if reason %}\nLý do: {{ reason }}.{% endif %}"
        "{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Hồ sơ {{ dossier_code }} không được tiếp nhận.{% if reason %} Lý do: {{ reason }}.{% endif %}",
    ),
    "dossier.processing": (
        "Hồ sơ {{ dossier_code }} đang được giải quyết",
        "Hồ sơ của bạn đã được chuyển đến bộ phận chuyên môn để giải quyết.",
        "Hồ sơ {{ dossier_code }} đang được giải quyết.",
    ),
    "dossier.supplement": (
        "Hồ sơ {{ dossier_code }} cần bổ sung giấy tờ",
        "Cơ quan giải quyết yêu cầu bạn bổ sung hồ sơ. Thời hạn giải quyết tạm dừng cho đến khi "
        "bạn nộp bổ sung.\n\nNội dung cần bổ sung:\n{% for item in reasons %}- "
        "{% if item.component %}{{ item.component }}{% else %}Hồ sơ{% endif %}: {{ item.reason }}"
        "{% if item.note %} — {{ item.note }}{% endif %}\n{% endfor %}",
        "Hồ sơ {{ dossier_code }} cần bổ sung giấy tờ. Xem chi tiết: {{ url }}",
    ),
    "dossier.payment_requested": (
        "Hồ sơ {{ dossier_code }}: cần thực hiện nghĩa vụ tài chính",
        "Để hồ sơ tiếp tục được xử lý, bạn cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính "
        "theo quy định.{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Hồ sơ {{ dossier_code }} cần nộp phí, lệ phí. Thanh toán: {{ url }}",
    ),
    "dossier.withdrawn": (
        "Hồ sơ {{ dossier_code }} đã được rút",
        "Hồ sơ của bạn đã được rút theo yêu cầu.",
        "Hồ sơ {{ dossier_code }} đã được rút theo yêu cầu.",
    ),
    "dossier.stopped": (
        "Hồ sơ {{ dossier_code }} bị dừng xử lý",
        "Cơ quan giải quyết đã dừng xử lý hồ sơ của bạn.{% if reason %}\nLý do: {{ reason }}."
        "{% endif %}{% if note %}\nGhi chú của cơ quan: {{ note }}{% endif %}",
        "Hồ sơ {{ dossier_code }} bị dừng xử lý.{% if reason %} Lý do: {{ reason }}.{% endif %}",
    ),
    "dossier.finished": (
        "Hồ sơ {{ dossier_code }} đã có kết quả",
        "Hồ sơ của bạn đã được giải quyết xong và kết quả đã sẵn sàng.{% if result_summary %}\n"
        "Kết quả: {{ result_summary }}{% endif %}\nBạn xem kết quả trên trang hồ sơ, hoặc nhận "
        "kết quả theo hình thức đã đăng ký.",
        "Hồ sơ {{ dossier_code }} đã có kết quả. Xem: {{ url }}",
    ),
    "dossier.returned": (
        "Hồ sơ {{ dossier_code }} đã được trả kết quả",
        "Kết quả giải quyết hồ sơ đã được trả cho bạn. Cảm ơn bạn đã sử dụng dịch vụ công; mời "
        "bạn đánh giá mức độ hài lòng trên trang hồ sơ.",
        "Hồ sơ {{ dossier_code }} đã trả kết quả. Mời đánh giá: {{ url }}",
    ),
}

_SHORT = {
    "payment.received": "Đã nhận thanh toán {{ amount }} cho hồ sơ {{ dossier_code }}."
    "{% if receipt_number %} Biên lai: {{ receipt_number }}.{% endif %}",
    "feedback.answered": "Phản ánh, kiến nghị {{ feedback_code }} đã được trả lời. Xem: {{ url }}",
    "announcement": "{{ title }}. Xem: {{ url }}",
    "feedback.overdue": "{{ feedback_code }} ({{ agency_name }}) quá hạn: {{ stage }}, hạn "
    "{{ due_at }}.",
    "question.answered": "Câu hỏi “{{ question_title }}” đã được trả lời. Xem: {{ url }}",
    "verification.code": "{{ code }} là mã xác nhận {{ purpose }} trên Cổng Dịch vụ công, "
    "có hiệu lực {{ minutes }} phút. Không cung cấp mã này cho người khác.",
}

DEFAULTS: dict[tuple[str, str], str] = {}
for _event, (_subject, _text, _short) in _DOSSIER_EVENTS.items():
    DEFAULTS[(_event, "email")] = _dossier_email(_subject, _text)
    DEFAULTS[(_event, "sms")] = _short
    DEFAULTS[(_event, "zalo")] = _short
for _event, _short in _SHORT.items():
    DEFAULTS[(_event, "sms")] = _short
    DEFAULTS[(_event, "zalo")] = _short

DEFAULTS.update(
    {
        ("payment.received", "email"): _dossier_email(
            "Đã nhận thanh toán cho hồ sơ {{ dossier_code }}",
            "Cổng Dịch vụ công đã nhận khoản thanh toán {{ amount }} của bạn."
            "{% if receipt_number %}\nSố biên lai: {{ receipt_number }}.{% endif %}",
        ),
        ("feedback.answered", "email"): "Phản ánh, kiến nghị {{ feedback_code }} đã được trả lời\n"
        "Kính gửi {{ sender_name }},\n\nCơ quan có thẩm quyền đã trả lời phản ánh, kiến nghị của "
        "bạn.\n\nXem trả lời: {{ url }}" + _SIGNATURE,
        ("feedback.overdue", "email"): "Phản ánh, kiến nghị {{ feedback_code }} đã quá hạn xử lý\n"
        "{{ agency_name }} chưa hoàn thành việc “{{ stage }}” đối với phản ánh, kiến nghị "
        "{{ feedback_code }}; hạn xử lý là {{ due_at }}.\n\nXem và xử lý: {{ url }}" + _SIGNATURE,
        ("question.answered", "email"): "Câu hỏi của bạn đã được trả lời\nKính gửi "
        "{{ asker_name }},\n\nCơ quan có thẩm quyền đã trả lời câu hỏi “{{ question_title }}”."
        "\n\nXem trả lời: {{ url }}" + _SIGNATURE,
        ("verification.code", "email"): "Mã xác nhận: {{ code }}\n"
        "Mã xác nhận {{ purpose }} trên Cổng Dịch vụ công của bạn là {{ code }}, có hiệu lực "
        "{{ minutes }} phút.\n\nNếu bạn không yêu cầu mã này, hãy bỏ qua thư này; không cung cấp "
        "mã cho người khác." + _SIGNATURE,
        ("announcement", "email"): "{{ title }}\n{{ text }}\n\nXem thêm: {{ url }}",
        # Zalo shows more than an SMS: the announcement keeps its text.
        ("announcement", "zalo"): "{{ title }}. {{ text }} Xem: {{ url }}",
    }
)

# Zalo ZNS sends only templates Zalo approved beforehand, by id, with values for their named
# parameters. These ids are placeholders for the built-in text (version 0): the province
# registers its own templates with Zalo and enters their ids in the editor.
# Each event: (template id, {ZNS parameter: variable}).
_DOSSIER_ZNS = {
    "ten_khach_hang": "applicant_name",
    "ma_ho_so": "dossier_code",
    "thu_tuc": "procedure_name",
    "trang_thai": "status",
    "thoi_gian": "changed_at",
    "duong_dan": "url",
}
ZNS_DEFAULTS: dict[str, tuple[str, dict[str, str]]] = {
    "dossier.submitted": ("231451", _DOSSIER_ZNS),
    "dossier.received": ("231452", {**_DOSSIER_ZNS, "ngay_hen_tra": "due_at"}),
    "dossier.refused": ("231453", {**_DOSSIER_ZNS, "ly_do": "reason"}),
    "dossier.processing": ("231454", _DOSSIER_ZNS),
    "dossier.supplement": ("231455", _DOSSIER_ZNS),
    "dossier.payment_requested": ("231456", {**_DOSSIER_ZNS, "ghi_chu": "note"}),
    "dossier.withdrawn": ("231457", _DOSSIER_ZNS),
    "dossier.stopped": ("231458", {**_DOSSIER_ZNS, "ly_do": "reason"}),
    "dossier.finished": ("231459", {**_DOSSIER_ZNS, "ket_qua": "result_summary"}),
    "dossier.returned": ("231460", _DOSSIER_ZNS),
    "payment.received": (
        "231461",
        {**_DOSSIER_ZNS, "so_tien": "amount", "so_bien_lai": "receipt_number"},
    ),
    "feedback.answered": (
        "231462",
        {"ten_khach_hang": "sender_name", "ma_phan_anh": "feedback_code", "duong_dan": "url"},
    ),
    "announcement": ("231463", {"tieu_de": "title", "noi_dung": "text", "duong_dan": "url"}),
    "verification.code": ("231464", {"otp": "code", "phut": "minutes"}),
    "feedback.overdue": (
        "231466",
        {"ma_phan_anh": "feedback_code", "co_quan": "agency_name", "han_xu_ly": "due_at"},
    ),
    "question.answered": (
        "231465",
        {"ten_khach_hang": "asker_name", "tieu_de": "question_title", "duong_dan": "url"},
    ),
}

# ZNS refuses a parameter value longer than its type allows: 30 characters for names, codes,
# statuses, times and amounts (Zalo's customer name, code, label and time types), 100 for
# other text. Values are cut to these lengths (rendering.py).
ZNS_SHORT_LIMIT = 30
ZNS_LONG_LIMIT = 100
ZNS_SHORT_VARIABLES = frozenset(
    {
        "applicant_name",
        "sender_name",
        "dossier_code",
        "feedback_code",
        "receipt_number",
        "status",
        "changed_at",
        "due_at",
        "amount",
        "code",
        "minutes",
        "asker_name",
    }
)


def zns_limit(variable: str) -> int:
    return ZNS_SHORT_LIMIT if variable in ZNS_SHORT_VARIABLES else ZNS_LONG_LIMIT
