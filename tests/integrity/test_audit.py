"""The audit log (Wagtail's log entries): sign-ins and failed sign-ins, imports, pairings
set by hand, points adjustments, erasures and setting changes are on record with who
and when, visible to programme admins in Reports → Site history, without addresses."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.activity.services import points_adjust
from portal.mentoring import services as mentoring
from portal.privacy.retention import retention_apply
from tests.conftest import PASSWORD
from tests.mentoring.factories import mentee, mentor
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
SITE_HISTORY = "/admin/reports/site-history/"


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action).order_by("timestamp"))


def test_sign_ins_and_failed_sign_ins_are_logged_without_an_address(client, programme_admin):
    person = UserFactory(password=PASSWORD, profile__onboarded=True)
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    visitor.post("/accounts/login/", {"username": person.email, "password": "wrong"})
    visitor.post("/accounts/login/", {"username": "nobody@example.com", "password": "x"})
    visitor.post("/accounts/login/", {"username": person.email, "password": PASSWORD})

    [failed] = entries("people.sign_in_failed")
    assert failed.object_id == str(person.pk)
    assert failed.user_id is None
    [signed_in] = entries("people.sign_in")
    assert (signed_in.object_id, signed_in.user_id) == (str(person.pk), person.pk)
    for entry in ModelLogEntry.objects.all():
        assert "203.0.113" not in str(entry.data)

    client.force_login(programme_admin)
    history = client.get(SITE_HISTORY).content.decode()
    assert "Failed sign-in" in history
    assert "Signed in" in history


def test_imports_pairings_and_points_adjustments_name_who_did_them(client, programme_admin):
    client.force_login(programme_admin)
    upload = SimpleUploadedFile(
        "people.csv", b"email,first_name,last_name\nnew1@example.com,Ada,One\n", "text/csv"
    )
    answer = client.post("/admin/people/import/", {"file": upload})
    assert answer.status_code == 200
    assert answer.context["report"].created == 1
    [imported] = entries("people.import")
    assert imported.user_id == programme_admin.pk
    assert imported.data == {"file": "people.csv", "created": 1, "updated": 0, "invited": 0}

    guide, learner = mentor(), mentee()
    mentoring.pairings_apply(pairs=[(learner.pk, guide.pk)], by=programme_admin)
    [pair] = entries("mentoring.pair")
    assert pair.user_id == programme_admin.pk
    assert pair.data == {"override": None, "mentor": guide.pk, "mentee": learner.pk}

    points_adjust(user=learner, points=-20, reason="Duplicate share", by=programme_admin)
    [adjusted] = entries("activity.points_adjust")
    assert adjusted.object_id == str(learner.pk)
    assert adjusted.data == {"points": -20, "reason": "Duplicate share"}

    history = client.get(SITE_HISTORY).content.decode()
    for label in ("People imported", "Mentor and mentee paired", "Points adjusted"):
        assert label in history


def test_the_pairing_screen_marks_an_override_of_the_proposal(client, programme_admin):
    small = mentor(capacity=1)
    proposed, chosen = mentee(), mentee()  # the proposal pairs the first; the admin the second
    client.force_login(programme_admin)
    page = client.get("/mentoring/pairing/")
    assert {p.mentee.user_id for p in page.context["proposals"]} == {proposed.pk}
    client.post("/mentoring/pairing/", {f"mentee-{chosen.pk}": small.pk})
    [pair] = entries("mentoring.pair")
    assert pair.data == {"override": True, "mentor": small.pk, "mentee": chosen.pk}
    assert "Mentor and mentee paired" in client.get(SITE_HISTORY).content.decode()


def test_an_erasure_leaves_one_entry_without_the_person(client, programme_admin):
    person = UserFactory(email="gone@example.com", profile__onboarded=True)
    person_id = person.pk
    client.force_login(programme_admin)
    client.post("/admin/privacy/erasure/erase/", {"email": person.email, "confirm": person.email})
    [erased] = entries("people.erase")
    assert erased.label == f"Erased person #{person_id}"
    assert erased.user_id == programme_admin.pk
    assert "gone@" not in str(erased.data) + erased.label


def test_setting_changes_are_logged_by_wagtail(client, programme_admin):
    client.force_login(programme_admin)
    url = "/admin/settings/cms/brandingsettings/"
    page = client.get(url, follow=True)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
    }
    data["programme_name"] = "Voices of Example"
    answer = client.post(page.request["PATH_INFO"], data)
    assert answer.status_code == 302
    [edit] = entries("wagtail.edit")
    assert edit.user_id == programme_admin.pk
    assert "Site history" in client.get(SITE_HISTORY).content.decode()


def test_sign_in_entries_go_after_the_security_log_period(settings):
    person = UserFactory(password=PASSWORD)
    Client().post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    points_adjust(user=person, points=5, reason="Kept", by=None)
    ModelLogEntry.objects.update(timestamp=timezone.now() - timedelta(days=91))
    report = retention_apply()
    assert report.removed["sign-in entries of the audit log"] == 1
    assert entries("activity.points_adjust")  # the rest of the audit log stays
