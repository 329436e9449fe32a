"""Answers written from a procedure record's structured fields, and only from them.

Every fact in an answer is read from the record it cites: a field the record leaves empty is
said to be missing ("Hồ sơ thủ tục không ghi …"), never guessed. `record_text` is the whole
record as text, which `checks.py` holds every answer against.
"""

from decimal import Decimal

from django.db.models import Prefetch

from opendvc.catalog.models import Procedure, ProcedureCase, RequiredDocument
from opendvc.core.money import vnd

from . import intents
from .intents import topic_words

MAX_LIST = 8
MISSING = "Hồ sơ thủ tục không ghi {what}."


def load(code: str) -> Procedure | None:
    cases = ProcedureCase.objects.prefetch_related(
        Prefetch("documents", RequiredDocument.objects.order_by("position", "pk"))
    )
    return (
        Procedure.objects.public()
        .prefetch_related(Prefetch("cases", cases), "channels", "fees", "implementing_agencies")
        .filter(code=code)
        .first()
    )


def updated(p: Procedure):
    return p.source_updated_at or p.imported_at


def money(amount: int) -> str:
    return vnd(amount, "đồng")


def amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value.normalize())


def choose_case(p: Procedure, question: str) -> ProcedureCase | None:
    """The case whose name shares most subject words with the question (the first if none)."""
    cases = list(p.cases.all())
    if not cases:
        return None
    words = topic_words(question)
    return max(cases, key=lambda c: (len(words & topic_words(c.name)), -c.position))


def documents(p: Procedure, case: ProcedureCase | None) -> list[str]:
    docs = list(case.documents.all()) if case else []
    if not docs:
        return [MISSING.format(what="thành phần hồ sơ")]
    lines = [
        "Giấy tờ cần nộp" + (f" (trường hợp: {case.name})" if len(p.cases.all()) > 1 else "") + ":"
    ]
    for doc in docs:
        counts = []
        if doc.original_qty:
            counts.append(f"{doc.original_qty} bản chính")
        if doc.copy_qty:
            counts.append(f"{doc.copy_qty} bản sao")
        qty = ", ".join(counts) if counts else "hồ sơ không ghi số bản"
        lines.append(f"- {doc.name.strip().lstrip('-•+ ')} ({qty})")
    others = [c.name for c in p.cases.all() if c != case]
    if others:
        lines.append("Thủ tục còn các trường hợp khác: " + "; ".join(others[:4]) + ".")
    return lines


def time(p: Procedure, case: ProcedureCase | None) -> list[str]:
    lines = []
    for ch in p.channels.all():
        if ch.processing_amount is not None and ch.processing_unit != "OTHER":
            when = f"{amount(ch.processing_amount)} {ch.get_processing_unit_display()}"
        else:
            when = ch.processing_text.strip()
        if when:
            lines.append(f"- {ch.get_channel_display()}: {when}")
    if (
        not lines
        and case
        and case.processing_amount is not None
        and case.processing_unit != "OTHER"
    ):
        lines.append(f"- {amount(case.processing_amount)} {case.get_processing_unit_display()}")
    if not lines:
        return [MISSING.format(what="thời hạn giải quyết")]
    return ["Thời hạn giải quyết:", *lines]


def fee(p: Procedure) -> list[str]:
    lines, seen = [], set()
    for f in p.fees.all():
        text = money(f.amount) if f.amount else ""
        if f.description.strip():
            text = (text + " – " if text else "") + f.description.strip()
        if text and text not in seen:
            seen.add(text)
            where = f" ({f.get_channel_display().lower()})" if f.channel else ""
            lines.append(f"- {f.get_kind_display()}{where}: {text}")
    if not lines:
        return [MISSING.format(what="mức phí, lệ phí")]
    return ["Phí, lệ phí:", *lines[:MAX_LIST]]


def where(p: Procedure) -> list[str]:
    lines = []
    agencies = [a.name for a in p.implementing_agencies.all()][:3]
    if agencies:
        lines.append("Cơ quan thực hiện: " + "; ".join(agencies) + ".")
    if p.receiving_address.strip():
        lines.append("Nơi tiếp nhận: " + p.receiving_address.strip())
    channels = [ch.get_channel_display() for ch in p.channels.all()]
    if channels:
        lines.append("Cách nộp: " + ", ".join(dict.fromkeys(channels)).lower() + ".")
    return lines or [MISSING.format(what="nơi tiếp nhận hồ sơ")]


def online(p: Procedure) -> list[str]:
    if p.is_online:
        return [
            f"Thủ tục có {p.get_online_level_display().lower()}: bạn có thể nộp hồ sơ trên cổng."
        ]
    if any(ch.channel == "ONLINE" for ch in p.channels.all()):
        return [
            "Hồ sơ thủ tục ghi cách nộp trực tuyến, nhưng cổng chưa nhận nộp trực tuyến "
            "thủ tục này."
        ]
    return ["Theo hồ sơ thủ tục, thủ tục này chưa cung cấp dịch vụ công trực tuyến."]


def legal(p: Procedure) -> list[str]:
    items = [item.get("name") or item.get("code") for item in p.legal_basis if item]
    if not items:
        return [MISSING.format(what="căn cứ pháp lý")]
    return ["Căn cứ pháp lý:", *(f"- {i}" for i in items[:MAX_LIST])]


def result(p: Procedure) -> list[str]:
    items = [item.get("name") for item in p.results if item and item.get("name")]
    if not items:
        return [MISSING.format(what="kết quả thực hiện")]
    return ["Kết quả: " + "; ".join(items[:MAX_LIST]) + "."]


def steps(p: Procedure) -> list[str]:
    items = [s.get("name") or s.get("description", "")[:200] for s in p.steps if s]
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        return [MISSING.format(what="trình tự thực hiện")]
    return ["Trình tự thực hiện:", *(f"{n}. {i}" for n, i in enumerate(items[:MAX_LIST], 1))]


def conditions(p: Procedure) -> list[str]:
    text = p.requirements.strip()
    if not text:
        return [MISSING.format(what="yêu cầu, điều kiện riêng")]
    return ["Yêu cầu, điều kiện: " + (text[:600] + "…" if len(text) > 600 else text)]


def compose(p: Procedure, aspects: tuple[str, ...], question: str) -> str:
    """The answer about `p` for the asked aspects; with none asked, the usual three."""
    case = choose_case(p, question)
    parts = {
        intents.DOCUMENTS: lambda: documents(p, case),
        intents.TIME: lambda: time(p, case),
        intents.FEE: lambda: fee(p),
        intents.WHERE: lambda: where(p),
        intents.ONLINE: lambda: online(p),
        intents.LEGAL: lambda: legal(p),
        intents.RESULT: lambda: result(p),
        intents.STEPS: lambda: steps(p),
        intents.CONDITIONS: lambda: conditions(p),
    }
    asked = aspects or (intents.DOCUMENTS, intents.TIME, intents.FEE)
    lines = [f"{p.name} (mã {p.code}):"]
    for aspect in asked:
        lines.extend(parts[aspect]())
    return "\n".join(lines)


def _limit(row) -> str:
    """A case's or channel's time limit as the answers word it ("5 ngày làm việc")."""
    if row.processing_amount is None:
        return ""
    return f"{amount(row.processing_amount)} {row.get_processing_unit_display()}"


def record_text(p: Procedure) -> str:
    """Everything the record says, as one text: what an answer may draw on."""
    bits = [p.code, p.name, p.requirements, p.receiving_address, updated(p).strftime("%d/%m/%Y")]
    bits += [f"{i.get('code', '')} {i.get('name', '')}" for i in p.legal_basis + p.results]
    bits += [f"{s.get('name', '')} {s.get('description', '')}" for s in p.steps]
    bits += [a.name for a in p.implementing_agencies.all()]
    for case in p.cases.all():
        bits.append(f"{case.name}; {_limit(case)}")
        bits += [f"{d.name} {d.original_qty} {d.copy_qty}" for d in case.documents.all()]
    bits += [f"{ch.processing_text}; {_limit(ch)}; {ch.description}" for ch in p.channels.all()]
    bits += [f"{f.amount} {money(f.amount)} {f.description}" for f in p.fees.all()]
    return "\n".join(str(b) for b in bits if b)
