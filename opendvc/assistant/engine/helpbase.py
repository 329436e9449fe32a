"""The help base: how to use the portal (account, tracking, payment, supplements…), as a
few short Vietnamese articles, each pointing to the portal's real page (by URL name, so a
renamed path cannot leave a dead link). Searched with the shared `TextIndex`."""

import re
from dataclasses import dataclass

from django.urls import reverse

from opendvc.catalog import text_search
from opendvc.core.text import fold

from .intents import remainder

# A question is about the portal only when it says so: a question about a procedure shares
# common words ("hồ sơ", "nộp", "lệ phí") with several articles, so ranking alone would
# answer "lệ phí khai sinh" with the payment article.
_TRIGGERS = [
    "tài khoản",
    "đăng nhập",
    "mật khẩu",
    "tra cứu hồ sơ",
    "theo dõi hồ sơ",
    "tình trạng hồ sơ",
    "hồ sơ đến đâu",
    "thanh toán",
    "trả tiền online",
    "bổ sung hồ sơ",
    "yêu cầu bổ sung",
    "phản ánh",
    "kiến nghị",
    "khiếu nại",
    "rút hồ sơ",
    "hủy hồ sơ",
    "hồ sơ của tôi",
    "cách nộp hồ sơ trực tuyến",
    "hướng dẫn nộp",
    "đặt câu hỏi",
    "biên lai",
    "mã hồ sơ",
    "sử dụng cổng",
    "dùng cổng",
    "trên cổng",
    "góp ý",
]
_TRIGGER = re.compile(
    r"\b(?:"
    + "|".join(re.escape(fold(t)) for t in sorted(_TRIGGERS, key=len, reverse=True))
    + r")\b"
)

ARTICLES = [
    {
        "slug": "tao-tai-khoan",
        "title": "Tạo tài khoản, đăng ký tài khoản trên Cổng dịch vụ công",
        "keywords": "tạo tài khoản đăng ký tài khoản mở tài khoản đăng kí account",
        "text": "Chọn «Đăng ký» ở đầu trang, nhập họ tên, số điện thoại hoặc thư điện tử và mật "
        "khẩu, rồi xác nhận. Có tài khoản, bạn nộp hồ sơ trực tuyến và theo dõi hồ sơ của mình.",
        "url": "accounts:signup",
    },
    {
        "slug": "dang-nhap",
        "title": "Đăng nhập và quên mật khẩu",
        "keywords": "đăng nhập quên mật khẩu đổi mật khẩu lấy lại mật khẩu "
        "không vào được tài khoản",
        "text": "Chọn «Đăng nhập» ở đầu trang. Quên mật khẩu: ở trang đăng nhập chọn «Quên mật "
        "khẩu», nhập thư điện tử của tài khoản và làm theo đường liên kết được gửi tới.",
        "url": "accounts:password_reset",
    },
    {
        "slug": "tra-cuu-ho-so",
        "title": "Tra cứu, theo dõi tình trạng hồ sơ đã nộp",
        "keywords": "tra cứu hồ sơ theo dõi hồ sơ tình trạng hồ sơ hồ sơ đến đâu mã hồ sơ "
        "kiểm tra hồ sơ xem hồ sơ",
        "text": "Không cần tài khoản: vào trang «Tra cứu hồ sơ», nhập mã hồ sơ trên giấy tiếp "
        "nhận cùng mã bí mật hoặc số điện thoại đã khai. Có tài khoản: xem «Hồ sơ của tôi».",
        "url": "dossiers:track",
    },
    {
        "slug": "ho-so-cua-toi",
        "title": "Xem các hồ sơ của tôi, rút hồ sơ",
        "keywords": "hồ sơ của tôi danh sách hồ sơ rút hồ sơ hủy hồ sơ",
        "text": "Sau khi đăng nhập, trang «Hồ sơ của tôi» liệt kê các hồ sơ bạn đã nộp, tiến độ "
        "từng bước; hồ sơ chưa được tiếp nhận có thể rút lại.",
        "url": "dossiers:mine",
    },
    {
        "slug": "thanh-toan",
        "title": "Thanh toán phí, lệ phí trực tuyến",
        "keywords": "thanh toán trực tuyến trả tiền online chuyển khoản thanh toán phí lệ phí "
        "thanh toán không thành công hoàn tiền biên lai",
        "text": "Khi hồ sơ cần nộp phí, lệ phí, mở hồ sơ trong «Hồ sơ của tôi» và chọn «Thanh "
        "toán»; cổng chuyển bạn sang cổng thanh toán, xong sẽ quay lại với biên lai điện tử.",
        "url": "dossiers:mine",
    },
    {
        "slug": "bo-sung-ho-so",
        "title": "Bổ sung hồ sơ khi cơ quan yêu cầu",
        "keywords": "bổ sung hồ sơ yêu cầu bổ sung sửa hồ sơ thiếu giấy tờ nộp thêm",
        "text": "Khi cơ quan yêu cầu bổ sung, bạn nhận được tin nhắn; mở hồ sơ trong «Hồ sơ của "
        "tôi», chọn «Bổ sung», thay đúng các giấy tờ được nêu rồi gửi lại.",
        "url": "dossiers:mine",
    },
    {
        "slug": "nop-truc-tuyen",
        "title": "Cách nộp hồ sơ trực tuyến trên cổng",
        "keywords": "cách nộp hồ sơ trực tuyến nộp online hướng dẫn nộp hồ sơ tìm thủ tục",
        "text": "Tìm thủ tục ở trang «Thủ tục hành chính», mở thủ tục và chọn «Nộp hồ sơ trực "
        "tuyến» (với thủ tục có cung cấp trực tuyến), chọn trường hợp và cơ quan, khai tờ "
        "khai, tải giấy tờ lên rồi gửi.",
        "url": "catalog:list",
    },
    {
        "slug": "phan-anh-kien-nghi",
        "title": "Gửi phản ánh, kiến nghị",
        "keywords": "phản ánh kiến nghị khiếu nại góp ý than phiền chậm trễ",
        "text": "Bạn có thể gửi phản ánh, kiến nghị về thủ tục hành chính và việc giải quyết hồ "
        "sơ; cơ quan có thẩm quyền trả lời trong thời hạn luật định.",
        "url": "feedback:send",
    },
    {
        "slug": "hoi-dap",
        "title": "Đặt câu hỏi cho cơ quan, xem hỏi – đáp",
        "keywords": "đặt câu hỏi hỏi đáp hỏi cơ quan",
        "text": "Trang «Hỏi – đáp» có các câu trả lời đã công khai; bạn cũng có thể đặt câu hỏi "
        "cho cơ quan giải quyết thủ tục.",
        "url": "assistant:faq",
    },
]


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    text: str
    url: str


def _build() -> text_search.TextIndex:
    return text_search.TextIndex.build(
        (i, [(a["title"], 2.0), (a["keywords"], 2.0), (a["text"], 0.5)])
        for i, a in enumerate(ARTICLES)
    )


# Beyond its portal words, a question about the portal says little ("tôi quên mật khẩu thì
# làm sao"); one naming a procedure at length ("giải quyết khiếu nại lần đầu cấp Cục…",
# "thanh toán chi phí khám bệnh cho dân quân…") is about that procedure.
MAX_OTHER_WORDS = 2


def find(question: str) -> Article | None:
    """The article answering a question about using the portal, if it is one."""
    folded = fold(question)
    if not _TRIGGER.search(folded):
        return None
    if len(remainder(_TRIGGER.sub(" ", folded)).split()) > MAX_OTHER_WORDS:
        return None
    index = text_search.cached("assistant.help", (len(ARTICLES),), _build)
    hits = index.search(question, limit=1)
    if not hits:
        return None
    a = ARTICLES[hits[0][0]]
    return Article(a["slug"], a["title"], a["text"], reverse(a["url"]))
