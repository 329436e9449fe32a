"""SMS text: Vietnamese without diacritics, and how many SMS parts it takes.

Vietnamese with its diacritics does not fit the GSM 03.38 alphabet, so a phone would receive it
as UCS-2: 70 characters a part instead of 160, and brandname SMS is billed per part. Messages
are therefore sent unaccented, which every Vietnamese reader understands.
"""

import unicodedata
from dataclasses import dataclass

# GSM 03.38 default alphabet (one septet each) and its extension table (escape + one septet).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_7 = "GSM-7"
UCS_2 = "UCS-2"
# Characters per part: a single message, and each part of a concatenated one (the user data
# header takes the rest).
LIMITS = {GSM_7: (160, 153), UCS_2: (70, 67)}
ELLIPSIS = "..."

# Typographic punctuation that word processors put into pasted text, and its ASCII form; left
# alone, one curly quote would turn the whole message into UCS-2.
_TYPOGRAPHIC = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‒": "-",
        "−": "-",
        "‐": "-",
        "‑": "-",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
        "\t": " ",
        # đ and Đ are letters of their own, not d with a mark, so NFD leaves them; Ð (eth) is
        # often typed for Đ.
        "đ": "d",
        "Đ": "D",
        "Ð": "D",
    }
)


@dataclass(frozen=True)
class SmsCount:
    chars: int  # septets for GSM-7 (an extension character is two), UTF-16 units for UCS-2
    parts: int
    encoding: str


def unaccent(text: str) -> str:
    """The text without Vietnamese diacritics, keeping case, digits and punctuation, with
    typographic quotes, dashes and the ellipsis in ASCII."""
    decomposed = unicodedata.normalize("NFD", text.translate(_TYPOGRAPHIC))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Recompose what is left (e.g. a Ç kept by the GSM alphabet has no Vietnamese mark).
    return unicodedata.normalize("NFC", bare)


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENSION for c in text)


def _costs(text: str) -> tuple[str, list[int]]:
    if is_gsm(text):
        return GSM_7, [2 if c in GSM_EXTENSION else 1 for c in text]
    return UCS_2, [2 if ord(c) > 0xFFFF else 1 for c in text]  # surrogate pairs


def _count_parts(costs: list[int], encoding: str) -> int:
    single, multi = LIMITS[encoding]
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    # Phones never split an escape sequence or a surrogate pair across two parts, so a part
    # may end one unit short: pack greedily instead of dividing.
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return parts


def parts(text: str) -> SmsCount:
    """How long `text` is on the air and how many SMS parts it takes (0 for no text)."""
    encoding, costs = _costs(text)
    return SmsCount(chars=sum(costs), parts=_count_parts(costs, encoding), encoding=encoding)


def fit(text: str, max_parts: int) -> str:
    """`text`, or as much of it as fits in `max_parts` parts followed by "...", cut at a word
    when one ends near the limit."""
    max_parts = max(max_parts, 1)
    if parts(text).parts <= max_parts:
        return text
    # Every character costs at least one unit, so no longer prefix can fit.
    longest = min(len(text), LIMITS[GSM_7][1] * max_parts)
    cut = 0
    for end in range(longest, 0, -1):
        if parts(text[:end] + ELLIPSIS).parts <= max_parts:
            cut = end
            break
    head = text[:cut]
    space = head.rfind(" ")
    if space > 0 and cut - space <= 20 and not text[cut : cut + 1].isspace():
        head = head[:space]
    return head.rstrip(" ,;:.-") + ELLIPSIS
