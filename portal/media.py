"""Uploaded files, served only as far as Wagtail's collection privacy allows.

``/media/`` holds image originals and renditions, documents, and badge artwork. An image
(or any of its renditions) is served only when its collection's view restrictions accept
the request: Wagtail's own check for documents (``check_view_restrictions``: sign in,
a group, or the collection's password). Documents are never served from here: their
address is ``/documents/<id>/<name>``, where Wagtail checks the same restrictions. Badge
artwork is public (verifiers of an Open Badge fetch it). Anything else is a 404.

At scale a reverse proxy may serve the public part itself (badge artwork, and images in
unrestricted collections through ``X-Accel-Redirect``); this view stays the authority.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.documents.wagtail_hooks import check_view_restrictions
from wagtail.images import get_image_model

PUBLIC = ("badges/",)
IMAGES = ("original_images/", "images/")


def media(request, path: str):
    path = posixpath.normpath(path).lstrip("/")
    if "\x00" in path or path.startswith(".."):
        raise Http404("No such file.")
    if path.startswith(IMAGES):
        image = _image_for(path)
        if image is None:
            raise Http404("No such image.")
        refused = check_view_restrictions(image, request)
        if refused is not None:
            return refused
        response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
        restricted = bool(image.collection.get_view_restrictions())
        response["Cache-Control"] = "private, no-store" if restricted else "public, max-age=3600"
        return response
    if path.startswith(PUBLIC):
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))
    raise Http404("No such file.")


def _image_for(path: str):
    Image = get_image_model()
    if path.startswith("original_images/"):
        return Image.objects.select_related("collection").filter(file=path).first()
    Rendition = Image.get_rendition_model()
    rendition = Rendition.objects.select_related("image__collection").filter(file=path).first()
    return rendition.image if rendition else None
