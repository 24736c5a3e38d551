import csv
import io

import pytest
from django.urls import reverse

from portal.recognition.models import Category, Recognition
from tests.forms import once
from tests.people.factories import UserFactory
from tests.recognition.factories import recognise, team_with_manager

pytestmark = pytest.mark.django_db


def test_a_manager_recognises_from_the_form(client):
    _team, manager, [member] = team_with_manager()
    client.force_login(manager)
    page = client.get(reverse("recognition:give"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["recipient"].queryset) == [member]
    assert b"200</strong> of 200 points left" in page.content
    response = client.post(
        reverse("recognition:give"),
        once(
            {
                "recipient": member.pk,
                "category": Category.objects.get(name="Customer hero").pk,
                "message": "Answered a customer's question in public, kindly.",
                "points": "25",
            }
        ),
    )
    assert response.status_code == 302
    assert Recognition.objects.get().points == 25


def test_the_form_refuses_outsiders_and_overspending(client):
    _team, manager, [member] = team_with_manager()
    _other, _other_manager, [stranger] = team_with_manager(team_name="Support")
    client.force_login(manager)
    data = once({"category": Category.objects.first().pk, "message": "Well done", "points": "20"})
    outsider = client.post(reverse("recognition:give"), data | {"recipient": stranger.pk})
    assert outsider.status_code == 400  # not among the choices
    over = client.post(reverse("recognition:give"), data | {"recipient": member.pk, "points": 500})
    assert over.status_code == 400
    assert "more than you have left: 200 of 200" in over.content.decode()
    # On the points field, where it can be mended, not above the form.
    form = over.context["form"]
    assert form.errors["points"] == ["That is more than you have left: 200 of 200 this period."]
    assert not form.non_field_errors()
    assert not Recognition.objects.exists()


def test_people_who_manage_no_team_cannot_open_the_form(client, onboarded_user):
    client.force_login(onboarded_user)
    assert client.get(reverse("recognition:give")).status_code == 403


def test_anyone_sends_kudos_but_not_to_themselves(client, onboarded_user):
    colleague = UserFactory(profile__onboarded=True)
    client.force_login(onboarded_user)
    assert client.get(reverse("recognition:thanks")).status_code == 200
    sent = client.post(
        reverse("recognition:thanks"), once({"recipient": colleague.pk, "message": "Thank you!"})
    )
    assert sent.status_code == 302
    to_self = client.post(
        reverse("recognition:thanks"), once({"recipient": onboarded_user.pk, "message": "Me"})
    )
    assert to_self.status_code == 400
    assert Recognition.objects.count() == 1


def test_the_feed_hides_people_who_did_not_consent(client, onboarded_user):
    _team, manager, [shy] = team_with_manager(consent=False, team_name="Hardware Lab")

    recognise(manager, shy, points=10, message="A private thank-you")
    client.force_login(onboarded_user)
    page = client.get(reverse("recognition:feed")).content.decode()
    assert "a colleague in Hardware Lab" in page
    assert "A private thank-you" not in page
    assert shy.profile.name not in page


def exported_rows(client, capture) -> list[list[str]]:
    """Ask for the CSV as the page does, let the worker's task run, download it."""
    from portal.models import Export

    with capture(execute=True):
        assert client.post(reverse("recognition:audit"), once({})).status_code == 302
    export = Export.objects.latest("created_at")
    response = client.get(reverse("export_download", args=[export.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_audit_trail_is_for_the_programme_team_with_a_safe_csv(
    client, programme_admin, onboarded_user, django_capture_on_commit_callbacks
):
    _team, manager, [member] = team_with_manager()

    recognise(manager, member, points=10, message='=HYPERLINK("http://evil")')
    client.force_login(onboarded_user)
    assert client.get(reverse("recognition:audit")).status_code == 403
    client.force_login(programme_admin)
    page = client.get(reverse("recognition:audit"), {"q": member.email})
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 1
    rows = exported_rows(client, django_capture_on_commit_callbacks)
    assert rows[0][:4] == ["when", "kind", "giver", "recipient"]
    assert rows[1][2:4] == [manager.email, member.email]
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][-2].startswith("Manager budget of ")


def test_every_text_cell_of_the_audit_csv_that_a_spreadsheet_would_run_is_quoted(
    client, programme_admin, django_capture_on_commit_callbacks
):
    _team, manager, [member] = team_with_manager(team_name="=cmd|' /C calc'!A0")
    member.email = "+1+2@example.com"
    member.save()
    recognise(manager, member, points=10, message="@SUM(1,1)")
    client.force_login(programme_admin)
    rows = exported_rows(client, django_capture_on_commit_callbacks)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["recipient"] == "'+1+2@example.com"
    assert row["team"] == "'=cmd|' /C calc'!A0"
    assert row["message"] == "'@SUM(1,1)"
    assert row["points"] == "10"
