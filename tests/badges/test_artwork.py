import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from badges.artwork import SIZE, artwork_generate, artwork_normalise


def image_bytes(fmt="PNG", size=(300, 200), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_uploads_become_square_pngs(fmt):
    png = artwork_normalise(image_bytes(fmt))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (SIZE, SIZE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "not an image we can read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image we can read"),
        (image_bytes("GIF"), "GIF images are not accepted"),
        (image_bytes("PNG", size=(20, 20)), "use at least 64 x 64"),
        (image_bytes("PNG")[:60], "not an image we can read"),
    ],
)
def test_bad_uploads_are_refused_with_reasons(data, message):
    with pytest.raises(ValidationError, match=message):
        artwork_normalise(data)


def test_a_decompression_bomb_is_refused(monkeypatch):
    # A small file that claims many pixels: Pillow's bomb check fires before decoding.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="too many pixels"):
        artwork_normalise(image_bytes("PNG", size=(400, 400)))


def test_too_large_files_are_refused():
    with pytest.raises(ValidationError, match="under 5 MB"):
        artwork_normalise(b"x" * (5 * 1024 * 1024 + 1))


@pytest.mark.parametrize("tier", ["bronze", "silver", "gold"])
def test_generated_artwork(tier):
    png = artwork_generate(name="Great Storyteller", tier=tier)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (SIZE, SIZE)
        assert image.getpixel((SIZE // 2, 40))[3] == 255  # the shape is drawn, not empty
