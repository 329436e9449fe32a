"""The page every slip and result shares: A4, the national heading beside the agency's name, a
title, facts, lists and the signature block, in a bundled Unicode font (Vietnamese needs one;
the run time must not depend on the system's fonts)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "OpenDVC-DejaVuSans"
BOLD = "OpenDVC-DejaVuSans-Bold"
# The frame's width: the page less the 20 mm margins and the frame's own 6 pt paddings.
WIDTH = A4[0] - 40 * mm - 12


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # No italic face is bundled: <i> falls back to the upright ones (boldItalic must be set,
    # or reportlab would take the regular face for a bold-italic one and ignore <b>).
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


@cache
def styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15, spaceAfter=4)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER, spaceAfter=0),
        "centre_bold": ParagraphStyle(
            "centre_bold", parent=body, fontName=BOLD, alignment=TA_CENTER, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=14,
            leading=19,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD, spaceBefore=6),
    }


def text(value: object) -> str:
    """Stored text made safe for reportlab's paragraph markup; line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def para(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(markup, styles()[style])


def when(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the site's local time, or a dash."""
    if moment is None:
        return "—"
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def date_line(place: str, moment: datetime) -> str:
    local = timezone.localtime(moment)
    day = f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"
    return f"{place}, {day}" if place else day.capitalize()


def heading(agency_name: str, number: str = "") -> Table:
    """The agency (left) and the national heading (right), as on every administrative form."""
    left = [para(text(agency_name.upper()), "centre_bold"), para("———", "centre")]
    if number:
        left.append(para(text(number), "centre"))
    right = [
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "centre_bold"),
        para("Độc lập - Tự do - Hạnh phúc", "centre_bold"),
        para("———————————", "centre"),
    ]
    table = Table([[left, right]], colWidths=[WIDTH * 0.42, WIDTH * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def title(main: str, form: str = "") -> list[Flowable]:
    parts = [para(text(main.upper()), "title")]
    if form:
        parts.append(para(text(form), "subtitle"))
    else:
        parts.append(Spacer(1, 8))
    return parts


def facts(rows: Iterable[tuple[str, object]]) -> Table:
    """Label / value rows, the label in bold."""
    data = [[para(f"<b>{text(label)}</b>"), para(text(value))] for label, value in rows]
    # splitInRow: a long stored text (a note, a reason) may run onto the next page.
    table = Table(data, colWidths=[WIDTH * 0.32, WIDTH * 0.68], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def numbered(items: Iterable[str]) -> list[Flowable]:
    """A numbered list; each item is markup already escaped by the caller."""
    return [para(f"{number}. {item}") for number, item in enumerate(items, start=1)]


def signatures(*blocks: tuple[str, str], date: str = "") -> Flowable:
    """Signature blocks side by side: (role, name) — e.g. the applicant and the desk officer;
    the place and date above the last one, as the forms have it."""
    if len(blocks) == 1:  # a single signer signs on the right half
        blocks = (("", ""), *blocks)
    cells = []
    for index, (role, name) in enumerate(blocks):
        cell: list[Flowable] = []
        if date and index == len(blocks) - 1:
            cell.append(para(text(date), "centre"))
        cell += [
            para(f"<b>{text(role.upper())}</b>", "centre"),
            Spacer(1, 20 * mm),
            para(text(name), "centre"),
        ]
        cells.append(cell)
    table = Table([cells], colWidths=[WIDTH / len(cells)] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return KeepTogether([Spacer(1, 6 * mm), table])


def render(story: list[Flowable], *, title: str, author: str, subject: str = "") -> bytes:
    """The document as PDF bytes (A4, 20 mm margins)."""
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="OpenDVC",
        lang="vi-VN",
    )
    document.build(story)
    return buffer.getvalue()
