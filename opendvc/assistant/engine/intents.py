"""What a question asks: its intent (greeting, out of scope, portal help, or a procedure
question) and the aspect of the procedure it is about (documents, time, fee…).

Rules over the folded text (no diacritics, `opendvc.core.text.fold`), so "bao lâu" and
"bao lau" are the same question. Patterns are written with diacritics and folded once.
"""

import re
from dataclasses import dataclass

from opendvc.core.text import fold

# Aspects of a procedure record, in the order a reply lists them when several are asked.
DOCUMENTS = "documents"
TIME = "time"
FEE = "fee"
WHERE = "where"
ONLINE = "online"
LEGAL = "legal"
RESULT = "result"
STEPS = "steps"
CONDITIONS = "conditions"

GREETING = "greeting"
THANKS = "thanks"
OUT_OF_SCOPE = "out_of_scope"
PROCEDURE = "procedure"

_ASPECT_WORDS = {
    DOCUMENTS: [
        "giấy tờ",
        "giấy tờ gì",
        "hồ sơ gồm",
        "hồ sơ cần",
        "thành phần hồ sơ",
        "chuẩn bị",
        "cần những gì",
        "cần gì",
        "mang theo",
        "hồ sơ gì",
        "cần mang",
    ],
    TIME: [
        "bao lâu",
        "mấy ngày",
        "bao nhiêu ngày",
        "thời gian",
        "thời hạn",
        "khi nào có",
        "khi nào nhận",
        "mất bao lâu",
        "trong bao lâu",
        "bao giờ",
    ],
    FEE: [
        "lệ phí",
        "phí",
        "bao nhiêu tiền",
        "mất bao nhiêu",
        "chi phí",
        "tốn bao nhiêu",
        "tiền",
        "mất tiền",
        "miễn phí",
        "hết bao nhiêu",
    ],
    WHERE: ["ở đâu", "nộp ở", "nộp tại", "cơ quan nào", "nơi nộp", "chỗ nào", "đến đâu", "nơi nào"],
    ONLINE: ["trực tuyến", "online", "qua mạng", "trên mạng", "nộp mạng", "dịch vụ công"],
    LEGAL: ["căn cứ", "pháp lý", "luật nào", "văn bản nào", "nghị định nào", "quy định nào"],
    RESULT: ["kết quả", "nhận được gì", "được cấp gì"],
    STEPS: [
        "các bước",
        "trình tự",
        "quy trình",
        "cách làm",
        "làm thế nào",
        "làm như thế nào",
        "làm sao",
        "thủ tục như thế nào",
        "cách thức",
    ],
    CONDITIONS: ["điều kiện", "yêu cầu", "đủ tuổi", "được không"],
}
_GREETINGS = [
    "xin chào",
    "chào bạn",
    "chào",
    "hello",
    "hi",
    "alo",
    "chào em",
    "chào anh",
    "chào chị",
]
_THANKS = ["cảm ơn", "cám ơn", "thank", "thanks"]
# Subjects an administrative-procedure assistant has nothing to say about.
_OUT_OF_SCOPE = [
    "thời tiết",
    "bóng đá",
    "xổ số",
    "giá vàng",
    "tỷ giá",
    "nấu ăn",
    "công thức nấu",
    "bài hát",
    "phim",
    "người yêu",
    "tình yêu",
    "viết code",
    "bài thơ",
    "làm thơ",
    "truyện cười",
    "game",
    "trò chơi",
    "tử vi",
    "bói",
    "chính trị",
    "bitcoin",
    "crypto",
    "cá độ",
    "hack",
    "mật khẩu wifi",
    "kết quả trận",
]
# Words that carry no subject: removed before retrieval, and what is left of a question once
# they and the aspect words are gone decides whether it names a procedure at all.
_FILLER = [
    "thủ tục",
    "cho tôi hỏi",
    "cho hỏi",
    "xin hỏi",
    "tôi muốn",
    "mình muốn",
    "em muốn",
    "tôi cần",
    "muốn",
    "cần",
    "thì sao",
    "thế nào",
    "như thế nào",
    "là gì",
    "gì",
    "bao nhiêu",
    "còn",
    "vậy",
    "ạ",
    "nhé",
    "không",
    "có",
    "thì",
    "của",
    "cho",
    "tôi",
    "mình",
    "em",
    "anh",
    "chị",
    "bạn",
    "những",
    "các",
    "nào",
    "phải",
    "được",
    "là",
    "và",
    "hay",
    "hỏi",
    "với",
    "ơi",
    "nhỉ",
    "đi",
    "làm",
    "khi",
    "nộp",
    "hồ sơ",
    "để",
    "nữa",
    "sao",
    "ở",
    "đâu",
    "thế",
    "như",
    "nhiêu",
    "bao",
    "về",
    "trong",
    "ra",
    "xin",
    "help",
    "giúp",
    "luôn",
    "rồi",
]


# Everyday words for what the catalog names otherwise: "bằng lái bị mất" is "cấp lại giấy
# phép lái xe", "công chứng bản sao" at the commune is "chứng thực". Applied to the folded
# question before retrieval; the catalog's own synonym table does the rest.
_EVERYDAY = [
    ("bị mất", "cấp lại"),
    ("làm lại", "cấp lại"),
    ("hết hạn", "cấp đổi"),
    ("công chứng", "chứng thực"),
    ("giấy chứng tử", "khai tử"),
    ("làm hộ chiếu", "cấp hộ chiếu"),
    ("làm căn cước", "cấp thẻ căn cước"),
    ("làm cccd", "cấp thẻ căn cước"),
    ("sửa sai tên", "cải chính hộ tịch"),
    ("sửa tên", "cải chính hộ tịch"),
    ("bản sao giấy khai sinh", "cấp bản sao trích lục hộ tịch bản sao giấy khai sinh"),
    ("với người nước ngoài", "có yếu tố nước ngoài"),
]
_REWRITES = [(re.compile(rf"\b{re.escape(fold(a))}\b"), fold(b)) for a, b in _EVERYDAY]


def _phrases(words: list[str]) -> list[str]:
    # Longest first, so "bao nhiêu tiền" is removed before "bao nhiêu".
    return sorted({fold(w) for w in words}, key=len, reverse=True)


def _matcher(words: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _phrases(words)) + r")\b")


_ASPECTS = {aspect: _matcher(words) for aspect, words in _ASPECT_WORDS.items()}
_GREETING = re.compile(r"^(?:" + "|".join(map(re.escape, _phrases(_GREETINGS))) + r")\b")
_THANK = _matcher(_THANKS)
_OUT = _matcher(_OUT_OF_SCOPE)
_STRIP = _matcher([w for ws in _ASPECT_WORDS.values() for w in ws] + _FILLER + _GREETINGS + _THANKS)


@dataclass(frozen=True)
class Understood:
    intent: str  # GREETING | THANKS | OUT_OF_SCOPE | PROCEDURE
    aspects: tuple[str, ...]  # what of the procedure is asked; empty = an overview
    topic: str  # the question without question words: what to search the catalog for
    folded: str


def understand(question: str) -> Understood:
    folded = fold(question)
    aspects = tuple(a for a, pattern in _ASPECTS.items() if pattern.search(folded))
    topic = " ".join(_STRIP.sub(" ", everyday(folded)).split())
    if _OUT.search(folded):
        return Understood(OUT_OF_SCOPE, aspects, topic, folded)
    if not topic and _GREETING.search(folded):
        return Understood(GREETING, aspects, topic, folded)
    if not topic and _THANK.search(folded):
        return Understood(THANKS, aspects, topic, folded)
    return Understood(PROCEDURE, aspects, topic, folded)


def everyday(folded: str) -> str:
    for pattern, words in _REWRITES:
        folded = pattern.sub(words, folded)
    return folded


def remainder(folded: str) -> str:
    """What is left of a folded text once question and filler words are gone."""
    return " ".join(_STRIP.sub(" ", folded).split())


def topic_words(text: str) -> set[str]:
    """The subject words of a text (for matching a case's name to a question)."""
    return set(_STRIP.sub(" ", fold(text)).split())
