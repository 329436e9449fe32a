"""One answer to one question, given what the conversation was about: the intent rules pick
the kind of answer, retrieval the procedure, compose.py the words; generative.py may reword
it when configured and grounded. Reads only; chat.py stores the turn."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse

from opendvc.assistant import knowledge

from . import compose, generative, helpbase, intents, retrieval

_CHOICE = re.compile(r"^\s*(?:số\s*|cái\s*(?:thứ\s*)?|thứ\s*)?([1-3])\s*$|^\s*(\d\.\d{6})\s*$")
_ORDINALS = {"nhất": 1, "đầu": 1, "một": 1, "hai": 2, "ba": 3, "cuối": 3}

GREETING = (
    "Xin chào! Tôi là trợ lý ảo của Cổng dịch vụ công. Bạn có thể hỏi về một thủ tục "
    "(giấy tờ cần nộp, thời hạn, lệ phí, nơi nộp, nộp trực tuyến) hoặc cách dùng cổng."
)
THANKS = "Rất vui được giúp bạn. Bạn cần hỏi thêm gì cứ nhắn nhé."
REFUSAL = (
    "Xin lỗi, tôi chỉ trả lời về thủ tục hành chính và cách sử dụng Cổng dịch vụ công, "
    "nên không thể giúp câu hỏi này."
)
WHICH = "Bạn hỏi về thủ tục nào? Ví dụ: «lệ phí đăng ký khai sinh»."
CLARIFY = "Có vài thủ tục phù hợp. Bạn muốn hỏi thủ tục nào?"
PICK = "Trả lời bằng số thứ tự hoặc mã thủ tục, hoặc hỏi rõ hơn."
UNKNOWN = (
    "Xin lỗi, tôi chưa tìm được thủ tục hay hướng dẫn phù hợp với câu hỏi này. Bạn có thể "
    "tìm trong danh mục thủ tục, đặt câu hỏi cho cơ quan, hoặc gửi phản ánh, kiến nghị."
)


@dataclass
class Reply:
    answer: str
    intent: str
    procedures: list[dict] = field(default_factory=list)  # {"code", "name", "url"}
    sources: list[dict] = field(default_factory=list)  # {"code", "updated_at"}
    links: list[dict] = field(default_factory=list)  # {"label", "url"}
    follow_up: str | None = None
    choices: dict = field(default_factory=dict)  # the clarifying question's options
    procedure_code: str = ""  # what the conversation is now about
    is_answered: bool = True


def _picked(question: str, choices: dict) -> str | None:
    codes = choices.get("codes") or []
    match = _CHOICE.match(question.lower())
    if match and match.group(2):
        return match.group(2) if match.group(2) in codes else None
    n = (
        int(match.group(1))
        if match
        else next(
            (
                v
                for k, v in _ORDINALS.items()
                if re.search(rf"\bthứ {k}\b|\b{k}\b$", question.lower())
            ),
            0,
        )
    )
    return codes[n - 1] if 0 < n <= len(codes) else None


def _handover() -> list[dict]:
    links = [
        {"label": "Tìm thủ tục", "url": reverse("catalog:list")},
        {"label": "Đặt câu hỏi cho cơ quan", "url": reverse("assistant:ask")},
        {"label": "Gửi phản ánh, kiến nghị", "url": reverse("feedback:send")},
    ]
    hotline = getattr(settings, "ASSISTANT_HOTLINE", "")
    if hotline:
        links.append({"label": f"Đường dây nóng {hotline}", "url": f"tel:{hotline}"})
    return links


def _about(code: str, aspects: tuple[str, ...], question: str) -> Reply | None:
    procedure = compose.load(code)
    if procedure is None:
        return None
    text = compose.compose(procedure, aspects, question)
    record = compose.record_text(procedure)
    text = generative.reword(question, text, [record]) or text
    stamp: datetime = compose.updated(procedure)
    text += f"\nNguồn: hồ sơ thủ tục {procedure.code}, cập nhật ngày {stamp:%d/%m/%Y}."
    links = [{"label": "Xem thủ tục", "url": procedure.get_absolute_url()}]
    if procedure.is_online:
        links.append(
            {"label": "Nộp hồ sơ trực tuyến", "url": reverse("dossiers:start", args=[code])}
        )
    for faq in knowledge.search_answers(question, procedure=code, limit=1):
        links.append({"label": f"Hỏi – đáp: {faq.title}", "url": faq.url})
    return Reply(
        answer=text,
        intent=intents.PROCEDURE,
        procedures=[{"code": code, "name": procedure.name, "url": procedure.get_absolute_url()}],
        sources=[{"code": code, "updated_at": stamp}],
        links=links,
        procedure_code=code,
    )


def respond(question: str, *, last_code: str = "", choices: dict | None = None) -> Reply:
    """The assistant's answer to `question`; `last_code` and `choices` are what the
    conversation was about and what it last offered."""
    choices = choices or {}
    picked = _picked(question, choices)
    if picked:
        aspects = tuple(choices.get("aspects") or ())
        return _about(picked, aspects, choices.get("question", "")) or Reply(UNKNOWN, "unknown")
    understood = intents.understand(question)
    if understood.intent == intents.OUT_OF_SCOPE:
        return Reply(REFUSAL, understood.intent, links=_handover()[:1])
    if understood.intent in (intents.GREETING, intents.THANKS):
        text = GREETING if understood.intent == intents.GREETING else THANKS
        return Reply(text, understood.intent, procedure_code=last_code)
    article = helpbase.find(question)
    if article:
        return Reply(
            f"{article.title}\n{article.text}",
            "help",
            links=[{"label": article.title, "url": article.url}],
            procedure_code=last_code,
        )
    if not understood.topic or understood.topic.isdigit():
        if last_code and understood.aspects:
            return _about(last_code, understood.aspects, question) or Reply(WHICH, "which")
        return Reply(WHICH, "which", follow_up=WHICH, procedure_code=last_code)
    found = retrieval.find(understood.topic)
    if found.best:
        reply = _about(found.best.code, understood.aspects, question)
        if reply:
            return reply
    if found.choices:
        options = [f"{n}. {c.name} (mã {c.code})" for n, c in enumerate(found.choices, 1)]
        return Reply(
            "\n".join([CLARIFY, *options, PICK]),
            "clarify",
            procedures=[{"code": c.code, "name": c.name, "url": c.url} for c in found.choices],
            follow_up=CLARIFY,
            choices={
                "codes": [c.code for c in found.choices],
                "aspects": list(understood.aspects),
                "question": question,
            },
            procedure_code=last_code,
        )
    for faq in knowledge.search_answers(question, limit=1):
        return Reply(
            f"{faq.title}\n{faq.answer}\nNguồn: hỏi – đáp, {faq.agency_name} trả lời.",
            "faq",
            links=[{"label": faq.title, "url": faq.url}],
            procedure_code=last_code,
        )
    return Reply(UNKNOWN, "unknown", links=_handover(), is_answered=False)
