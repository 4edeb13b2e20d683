"""QR images of voucher codes: drawn for customers, read back from merchants' photos."""

import io

import qrcode
import zxingcpp
from PIL import Image, UnidentifiedImageError


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def read_qr(data: bytes) -> str | None:
    """The text of the first QR code in an image, or None when there is none to read."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return None
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found[0].text if found else None
