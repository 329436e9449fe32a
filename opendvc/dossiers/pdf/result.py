"""The electronic result of a dossier, before it is signed: the decision's content, the
signer, and a QR code leading to the public verification page."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from opendvc.core import qr

from ..models import Dossier
from . import layout
from .layout import para, text, when

QR_SIZE = 32 * mm


def render_result(
    *, dossier: Dossier, verify_url: str, signer_name: str, place: str, now: datetime
) -> bytes:
    """The result PDF: national heading, agency, title, procedure, applicant, the result's
    summary as content, place and date, the signer and the agency, QR and printed URL."""
    story: list[Flowable] = [
        layout.heading(dossier.agency.name, f"Mã hồ sơ: {dossier.code}"),
        *layout.title("Kết quả giải quyết thủ tục hành chính"),
        layout.facts(
            [
                ("Thủ tục", f"{dossier.procedure.name} ({dossier.procedure.code})"),
                ("Người nộp hồ sơ", dossier.applicant_name),
                ("Ngày tiếp nhận", when(dossier.received_at)),
                ("Ngày giải quyết xong", when(dossier.finished_at or now)),
            ]
        ),
        para("<b>Nội dung kết quả giải quyết:</b>", "heading"),
        *[para(text(line)) for line in dossier.result_summary.splitlines() if line.strip()],
        layout.signatures(
            (dossier.agency.name, f"(Đã ký số)\n{signer_name}"),
            date=layout.date_line(place, now),
        ),
        _verification(verify_url),
    ]
    return layout.render(
        story,
        title=f"Kết quả giải quyết hồ sơ {dossier.code}",
        author=dossier.agency.name,
        subject=dossier.code,
    )


def _verification(url: str) -> Table:
    note = [
        para("<b>Xác thực kết quả điện tử</b>", "small"),
        para(
            "Văn bản này được ký số bởi cơ quan giải quyết. Quét mã QR hoặc truy cập địa chỉ "
            "dưới đây để kiểm tra văn bản và tải bản điện tử có chữ ký số:",
            "small",
        ),
    ]
    side = layout.WIDTH - QR_SIZE - 6 * mm
    table = Table(
        [[qr.drawing(url, QR_SIZE), note], [para(text(url), "small"), ""]],
        colWidths=[QR_SIZE + 6 * mm, side],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("SPAN", (0, 1), (1, 1)),  # the address across the full width, so it is not cut
            ]
        )
    )
    return table
