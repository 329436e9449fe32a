"""The electronic receipt (biên lai điện tử) of a paid fee: a PDF made on request from the
stored payment, on the same page layout as the dossier's slips."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table, TableStyle

from opendvc.core.money import vnd
from opendvc.dossiers.pdf import layout
from opendvc.dossiers.pdf.layout import WIDTH, para, text, when

from .models import Payment

RECEIPT_STATES = (Payment.State.SUCCESS, Payment.State.REFUNDED)
TITLE = "Biên lai thu phí, lệ phí (điện tử)"

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


class NoReceipt(LookupError):
    """The payment has no receipt: not paid (or not numbered)."""


def has_receipt(payment: Payment) -> bool:
    return payment.state in RECEIPT_STATES and payment.receipt_number is not None


def receipt_number(payment: Payment) -> str:
    return f"{payment.receipt_number}/{payment.receipt_year}"


def file_name(payment: Payment) -> str:
    return f"bien-lai-{payment.receipt_year}-{payment.receipt_number}.pdf"


# --- amounts in words ---------------------------------------------------------------------


def _three(number: int, *, full: bool) -> list[str]:
    """Words for 0–999; `full` reads the zero hundreds and the "linh" of a group that follows
    another ("một triệu không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(number: int, *, full: bool) -> list[str]:
    groups = [number // 1_000_000, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _three(group, full=full or bool(words))
        if GROUPS[2 - index]:
            words.append(GROUPS[2 - index])
    return words


def _words(number: int, *, full: bool = False) -> list[str]:
    if number < BILLION:
        return _below_billion(number, full=full)
    high, low = divmod(number, BILLION)
    return [*_words(high, full=full), "tỷ", *_below_billion(low, full=True)]


def amount_in_words(amount: int) -> str:
    """An amount of VND in Vietnamese words, as receipts write it:
    50000 → 'Năm mươi nghìn đồng', 1250000 → 'Một triệu hai trăm năm mươi nghìn đồng'."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    words = _words(amount) or [DIGITS[0]]
    sentence = " ".join([*words, "đồng"])
    return sentence[0].upper() + sentence[1:]


# --- the PDF ------------------------------------------------------------------------------


def _lines_table(payment: Payment) -> Table:
    rows: list[list[object]] = [
        [para("<b>STT</b>", "centre"), para("<b>Nội dung thu</b>"), para("<b>Số tiền</b>")]
    ]
    for number, line in enumerate(payment.lines or [], start=1):
        label, amount = line.get("label", ""), int(line.get("amount", 0))
        rows.append([para(str(number), "centre"), para(text(label)), para(vnd(amount))])
    if len(rows) == 1:  # a payment without itemised lines still shows what it was for
        rows.append(
            [para("1", "centre"), para(text(payment.description)), para(vnd(payment.amount))]
        )
    rows.append(["", para("<b>Tổng cộng</b>"), para(f"<b>{vnd(payment.amount)}</b>")])
    table = Table(rows, colWidths=[WIDTH * 0.1, WIDTH * 0.62, WIDTH * 0.28], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#555555"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _facts(payment: Payment) -> list[tuple[str, object]]:
    dossier = payment.dossier
    payer = getattr(payment.payer, "full_name", "") or dossier.applicant_name
    return [
        ("Đơn vị thu", payment.agency.name),
        ("Người nộp tiền", payer),
        ("Mã hồ sơ", dossier.code),
        ("Thủ tục", f"{dossier.procedure.code} – {dossier.procedure.name}"),
    ]


def _payment_facts(payment: Payment) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Hình thức thanh toán", "Trực tuyến qua cổng thanh toán"),
        ("Thời điểm thanh toán", when(payment.paid_at)),
        ("Mã giao dịch của cổng", payment.transaction_no or "—"),
        ("Ngân hàng", payment.bank_code or "—"),
        ("Mã tham chiếu", payment.txn_ref),
    ]
    if payment.state == Payment.State.REFUNDED:
        rows.append(("Đã hoàn tiền", when(payment.refunded_at)))
    return rows


def build_story(payment: Payment) -> list[Flowable]:
    number = receipt_number(payment)
    return [
        layout.heading(payment.agency.name, f"Số: {number}"),
        *layout.title(TITLE, f"Số biên lai: {number}"),
        layout.facts(_facts(payment)),
        para("<b>Các khoản thu:</b>", "heading"),
        _lines_table(payment),
        para(f"<b>Bằng chữ:</b> {text(amount_in_words(payment.amount))}"),
        layout.facts(_payment_facts(payment)),
        para("Biên lai điện tử do hệ thống lập tự động khi nhận kết quả thanh toán.", "small"),
        layout.signatures(
            ("Đơn vị thu", payment.agency.name),
            date=layout.date_line("", payment.paid_at) if payment.paid_at else "",
        ),
    ]


def render_receipt(payment: Payment) -> bytes:
    """The receipt as PDF bytes. Raises NoReceipt for a payment that has none."""
    if not has_receipt(payment):
        raise NoReceipt(payment.pk)
    return layout.render(
        build_story(payment),
        title=f"{TITLE} – {receipt_number(payment)}",
        author=payment.agency.name,
        subject=payment.dossier.code,
    )
