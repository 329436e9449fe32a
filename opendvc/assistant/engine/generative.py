"""The optional generative wording: an OpenAI-compatible chat endpoint rewrites the answer
with the retrieved records as its only context. Off unless ASSISTANT_LLM_URL is set. Its text
is shown only if `checks.is_grounded` accepts it against those records; any failure (network,
timeout, a number not in the record) leaves the template answer in place."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from . import checks

logger = logging.getLogger(__name__)

SYSTEM = (
    "Bạn là trợ lý của Cổng dịch vụ công. Chỉ trả lời bằng tiếng Việt, ngắn gọn, và CHỈ dựa "
    "trên hồ sơ thủ tục dưới đây. Không nêu bất kỳ con số, mức phí, thời hạn hay giấy tờ nào "
    "không có trong hồ sơ; nếu hồ sơ không ghi, hãy nói hồ sơ không ghi."
)


def enabled() -> bool:
    return bool(getattr(settings, "ASSISTANT_LLM_URL", ""))


def _call(question: str, context: str) -> str:
    url = settings.ASSISTANT_LLM_URL.rstrip("/") + "/chat/completions"
    body = {
        "model": getattr(settings, "ASSISTANT_LLM_MODEL", "default"),
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Hồ sơ thủ tục:\n{context}\n\nCâu hỏi: {question}"},
        ],
    }
    headers = {"Content-Type": "application/json"}
    key = getattr(settings, "ASSISTANT_LLM_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    timeout = float(getattr(settings, "ASSISTANT_LLM_TIMEOUT", 8))
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
        data = json.load(response)
    return data["choices"][0]["message"]["content"].strip()


def reword(question: str, template_answer: str, records: list[str]) -> str | None:
    """The endpoint's answer when it is grounded in `records`, otherwise None."""
    if not enabled() or not records:
        return None
    context = template_answer + "\n\n" + "\n\n".join(records)
    try:
        text = _call(question, context)
    except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as error:
        logger.warning("assistant: generative endpoint failed: %s", type(error).__name__)
        return None
    if not text or not checks.is_grounded(text, records):
        logger.info("assistant: generative answer rejected (not grounded in the record)")
        return None
    return text
