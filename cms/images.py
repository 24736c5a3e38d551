"""Image uploads that cannot break a page: a damaged file (a truncated PNG, a GIF that is
only a header) is refused with a message instead of failing later in the listing or a
rendition, and images past ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` are refused by Wagtail's
own check (the cap keeps a worker's memory for resizing bounded)."""

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

DAMAGED = "This image file is damaged or incomplete; export it again and upload it."


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as error:  # the library could not read the image at all
            raise ValidationError(DAMAGED, code="invalid_image") from error

    def to_python(self, data):
        f = super().to_python(data)
        if f is None or f.image.format_name == "svg":
            return f
        source = data if hasattr(data, "temporary_file_path") else f
        try:
            source.seek(0)
            with PILImage.open(source) as image:
                image.verify()  # reads every chunk and checksum, without decoding pixels
        except Exception as error:
            raise ValidationError(DAMAGED, code="invalid_image") from error
        finally:
            source.seek(0)
        return f


class ImageForm(BaseImageForm):
    file = CheckedImageField(label=capfirst("file"))
