import re

# Vietnamese mobile numbers: 10 digits starting with 03, 05, 07, 08 or 09.
_MOBILE = re.compile(r"^0[35789]\d{8}$")


def normalize_phone(raw: str) -> str | None:
    """Return the number as 0XXXXXXXXX, accepting spaces, dots and a +84/84 prefix; else None."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) else None
