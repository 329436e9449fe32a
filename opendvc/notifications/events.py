"""The events the portal tells people about: what each means, which variables its templates
may use (with sample values for the editor's preview), and whether it may wake someone.

Apps that cause an event call `outbox.notify(event=…, context=…)` with these variables, as
plain text; this module imports no app, so any app can call it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .models import Message

# Sample values for previews, shaped like a real dossier of Sở Tư pháp.
_DOSSIER = {
    "applicant_name": "Nguyễn Văn An",
    "dossier_code": "000.00.12.H56-261123-0001",
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "agency_name": "Sở Tư pháp tỉnh Bắc Ninh",
    "url": "https://dichvucong.example.vn/ho-so/000.00.12.H56-261123-0001/",
    "status": "Được tiếp nhận",
    "changed_at": "09:15 23/11/2026",
}


def moment(at: datetime | None) -> str:
    """How the variables write a moment: local time, "17:00 04/12/2026"; "" for none."""
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y") if at else ""


@dataclass(frozen=True)
class Event:
    code: str
    name: str
    variables: dict[str, str]  # variable → what it holds
    sample: dict = field(default_factory=dict)
    # Urgent messages answer something the person just did: they ignore quiet hours.
    is_urgent: bool = False
    kind: str = Message.Kind.SERVICE
    # A secret (a one-time code) is wiped from the outbox once the provider has it.
    is_secret: bool = False


_DOSSIER_VARIABLES = {
    "applicant_name": "Họ tên người nộp",
    "dossier_code": "Mã hồ sơ",
    "procedure_name": "Tên thủ tục",
    "agency_name": "Cơ quan giải quyết",
    "url": "Đường dẫn xem hồ sơ",
    "status": "Trạng thái mới",
    "changed_at": "Thời điểm đổi trạng thái",
}


def _dossier_event(code, name, extra=None, sample=None, **options) -> Event:
    return Event(
        code=code,
        name=name,
        variables={**_DOSSIER_VARIABLES, **(extra or {})},
        sample={**_DOSSIER, **(sample or {})},
        **options,
    )


EVENTS: dict[str, Event] = {
    event.code: event
    for event in [
        _dossier_event("dossier.submitted", "Đã nộp hồ sơ trực tuyến", is_urgent=True),
        _dossier_event(
            "dossier.received",
            "Hồ sơ được tiếp nhận (kèm ngày hẹn trả)",
            {"due_at": "Ngày giờ hẹn trả kết quả", "is_resubmission": "Là lần nộp bổ sung"},
            {"due_at": "17:00 04/12/2026", "is_resubmission": ""},
        ),
        _dossier_event(
            "dossier.refused",
            "Hồ sơ không được tiếp nhận",
            {"reason": "Lý do", "note": "Ghi chú của cán bộ"},
            {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết", "note": ""},
        ),
        _dossier_event("dossier.processing", "Hồ sơ được chuyển xử lý"),
        _dossier_event(
            "dossier.supplement",
            "Yêu cầu bổ sung hồ sơ (kèm danh sách)",
            {"reasons": "Danh sách: thành phần, lý do, ghi chú", "note": "Ghi chú của cán bộ"},
            {
                "reasons": [
                    {
                        "component": "Tờ khai đăng ký khai sinh",
                        "reason": "Thiếu chữ ký",
                        "note": "Ký và ghi rõ họ tên",
                    }
                ],
                "note": "",
            },
        ),
        _dossier_event(
            "dossier.payment_requested",
            "Yêu cầu thực hiện nghĩa vụ tài chính",
            {"note": "Ghi chú của cơ quan"},
            {"note": "Nộp lệ phí 8.000 đồng"},
        ),
        _dossier_event("dossier.withdrawn", "Hồ sơ đã được rút"),
        _dossier_event(
            "dossier.stopped",
            "Hồ sơ bị dừng xử lý",
            {"reason": "Lý do", "note": "Ghi chú của cán bộ"},
            {"reason": "Theo đề nghị của người nộp hồ sơ", "note": ""},
        ),
        _dossier_event(
            "dossier.finished",
            "Hồ sơ đã có kết quả",
            {"result_summary": "Tóm tắt kết quả"},
            {"result_summary": "Giấy khai sinh bản chính"},
        ),
        _dossier_event("dossier.returned", "Đã trả kết quả"),
        _dossier_event(
            "payment.received",
            "Đã nhận thanh toán trực tuyến",
            {"amount": "Số tiền", "receipt_number": "Số biên lai"},
            {"amount": "8.000 đ", "receipt_number": "BL-2026-000123"},
            is_urgent=True,
        ),
        Event(
            code="feedback.answered",
            name="Phản ánh, kiến nghị đã được trả lời",
            variables={
                "sender_name": "Họ tên người gửi",
                "feedback_code": "Mã phản ánh",
                "url": "Đường dẫn xem trả lời",
            },
            sample={
                "sender_name": "Nguyễn Văn An",
                "feedback_code": "PAKN-261123-0001",
                "url": "https://dichvucong.example.vn/phan-anh/PAKN-261123-0001/",
            },
        ),
        Event(
            code="feedback.overdue",
            name="Phản ánh, kiến nghị quá hạn xử lý (gửi cơ quan và cơ quan cấp trên)",
            variables={
                "feedback_code": "Mã phản ánh",
                "agency_name": "Cơ quan phải xử lý",
                "stage": "Việc đang quá hạn",
                "due_at": "Hạn xử lý",
                "url": "Đường dẫn trên trang cán bộ",
            },
            sample={
                "feedback_code": "PAKN-261123-0001",
                "agency_name": "Sở Tư pháp tỉnh Bắc Ninh",
                "stage": "Trả lời phản ánh, kiến nghị",
                "due_at": "17:00 14/12/2026",
                "url": "https://dichvucong.example.vn/can-bo/phan-anh-kien-nghi/PAKN-261123-0001/",
            },
        ),
        Event(
            code="question.answered",
            name="Câu hỏi đã được trả lời",
            variables={
                "asker_name": "Họ tên người hỏi",
                "question_title": "Tiêu đề câu hỏi",
                "url": "Đường dẫn xem trả lời",
            },
            sample={
                "asker_name": "Nguyễn Văn An",
                "question_title": "Đăng ký khai sinh cho con ở nơi tạm trú được không?",
                "url": "https://dichvucong.example.vn/hoi-dap/cua-toi/1/",
            },
        ),
        Event(
            code="verification.code",
            name="Mã xác nhận số điện thoại hoặc e-mail",
            variables={
                "code": "Mã xác nhận",
                "purpose": "Việc cần xác nhận, ví dụ: gửi phản ánh, kiến nghị",
                "minutes": "Số phút mã có hiệu lực",
            },
            sample={"code": "482913", "purpose": "gửi phản ánh, kiến nghị", "minutes": "10"},
            is_urgent=True,
            is_secret=True,
        ),
        Event(
            code="announcement",
            name="Thông tin tuyên truyền",
            variables={"title": "Tiêu đề", "text": "Nội dung", "url": "Đường dẫn"},
            sample={
                "title": "Nộp hồ sơ trực tuyến, không cần đến cơ quan",
                "text": "Từ tháng 12, người dân có thể đăng ký khai sinh hoàn toàn trực tuyến.",
                "url": "https://dichvucong.example.vn/thu-tuc/1.001193/",
            },
            kind=Message.Kind.ANNOUNCEMENT,
        ),
    ]
}
