"""Badge artwork with Pillow: checking uploads, normalising them, generating defaults.

An upload must really be a PNG, JPEG or WebP (decided by decoding it, not by its name),
within a byte size and a pixel count that rule out decompression bombs; it becomes a
square PNG. A badge without artwork gets one drawn from its tier and initials.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw, ImageFont, ImageOps

SIZE = 512
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 5,000 x 5,000
ACCEPTED = {"PNG", "JPEG", "WEBP"}

TIERS = {
    # tier: (fill, ring, text)
    "bronze": ("#8c4f1c", "#5e3211", "#ffffff"),
    "silver": ("#5b6570", "#39414a", "#ffffff"),
    "gold": ("#8a6a00", "#5c4600", "#ffffff"),
}


def artwork_normalise(data: bytes) -> bytes:
    """Check an uploaded image and return it as a square ``SIZE`` PNG, or raise."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The image is {len(data) / 1_048_576:.1f} MB; upload one under "
            f"{MAX_BYTES // 1_048_576} MB."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                probe.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError("The image has too many pixels to be safe to open.") from error
        except Exception as error:  # Pillow raises many kinds of error for bad files
            raise ValidationError(
                "This file is not an image we can read; upload a PNG, JPEG or WebP."
            ) from error
    if kind not in ACCEPTED:
        raise ValidationError(f"{kind} images are not accepted; upload a PNG, JPEG or WebP.")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"The image is {width} x {height} pixels; keep it under {MAX_PIXELS:,} pixels."
        )
    if min(width, height) < 64:
        raise ValidationError(f"The image is {width} x {height} pixels; use at least 64 x 64.")
    with Image.open(io.BytesIO(data)) as original:
        upright = ImageOps.exif_transpose(original).convert("RGBA")
        square = ImageOps.fit(upright, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    return _png(square)


def artwork_generate(*, name: str, tier: str) -> bytes:
    """A default badge: the tier's colour and shape with the badge's initials."""
    fill, ring, ink = TIERS.get(tier, TIERS["bronze"])
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = 24
    if tier == "gold":  # a star-like twelve-point seal
        draw.regular_polygon((SIZE / 2, SIZE / 2, SIZE / 2 - margin), 12, fill=ring)
        draw.ellipse((margin + 28, margin + 28, SIZE - margin - 28, SIZE - margin - 28), fill=fill)
    elif tier == "silver":  # a hexagon
        draw.regular_polygon((SIZE / 2, SIZE / 2, SIZE / 2 - margin), 6, fill=ring, rotation=30)
        draw.regular_polygon((SIZE / 2, SIZE / 2, SIZE / 2 - margin - 22), 6, fill=fill,
                             rotation=30)  # fmt: skip
    else:  # a circle
        draw.ellipse((margin, margin, SIZE - margin, SIZE - margin), fill=ring)
        draw.ellipse((margin + 22, margin + 22, SIZE - margin - 22, SIZE - margin - 22), fill=fill)
    initials = "".join(word[0] for word in name.split() if word[:1].isalnum())[:3].upper() or "?"
    font = ImageFont.load_default(size=180 if len(initials) < 3 else 140)
    draw.text((SIZE / 2, SIZE / 2 + 6), initials, fill=ink, font=font, anchor="mm")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
