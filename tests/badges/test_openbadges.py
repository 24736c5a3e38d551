"""The hosted Open Badges 2.0 objects, the baked PNG, revocation, and the public pages."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from badges import services
from badges.models import BadgeAward
from badges.openbadges import unbake
from tests.badges.factories import badge
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture
def award(programme_admin):
    earner = UserFactory(
        email="earner@example.com", first_name="Ada", last_name="Lovelace", profile__onboarded=True
    )
    earner.profile.consent_badge_evidence = True  # the note may be published as evidence
    earner.profile.save()
    return services.badge_award(
        badge=badge("manual"),
        user=earner,
        by=programme_admin,
        evidence_url="https://example.com/post/1",
        note="Explained heat pumps to 2,000 people.",
    )


def test_issuer_badge_class_and_assertion_are_linked_json_ld(client, award):
    response = client.get("/badges/issuer.json")
    assert response["Content-Type"] == "application/ld+json"
    issuer = response.json()
    assert issuer["type"] == "Issuer"
    assert issuer["id"] == f"{SITE}/badges/issuer.json"

    data = client.get(f"/badges/assertions/{award.pk}.json").json()
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion"
    assert data["id"] == f"{SITE}/badges/assertions/{award.pk}.json"
    assert data["verification"] == {"type": "hosted"}
    recipient = data["recipient"]
    expected = hashlib.sha256(("earner@example.com" + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": recipient["salt"],
        "identity": f"sha256${expected}",
    }
    assert "earner@example.com" not in str(data)
    assert data["evidence"] == [
        {"id": "https://example.com/post/1", "narrative": "Explained heat pumps to 2,000 people."}
    ]

    badge_class = client.get(data["badge"].removeprefix(SITE)).json()
    assert badge_class["type"] == "BadgeClass"
    assert badge_class["issuer"] == issuer["id"]
    assert badge_class["criteria"]["narrative"] == award.badge.criteria_text
    image = client.get(badge_class["image"].removeprefix(SITE))
    assert image["Content-Type"] == "image/png"


def test_the_baked_png_round_trips(client, award):
    response = client.get(f"/badges/assertions/{award.pk}.png")
    assert response["Content-Type"] == "image/png"
    baked = unbake(response.content)
    hosted = client.get(f"/badges/assertions/{award.pk}.json").json()
    assert baked == hosted


def test_a_revoked_assertion_answers_410(client, award, programme_admin):
    services.badge_revoke(award_id=award.pk, reason="Given by mistake", by=programme_admin)
    for suffix in (".json", ".png"):
        response = client.get(f"/badges/assertions/{award.pk}{suffix}")
        assert response.status_code == 410
        assert response.json()["revoked"] is True
        assert response.json()["revocationReason"] == "Given by mistake"
    assert client.get(f"/badges/assertions/{award.pk}/").status_code == 410


def test_unknown_or_malformed_ids_are_404(client):
    assert client.get("/badges/assertions/not-a-uuid.json").status_code == 404
    assert (
        client.get("/badges/assertions/2f1e0a3c-8c86-4d4e-9f53-1a4c2b9f0c11.json").status_code
        == 404
    )
    assert client.get("/badges/no-such-badge.json").status_code == 404


def test_the_public_page_shows_alias_linkedin_and_can_be_hidden(client, award):
    profile = award.user.profile
    profile.alias = "Heat Whisperer"
    profile.leaderboard_visibility = "alias"
    profile.save()
    page = client.get(f"/badges/assertions/{award.pk}/").content.decode()
    assert "Heat Whisperer" in page
    assert "Lovelace" not in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert f"certId={award.pk}" in page

    client.force_login(award.user)
    client.post(f"/badges/assertions/{award.pk}/visibility/", {"visibility": "private"})
    assert client.get(f"/badges/assertions/{award.pk}/").status_code == 200  # the earner
    client.logout()
    assert client.get(f"/badges/assertions/{award.pk}/").status_code == 404
    # Verification keeps working: the hosted assertion does not name anyone.
    assert client.get(f"/badges/assertions/{award.pk}.json").status_code == 200
    other = UserFactory(profile__onboarded=True)
    client.force_login(other)
    assert (
        client.post(
            f"/badges/assertions/{award.pk}/visibility/", {"visibility": "default"}
        ).status_code
        == 404
    )


def test_my_badges_shows_progress_and_the_gallery_counts_holders(client, award):
    badge("quality_shares", count=5)
    client.force_login(award.user)
    page = client.get("/me/badges/").content.decode()
    assert "0 of 5 quality shares" in page
    assert award.badge.name in page
    assert "week" in page
    gallery = client.get("/badges/").content.decode()
    assert "fewer than 5 holders" in gallery  # no figure about fewer than 5 people


def test_the_award_form(client, programme_admin):
    kudos = badge("manual")
    person = UserFactory(email="someone@example.com", profile__onboarded=True)
    client.force_login(programme_admin)
    url = f"/badges/{kudos.slug}/award/"
    response = client.post(url, {"recipient": "nobody@example.com"})
    assert response.status_code == 400
    assert "No one in the portal has the email" in response.content.decode()
    response = client.post(
        url, {"recipient": "someone@example.com", "evidence_url": "javascript:x"}
    )
    assert response.status_code == 400
    response = client.post(url, {"recipient": "someone@example.com", "note": "Well done"})
    assert response.status_code == 302
    response = client.post(url, {"recipient": "someone@example.com"})
    assert response.status_code == 409
    assert "already has the badge" in response.content.decode()
    client.force_login(person)
    response = client.post(url, {"recipient": programme_admin.email})
    assert response.status_code == 403


def test_award_and_revoke_commands(capsys, user):
    kudos = badge("manual")
    call_command("award_badge", kudos.slug, user.email.upper(), "--evidence", "https://e.com/x")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    award = BadgeAward.objects.get()
    assert last_line == f"{SITE}/badges/assertions/{award.pk}.json"
    assert award.evidence_url == "https://e.com/x"
    with pytest.raises(CommandError, match="already has"):
        call_command("award_badge", kudos.slug, user.email)
    with pytest.raises(CommandError, match="no badge"):
        call_command("award_badge", "nope", user.email)
    with pytest.raises(CommandError, match="No one"):
        call_command("award_badge", kudos.slug, "ghost@example.com")
    with pytest.raises(CommandError, match="not an assertion id"):
        call_command("revoke_badge", "123", "--reason", "x")
    call_command("revoke_badge", str(award.pk), "--reason", "Duplicate")
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_badge", str(award.pk), "--reason", "Duplicate")


def _badge_form(**overrides):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    return nested_form_data(
        {
            "name": "Century",
            "slug": "century",
            "description": "A hundred points.",
            "criteria_text": "Reach 100 points.",
            "tier": "silver",
            "criteria": streamfield([("points", {"count": "100"})]),
            "active": "on",
            **overrides,
        }
    )


def test_admins_create_badges_with_checked_artwork(client, programme_admin):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from badges.models import Badge

    client.force_login(programme_admin)
    url = "/admin/snippets/badges/badge/add/"
    fake = SimpleUploadedFile("art.png", b"not an image", content_type="image/png")
    response = client.post(url, {**_badge_form(), "artwork": fake})
    assert response.status_code == 200
    assert "This file is not an image we can read" in response.content.decode()
    assert not Badge.objects.exists()

    out = io.BytesIO()
    Image.new("RGB", (300, 120), "red").save(out, format="JPEG")
    photo = SimpleUploadedFile("art.jpg", out.getvalue(), content_type="image/jpeg")
    response = client.post(url, {**_badge_form(), "artwork": photo})
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Badge.objects.get(slug="century")
    assert created.kind()[0].id == "points"
    assert created.artwork.name.endswith(".png")
    with created.artwork.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("PNG", (512, 512))
