"""The QR code of a survey's public link, as SVG (it scales to any poster; PNG would need
a Cairo backend reportlab does not have here), drawn with reportlab's QR widget
as the signed result's QR is (opendvc/dossiers/pdf/result.py)."""

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

SIZE = 240  # points; a printed poster scales the SVG


def _drawing(url: str, size: float = SIZE) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def qr_svg(url: str) -> bytes:
    return renderSVG.drawToString(_drawing(url)).encode("utf-8")
