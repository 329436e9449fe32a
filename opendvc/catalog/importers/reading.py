"""Reading JSONL files line by line, and the small text helpers every parser shares."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SPACES = re.compile(r"[\s\xa0]+")
NO_INFO = {"", "không có thông tin", "không quy định", "--"}


class BadRecord(Exception):
    """A line that cannot be imported; the message is the counted reason."""


@dataclass(frozen=True)
class Line:
    path: Path
    number: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.number}"


def read_lines(path: Path) -> Iterator[Line]:
    """Non-blank lines of a plain or gzipped JSONL file, numbered from 1."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                yield Line(path, number, text)


def parse_json(line: Line) -> dict:
    try:
        value = json.loads(line.text)
    except json.JSONDecodeError as error:
        raise BadRecord("malformed JSON") from error
    if not isinstance(value, dict):
        raise BadRecord("not a JSON object")
    return value


def clean(value: Any) -> str:
    """Collapse whitespace (including no-break spaces) and strip; None becomes ""."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise BadRecord("wrong types")
    return _SPACES.sub(" ", str(value)).strip()


def clean_block(value: Any) -> str:
    """Like `clean` but keeps line breaks: for long texts (steps, requirements)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord("wrong types")
    lines = (_SPACES.sub(" ", line).strip() for line in value.replace("\r", "").split("\n"))
    return "\n".join(line for line in lines if line)


def informative(value: Any) -> str:
    """The text, or "" when it only says there is no information."""
    text = clean_block(value) if isinstance(value, str) else clean(value)
    return "" if text.lower().rstrip(".") in NO_INFO else text


def as_dict(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord("wrong types")
    return value


def as_list(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord("wrong types")
    return value


def dicts(value: Any) -> list[dict]:
    return [as_dict(item) for item in as_list(value)]


def strings(value: Any) -> list[str]:
    return [text for text in (clean(item) for item in as_list(value)) if text]


def split_outside_parentheses(text: str, separator: str = ",") -> list[str]:
    """Split "A, Tổ chức (không bao gồm doanh nghiệp, HTX), B" into its three parts."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == separator and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def parse_code(value: Any) -> str:
    code = clean(value)
    if not code:
        raise BadRecord("missing code")
    if len(code) > 40:
        raise BadRecord("code too long")
    return code
