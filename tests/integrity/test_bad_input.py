"""Crafted requests that used to end in a 500 now get a clear answer and change nothing."""

import pytest
from channels.testing import WebsocketCommunicator

from badges.models import BadgeAward
from badges.services import badge_award
from portal.asgi import application
from tests.badges.factories import BadgeFactory
from tests.courses.factories import workshop
from tests.forms import once
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"  # 20 digits: past any database integer


@pytest.mark.parametrize(
    "url",
    [
        f"/mentoring/mentees/{TOO_BIG}/",
        f"/mentoring/mentees/{TOO_BIG}.json",
        f"/mentoring/goals/{TOO_BIG}/done/",
        f"/mentoring/pairings/{TOO_BIG}/end/",
        f"/hub/items/{TOO_BIG}/share/",
        f"/admin/privacy/erasure/{TOO_BIG}/decline/",
        f"/admin/courses/workshops/{TOO_BIG}/facilitators/",
    ],
)
def test_ids_past_64_bits_are_no_such_page(client, programme_admin, url):
    client.force_login(programme_admin)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("award_id", ["not-a-uuid", "1' OR '1'='1", TOO_BIG])
def test_assertion_ids_that_are_not_uuids_are_404_on_every_action(
    client, programme_admin, award_id
):
    client.force_login(programme_admin)
    base = f"/badges/assertions/{award_id}"
    assert client.post(f"{base}/revoke/", {"reason": "r"}).status_code == 404
    assert client.post(f"{base}/visibility/", {"visibility": "public"}).status_code == 404


def test_a_revocation_reason_with_a_nul_byte_is_refused_and_revokes_nothing(
    client, programme_admin
):
    award = badge_award(badge=BadgeFactory(), user=UserFactory(), automatic=True)
    client.force_login(programme_admin)
    response = client.post(f"/badges/assertions/{award.pk}/revoke/", {"reason": "bad\x00"})
    assert response.status_code == 302
    assert not BadgeAward.objects.get(pk=award.pk).revoked
    page = client.get(response["Location"]).content.decode()
    assert "Give a reason for the revocation" in page


@pytest.mark.parametrize("remove", ["abc", "-1", TOO_BIG, "1.5", "\x00"])
def test_removing_a_facilitator_by_a_bad_id_changes_nothing(client, programme_admin, remove):
    page = workshop()
    client.force_login(programme_admin)
    url = f"/admin/courses/workshops/{page.pk}/facilitators/"
    response = client.post(url, {"remove": remove})
    assert response.status_code == 302
    assert "not one of this workshop" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/ws/nothing-here/", "/", "/ws/workshops/abc/wall/"])
async def test_a_websocket_path_without_a_route_is_refused_at_the_handshake(path):
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")]
    )
    connected, _ = await communicator.connect()
    assert connected is False
    await communicator.disconnect()


# --- NUL bytes in posted text (PostgreSQL refuses them in text columns) ----------------

NUL = "text with a \x00 NUL byte"


@pytest.fixture
def learner(client, onboarded_user):
    client.force_login(onboarded_user)
    return onboarded_user


def test_nul_bytes_in_training_posts_are_refused_and_store_nothing(client, learner):
    from courses.models import CourseFeedback, Reflection, WorkshopAnswer
    from tests.courses.factories import block, course_with_lessons

    reflection = block("reflection", {"prompt": "What will you share?", "guidance": "Private."})
    course, [lesson] = course_with_lessons(lessons=[[reflection]])
    response = client.post(f"{lesson.url}reflection/{reflection['id']}/", {"text": NUL})
    assert response.status_code == 400
    assert not Reflection.objects.exists()

    response = client.post(f"{course.url}feedback/", {"rating": "4", "comment": NUL})
    assert response.status_code in (400, 403)
    response = client.post(f"{course.url}feedback/", {"rating": "9" * 30, "comment": "ok"})
    assert response.status_code in (400, 403)
    assert not CourseFeedback.objects.exists()

    page = workshop()
    prompt_id = next(iter(page.prompts()))
    for posted in (
        {"prompt": prompt_id, "text": NUL},
        {"prompt": prompt_id + "\x00", "text": "fine"},
        {"prompt": prompt_id, "text": "fine", "options": [NUL]},
    ):
        assert client.post(f"{page.url}answer/", once(posted)).status_code == 400
    assert client.post(f"{page.url}answer/", {"prompt": prompt_id, "text": "ok"}).status_code == 400
    forged = {"prompt": prompt_id, "text": "ok", "submission": "not-a-token\x00"}
    assert client.post(f"{page.url}answer/", forged).status_code == 400
    assert not WorkshopAnswer.objects.exists()


def test_a_nul_byte_in_the_purpose_statement_is_refused(client, programme_admin):
    from courses.models import PurposeStatement

    page = workshop()
    client.force_login(programme_admin)
    for posted in ({"statement": NUL, "objectives": ""}, {"statement": "ok", "objectives": NUL}):
        response = client.post(f"{page.url}wall/purpose/", {**posted, "action": "publish"})
        assert response.status_code == 400
    assert not PurposeStatement.objects.exists()


@pytest.mark.parametrize("action", ["end", "change"])
def test_a_nul_byte_in_a_pairing_reason_is_refused_and_the_pairing_stays(client, action):
    from django.urls import reverse

    from portal.mentoring.models import Pairing
    from tests.mentoring.factories import paired

    pairing = paired()
    client.force_login(pairing.mentee)
    response = client.post(reverse("mentoring:act", args=[pairing.pk, action]), {"reason": NUL})
    assert response.status_code == 400
    assert Pairing.objects.get(pk=pairing.pk).status == Pairing.Status.ACTIVE


def test_a_nul_byte_in_the_audit_search_is_a_400(client, programme_admin):
    from django.urls import reverse

    client.force_login(programme_admin)
    assert client.get(reverse("recognition:audit"), {"q": NUL}).status_code == 400
    assert client.get(reverse("recognition:audit"), {"kind": NUL}).status_code == 400
    assert client.get(reverse("recognition:audit"), {"q": "fine"}).status_code == 200


@pytest.mark.parametrize("field", ["code", "id", "label"])
def test_a_nul_byte_in_a_conversion_report_is_a_400(client, onboarded_user, field):
    from portal.sharing.models import Conversion
    from tests.sharing.test_views import report, share

    made = share(user=onboarded_user)
    body = {"code": made.code, "id": "signup-1", "label": "Newsletter"}
    body[field] = NUL
    assert report(client, body).status_code == 400
    assert not Conversion.objects.exists()


# --- image uploads in the Wagtail admin ------------------------------------------------


def _png(size, mode="RGB") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, 1).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("truncated.png", _png((300, 200))[:400], "damaged or incomplete"),
        ("junk.gif", b"GIF89a" + b"\x00junk" * 50, "damaged or incomplete"),
        ("huge.png", _png((5000, 4000), mode="1"), "too many pixels"),
    ],
)
def test_damaged_or_oversized_images_are_refused_with_a_message(
    client, programme_admin, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images.models import Image

    client.force_login(programme_admin)
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, data)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert message in response.json()["error_message"]
    single = client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, data), "collection": 1},
    )
    assert single.status_code == 200  # the form again, with the message
    assert message in single.content.decode()
    assert not Image.objects.exists()
    fine = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("fine.png", _png((300, 200)))},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert fine.json()["success"] is True


# --- people who have not finished onboarding --------------------------------------------


def test_before_onboarding_nothing_but_the_onboarding_form_can_be_posted(client, user):
    from django.urls import reverse

    from portal.recognition.models import Recognition
    from tests.forms import once

    colleague = UserFactory(profile__onboarded=True)
    client.force_login(user)
    for url, data in [
        (reverse("recognition:thanks"), once({"recipient": colleague.pk, "message": "Hi"})),
        ("/me/profile/", {"display_name": "Early"}),
        ("/hub/items/1/share/", {}),
    ]:
        assert client.post(url, data).status_code == 403
    assert not Recognition.objects.exists()
    assert client.get("/me/")["Location"].startswith("/onboarding/")
    assert client.get("/me/privacy/").status_code == 200  # data rights hold before it
    assert client.post("/accounts/logout/").status_code == 302
