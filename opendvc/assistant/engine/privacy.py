"""Personal data out of anything stored: phone numbers, e-mail addresses and ID numbers
(CCCD 12 digits, CMND 9, passport letter + 7 digits) are replaced by a placeholder."""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d.])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\d.])")
_ID = re.compile(r"(?<![\d.])(?:\d{12}|\d{9})(?![\d.])|\b[A-Za-z]\d{7}\b")


def mask(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[số điện thoại]", text)
    return _ID.sub("[số giấy tờ]", text)
