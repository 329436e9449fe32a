"""Phone numbers as each provider wants them. Messages keep the national form 0XXXXXXXXX."""

import re

_DIGITS = re.compile(r"\D")


def national(phone: str) -> str:
    """0XXXXXXXXX, from 0…, 84… or +84… with any spaces or dots."""
    digits = _DIGITS.sub("", phone)
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits


def international(phone: str) -> str:
    """84XXXXXXXXX, the form Zalo identifies accounts by."""
    digits = national(phone)
    return "84" + digits[1:] if digits.startswith("0") else digits
