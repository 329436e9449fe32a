"""QR codes drawn with reportlab's widget: inside a PDF (the signed result's link to its
verification page) or as SVG (a survey's or a campaign's link, which scales to any poster;
PNG would need a Cairo backend that reportlab does not ship)."""

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def drawing(url: str, size: float) -> Drawing:
    """A `size` × `size` point drawing of the QR code of `url` (error correction M)."""
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    scaled = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    scaled.add(widget)
    return scaled


def svg(url: str, size: float = 240) -> bytes:
    return renderSVG.drawToString(drawing(url, size)).encode("utf-8")
