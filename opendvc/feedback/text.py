"""Plain text from what people type: tags stripped, controls dropped, spaces tidied."""

import re
import unicodedata

from django.utils.html import strip_tags

_ACTIVE = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)


def plain(raw: str, *, keep_lines: bool = True) -> str:
    """The text without HTML tags or control characters, NFC, trimmed; line breaks kept.
    A script's or a style's text goes with its tags: it was never words for a reader."""
    text = _BREAK.sub("\n", _ACTIVE.sub("", str(raw or "")))
    text = unicodedata.normalize("NFC", strip_tags(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines) if keep_lines else " ".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?84|0)[\s.]?\d(?:[\s.]?\d){7,9}(?!\d)")
HIDDEN = "[đã ẩn]"


def redact(text: str, *names: str, every_address: bool = True) -> str:
    """The text with the given names (and, with `every_address`, any e-mail address or phone
    number) hidden: what a published answer shows of the sender. An agency's answer keeps its
    own hotline, so it is redacted of the sender's names and addresses only."""
    text = text or ""
    if every_address:
        text = _PHONE.sub(HIDDEN, _EMAIL.sub(HIDDEN, text))
    for name in names:
        if name and len(name) > 3:
            text = re.sub(re.escape(name), HIDDEN, text, flags=re.IGNORECASE)
    return text
