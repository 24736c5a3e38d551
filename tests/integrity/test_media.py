"""/media/ serves what Wagtail's collection privacy allows, and nothing else."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

from tests.badges.factories import BadgeFactory

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 80), (30, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def image_in(collection, title="photo") -> Image:
    return Image.objects.create(
        title=title, collection=collection, file=ImageFile(io.BytesIO(png()), name=f"{title}.png")
    )


def restricted(name, **restriction) -> Collection:
    collection = Collection.get_first_root_node().add_child(name=name)
    CollectionViewRestriction.objects.create(collection=collection, **restriction)
    return collection


def test_an_image_in_a_signed_in_collection_needs_a_sign_in(client, onboarded_user):
    image = image_in(restricted("Staff only", restriction_type="login"))
    rendition = image.get_rendition("width-60")
    for url in (image.file.url, rendition.url):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/login/" in answer["Location"]
    client.force_login(onboarded_user)
    for url in (image.file.url, rendition.url):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer["Cache-Control"] == "private, no-store"
        assert b"".join(answer.streaming_content).startswith(b"\x89PNG")


def test_a_password_collection_asks_for_its_password(client, onboarded_user):
    image = image_in(restricted("Launch", restriction_type="password", password="s3cret"))
    client.force_login(onboarded_user)
    answer = client.get(image.file.url)
    assert answer.status_code == 200
    assert b"password" in answer.content.lower()
    assert not answer.content.startswith(b"\x89PNG")


def test_public_images_and_badge_artwork_are_public(client):
    image = image_in(Collection.get_first_root_node(), title="hub")
    answer = client.get(image.file.url)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "public, max-age=3600"
    badge = BadgeFactory()
    badge.artwork.save("badge.png", ContentFile(png()))
    assert client.get(badge.artwork.url).status_code == 200


def test_documents_unknown_files_and_tricks_are_not_served(client, programme_admin):
    document = Document.objects.create(
        title="Handbook",
        collection=restricted("HR", restriction_type="login"),
        file=ContentFile(b"%PDF-1.4 secret", name="handbook.pdf"),
    )
    assert client.get(document.file.url).status_code == 404  # only via /documents/<id>/
    assert client.get(document.url).status_code == 302  # Wagtail asks for a sign-in there
    client.force_login(programme_admin)
    assert client.get(document.file.url).status_code == 404
    for path in (
        "/media/images/nothing.png",
        "/media/original_images/nothing.png",
        "/media/../portal/settings.py",
        "/media/badges/../../portal/settings.py",
        "/media/%00.png",
        "/media/other/file.txt",
    ):
        assert client.get(path).status_code == 404, path
