"""Parsers for the tables that the page texts flatten without separators.

Each parser reads what the known column headers and units allow and returns None (or
leaves text whole) where the boundaries cannot be told reliably: text is kept, never guessed.
"""

from __future__ import annotations

import re

from .reading import clean, informative

CHANNEL_NAMES = {"Trực tiếp": "DIRECT", "Trực tuyến": "ONLINE", "Dịch vụ bưu chính": "POSTAL"}
UNIT_NAMES = {
    "ngày làm việc": "WORKING_DAY",
    "ngày": "DAY",
    "giờ": "HOUR",
    "tháng": "MONTH",
}
METHODS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_METHOD_ROW = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|Không có thông tin)")
_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng)?|Không có thông tin")
_FEE = re.compile(
    r"Miễn phí|Không có thông tin"
    r"|(?:(Lệ phí|Phí)\s*:\s*)?(\d[\d.,]*)?\s*(Việt Nam Đồng|VNĐ|Đồng|USD)",
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"\(\s*(\d+|[a-zđ]|[ivx]+)\s*\)", re.IGNORECASE)


def methods(text: str) -> tuple[list[dict], list[dict]]:
    """Channels and fees from "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15 Ngày làm
    việcMiễn phí…"."""
    if not text.startswith(METHODS_HEADER):
        return [], []
    parts = _METHOD_ROW.split(text[len(METHODS_HEADER) :])
    channels, fees = [], []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        channel = CHANNEL_NAMES[name]
        time = _TIME.match(body)
        rest = body[time.end() :]
        entry = {"channel": channel, "amount": None, "unit": "OTHER", "text": "", "description": ""}
        if time.group(1):
            entry["amount"] = float(time.group(1).replace(",", "."))
            entry["unit"] = UNIT_NAMES.get((time.group(2) or "").lower(), "OTHER")
            entry["text"] = clean(time.group(0))
        fee, rest = _fee(channel, rest)
        if fee:
            fees.append(fee)
        entry["description"] = informative(rest)
        channels.append(entry)
    return channels, fees


def _fee(channel: str, text: str) -> tuple[dict | None, str]:
    match = _FEE.match(text)
    if not match:
        return None, text
    rest = text[match.end() :]
    note, rest = _leading_note(rest)
    word, number, currency = match.group(0).lower(), match.group(2) or "", match.group(3) or ""
    if word == "không có thông tin":
        return None, rest
    amount = int(re.sub(r"\D", "", number) or 0)
    head = "Miễn phí" if word == "miễn phí" else ""
    if currency.upper() == "USD":
        # Amounts are kept in VND; a fee in another currency stays in the text.
        head, amount = f"{number} USD", 0
    description = " ".join(part for part in (head, note) if part)
    if not amount and not description:
        return None, rest
    label = (match.group(1) or note).lower()
    kind = "CHARGE" if "lệ phí" in label else "FEE" if "phí" in label else "OTHER"
    return {"channel": channel, "kind": kind, "amount": amount, "description": description}, rest


def _leading_note(text: str) -> tuple[str, str]:
    """A parenthesised note right after the fee, e.g. "(Theo quy định…)"; "(1) Trường
    hợp…" is a numbered description instead."""
    if not text.startswith("(") or _ENUMERATOR.match(text):
        return "", text
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return clean(text[1:index]), text[index + 1 :]
    return "", text


DOCUMENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# A row ends with its quantities. Only the last digit is the count: a name ending in a
# year ("…năm 2021") runs straight into it ("20211 bản chính").
_QUANTITY = re.compile(r"(\d) bản chính(?:,\s*(\d+) bản sao)?|(\d) bản sao")
_EXTENSIONS = r"\.(?:docx|doc|pdf|xlsx|xls|DOCX|DOC|PDF|XLSX|XLS)(?![a-z])"
_FILE = re.compile(r".+?" + _EXTENSIONS)
_FILE_EXT = re.compile(_EXTENSIONS)
# Where a name ends and a file name begins: a closing mark glued to the next word, or a
# lowercase letter glued to a capital ("…khoáng sảnMau 08.doc").
_SPLIT_MARK = re.compile(r"(?<=\D)\.(?=[^\s\d.;,)])|[;)](?=[^\s,;)])")


def documents(text: str) -> list[dict] | None:
    """Documents from "GroupTên giấy tờMẫu đơn, tờ khaiSố lượngName form.docx1 bản chính…"."""
    if DOCUMENTS_HEADER not in text:
        return None
    segments = text.split(DOCUMENTS_HEADER)
    group = _group_name(segments[0])
    result = []
    for segment in segments[1:]:
        position = 0
        for match in _QUANTITY.finditer(segment):
            row = segment[position : match.start()]
            position = match.end()
            name, forms = _split_forms(row)
            if name:
                result.append(_document(group, name, forms, match))
        group = _group_name(segment[position:])
    return result


def _group_name(text: str) -> str:
    return clean(text).strip("-*: ")[:500]


def _document(group: str, name: str, forms: list[str], match: re.Match) -> dict:
    originals = int(match.group(1) or 0)
    copies = int(match.group(2) or match.group(3) or 0)
    return {
        "group": group,
        "name": name,
        "original_qty": originals,
        "copy_qty": min(copies, 32767),
        "is_required": True,
        "forms": [{"name": form, "url": ""} for form in forms],
    }


def _split_forms(row: str) -> tuple[str, list[str]]:
    """Tell the document name from the form file names glued after it."""
    row = row.strip()
    first = _FILE_EXT.search(row)
    if not first:
        return clean(row), []
    head = row[: first.start()]
    cut = None
    marks = [m.start() + 1 for m in _SPLIT_MARK.finditer(head) if m.start() >= len(head) - 120]
    if marks:
        cut = marks[0]
    else:
        camels = [i for i in range(1, len(head)) if head[i - 1].islower() and head[i].isupper()]
        cut = camels[0] if camels else None
    if cut is None:
        return clean(row), []
    files = [clean(f).lstrip(".;) ") for f in _FILE.findall(row[cut:])]
    return clean(row[:cut]), [f for f in files if f]


LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_LEGAL_CODE = re.compile(
    r"(?:(?<![\d/])|(?<=QH\d\d))\d{1,4}(?:\.\d+)?/\d{4}/(?:UBTVQH1\d|QH1\d|[A-ZĐ]+(?:-(?:TTg|[A-ZĐ]+))*)"
)
# Issuer abbreviations that end codes; used to tell "…/TT-BTC" + "Nghị định…" from the
# greedy "BTCN" + "ghị định…".
_ISSUERS = {
    "CP", "TTg", "BTC", "BTP", "BCA", "BQP", "BXD", "BYT", "BCT", "NHNN", "BNNMT", "BNNPTNT",
    "BTNMT", "BGTVT", "BNV", "BLĐTBXH", "BKHĐT", "BKHCN", "BTTTT", "BGDĐT", "BVHTTDL", "BNG",
    "UBND", "VPCP", "HĐND", "CTN", "UBTVQH", "TANDTC", "VKSNDTC", "BDTTG", "BDTTTG",
}  # fmt: skip


def _code_end(body: str, match: re.Match) -> int:
    """Where the code really ends: the next row's name may start with capitals glued on
    ("…/NĐ-CPLUẬT…", "…/TT-BTCNghị định…")."""
    end = match.end()
    last = re.split(r"[-/]", match.group(0))[-1]
    if last in _ISSUERS or re.fullmatch(r"(UBTV)?QH1\d", last):
        return end
    known = [issuer for issuer in _ISSUERS if last.startswith(issuer)]
    if known:
        return end - (len(last) - len(max(known, key=len)))
    if end < len(body) and body[end].islower():
        return end - 1
    return end


def legal_basis(text: str) -> list[dict]:
    """[{"code", "name"}] from "Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13…"."""
    if not text.startswith(LEGAL_HEADER):
        text = informative(text)
        return [{"code": "", "name": text}] if text else []
    body = text[len(LEGAL_HEADER) :]
    rows, position = [], 0
    for match in _LEGAL_CODE.finditer(body):
        end = _code_end(body, match)
        following = body[end : end + 1]
        # The code column ends a row: it is followed by the next row's name (no space)
        # or by the end; a number inside a name is followed by a space or a comma.
        if following and (following.isspace() or following in ",;.)"):
            continue
        rows.append(
            {"name": clean(body[position : match.start()]), "code": body[match.start() : end]}
        )
        position = end
    # "Luật 54/2014/QH13" + "54/2014/QH13": a row without a name belongs to the one before.
    merged: list[dict] = []
    for row in rows:
        if not row["name"] and merged:
            previous = merged[-1]
            merged[-1] = {"name": f"{previous['name']} {previous['code']}", "code": row["code"]}
        else:
            merged.append(row)
    if not merged or clean(body[position:]) or any(not row["name"] for row in merged):
        return [{"code": "", "name": clean(body)}]
    return merged


_RESULT_TAIL = re.compile(r"Từ khóa.*$", re.DOTALL)
_RESULT = re.compile(r"(.+?)Mã:\s*(\S+?)(?=[A-ZÀ-ỸĐ][a-zà-ỹđ]|$)", re.DOTALL)


def results(text: str) -> list[dict]:
    """[{"code", "name"}] from "Giấy khai sinhMã: KQ.G15.000031Từ khóa…"."""
    text = _RESULT_TAIL.sub("", text).strip()
    found = [{"code": code, "name": clean(name)} for name, code in _RESULT.findall(text)]
    if found and sum(len(r["name"]) + len(r["code"]) for r in found) >= len(clean(text)) - 10 * len(
        found
    ):
        return found
    text = informative(text)
    return [{"code": "", "name": text}] if text else []


_STEP = re.compile(r"(?=Bước \d+\s*[:.])")


def steps(text: str) -> list[dict]:
    """Steps split at "Bước N:", or the whole text as one step."""
    parts = [part.strip() for part in _STEP.split(text) if part.strip()]
    result = []
    for part in parts:
        head = re.match(r"(Bước \d+)\s*[:.]\s*", part)
        if head:
            result.append({"name": head.group(1), "description": part[head.end() :].strip()})
        elif result:
            result[-1]["description"] += "\n" + part
        else:
            result.append({"name": "", "description": part})
    return result
