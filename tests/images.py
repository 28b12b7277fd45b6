"""Pictures for the photo tests, made in code: good photos, and each kind of bad one."""

from __future__ import annotations

import io
import os
import struct
import zlib

from PIL import Image

RED, BLUE = (220, 20, 20), (20, 40, 220)


def jpeg(width: int = 900, height: int = 1200, colour=(200, 170, 150), **save) -> bytes:
    """A plain JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def png(width: int = 600, height: int = 800, mode: str = "RGB", colour=(180, 200, 220)) -> bytes:
    """A plain PNG."""
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def pdf_named_jpg() -> bytes:
    """A small but real PDF document (what a file called photo.jpg may really be)."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def huge_png(megabytes: int = 50) -> bytes:
    """A real PNG of ``megabytes`` MB: random pixels do not compress."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 8
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def decompression_bomb(side: int = 30000) -> bytes:
    """A valid black-and-white PNG of ``side`` × ``side`` pixels (900 million by default) that
    weighs about a hundred kilobytes: every row is zeros, which compress almost to nothing."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + one bit per pixel
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(packer.compress(row * (side % 1000)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def rotated_exif_jpeg() -> bytes:
    """A photo the camera stored sideways (1200 × 900) with EXIF orientation 6 ("turn 90° right
    to view"), carrying GPS and camera tags: upright it is 900 × 1200, red above, blue below."""
    stored = Image.new("RGB", (1200, 900), BLUE)
    stored.paste(Image.new("RGB", (600, 900), RED), (0, 0))  # the left half ends up on top
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 30.0)}  # GPS
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()
