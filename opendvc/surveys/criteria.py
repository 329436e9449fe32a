"""The satisfaction index of Circular 01/2018/TT-VPCP (Thông tư 01/2018/TT-VPCP hướng dẫn thi
hành Nghị định 61/2018/NĐ-CP về cơ chế một cửa, một cửa liên thông), as data.

The circular measures how satisfied people are with the handling of their dossier by nine
criteria, each scored 0, 1 or 2 points: 2 the best answer, 1 the acceptable one, 0 the
unsatisfactory one. The nine scores add up to at most 18 points, the figure Decision
766/QĐ-TTg reads as "mức độ hài lòng". The wording of the questions and levels follows the
circular's index of the one-stop process; the keys are the field names on DossierRating.
"""

from dataclasses import dataclass

from django.db import models

MAX_SCORE = 2
MAX_TOTAL = 18  # nine criteria × 2 points


@dataclass(frozen=True)
class Criterion:
    key: str
    question: str
    levels: tuple[str, str, str]  # the answer scored 0, 1 and 2 points, in that order


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "time_legal",
        "Thời gian giải quyết hồ sơ so với thời hạn theo quy định",
        ("Quá hạn (trễ hẹn)", "Đúng hạn", "Sớm hơn hạn quy định"),
    ),
    Criterion(
        "time_units",
        "Thời gian giải quyết tại từng cơ quan, đơn vị tham gia giải quyết",
        (
            "Có cơ quan, đơn vị giải quyết quá thời hạn",
            "Các cơ quan, đơn vị giải quyết đúng thời hạn",
            "Các cơ quan, đơn vị giải quyết sớm hơn thời hạn",
        ),
    ),
    Criterion(
        "contacts",
        "Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ",
        ("Từ 3 lần trở lên", "2 lần", "Chỉ 1 lần"),
    ),
    Criterion(
        "agencies",
        "Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ",
        ("Từ 2 cơ quan, đơn vị trở lên", "Một cơ quan ngoài nơi tiếp nhận", "Chỉ nơi tiếp nhận"),
    ),
    Criterion(
        "reception",
        "Việc tiếp nhận hồ sơ, hướng dẫn hoàn thiện hồ sơ",
        (
            "Phải đi lại nhiều lần, hướng dẫn không rõ ràng",
            "Được hướng dẫn, tiếp nhận theo đúng quy định",
            "Được hướng dẫn đầy đủ, rõ ràng, tiếp nhận nhanh chóng",
        ),
    ),
    Criterion(
        "publicity",
        "Việc công khai thủ tục hành chính (hồ sơ, phí, lệ phí, thời hạn)",
        (
            "Không được công khai hoặc công khai không đầy đủ",
            "Được công khai đầy đủ nhưng khó tìm",
            "Được công khai đầy đủ, dễ tìm, dễ hiểu",
        ),
    ),
    Criterion(
        "attitude",
        "Thái độ của cán bộ, công chức khi hướng dẫn, tiếp nhận và trả kết quả",
        (
            "Gây phiền hà, sách nhiễu hoặc thiếu tôn trọng",
            "Lịch sự, đúng mực",
            "Tận tình, chu đáo, lịch sự",
        ),
    ),
    Criterion(
        "feedback_response",
        "Việc tiếp nhận, xử lý ý kiến, kiến nghị, phản ánh",
        (
            "Không được tiếp nhận hoặc không được trả lời",
            "Được tiếp nhận và trả lời nhưng chưa kịp thời",
            "Được tiếp nhận và trả lời kịp thời, thỏa đáng (hoặc không có kiến nghị)",
        ),
    ),
    Criterion(
        "online_quality",
        "Chất lượng dịch vụ công trực tuyến (dễ truy cập, dễ sử dụng, ổn định)",
        (
            "Khó sử dụng, thường xuyên gặp lỗi",
            "Sử dụng được nhưng còn gặp khó khăn",
            "Dễ sử dụng, ổn định (hoặc không sử dụng dịch vụ trực tuyến)",
        ),
    ),
)
KEYS: tuple[str, ...] = tuple(criterion.key for criterion in CRITERIA)


class Overall(models.IntegerChoices):
    """The overall five-level rating; "hài lòng" and above count as satisfied."""

    VERY_SATISFIED = 5, "Rất hài lòng"
    SATISFIED = 4, "Hài lòng"
    NEUTRAL = 3, "Bình thường"
    DISSATISFIED = 2, "Không hài lòng"
    VERY_DISSATISFIED = 1, "Rất không hài lòng"


SATISFIED_FROM = Overall.SATISFIED
