import pytest
from django.urls import reverse

from portal.mentoring.models import CheckIn, Pairing
from tests.forms import once
from tests.mentoring.factories import mentee, mentor, paired

pytestmark = pytest.mark.django_db


def test_the_mentor_sees_their_mentee_and_nobody_elses(client):
    mine, theirs = paired(), paired()
    client.force_login(mine.mentor)
    dashboard = client.get(reverse("mentoring:dashboard"))
    assert [row["id"] for row in dashboard.context["rows"]] == [mine.mentee_id]
    assert client.get(reverse("mentoring:mentee", args=[mine.mentee_id])).status_code == 200
    page = client.get(reverse("mentoring:mentee", args=[theirs.mentee_id]))
    assert page.status_code == 403
    assert b"You are not this person" in page.content
    as_json = client.get(reverse("mentoring:mentee_json", args=[theirs.mentee_id]))
    assert as_json.status_code == 403
    assert client.get(reverse("mentoring:mentee_json", args=[mine.mentee_id])).json()["id"] == (
        mine.mentee_id
    )


def test_a_second_nudge_the_same_day_says_it_was_sent_not_an_error(client):
    pairing = paired()
    client.force_login(pairing.mentor)
    page_url = reverse("mentoring:mentee", args=[pairing.mentee_id])
    nudge = reverse("mentoring:act", args=[pairing.pk, "nudge"])
    assert b"Send a friendly nudge" in client.get(page_url).content
    first = client.post(nudge, {"back": page_url}, follow=True)
    assert first.status_code == 200
    assert b"Nudge sent." in first.content
    assert b"Nudge sent today" in first.content  # the button says so now
    assert b"Send a friendly nudge" not in first.content
    again = client.post(nudge, {"back": page_url}, follow=True)  # another tab, say
    assert again.status_code == 200
    assert b"You nudged them today already" in again.content


def test_ending_a_pairing_removes_page_access_at_once(client):
    pairing = paired()
    client.force_login(pairing.mentor)
    url = reverse("mentoring:mentee", args=[pairing.mentee_id])
    assert client.get(url).status_code == 200
    ended = client.post(reverse("mentoring:act", args=[pairing.pk, "end"]))
    assert ended.status_code == 302
    assert client.get(url).status_code == 403
    assert client.get(reverse("mentoring:mentee_json", args=[pairing.mentee_id])).status_code == 403


def test_strangers_cannot_act_on_a_pairing(client):
    pairing = paired()
    stranger = mentor()
    client.force_login(stranger)
    response = client.post(
        reverse("mentoring:act", args=[pairing.pk, "checkin"]), once({"note": "Snooping"})
    )
    assert response.status_code == 404
    assert not CheckIn.objects.exists()
    assert client.get(reverse("mentoring:act", args=[pairing.pk, "checkin"])).status_code == 405


def test_mentor_and_mentee_keep_checkins_and_goals(client):
    pairing = paired()
    client.force_login(pairing.mentee)
    back = {"back": "/mentoring/me/"}
    client.post(
        reverse("mentoring:act", args=[pairing.pk, "checkin"]), once({"note": "Hi!"}) | back
    )
    client.post(
        reverse("mentoring:act", args=[pairing.pk, "goal"]), once({"title": "Post once"}) | back
    )
    bad = client.post(
        reverse("mentoring:act", args=[pairing.pk, "goal"]),
        once({"title": "x", "due_date": "nope"}),
    )
    assert bad.status_code == 400
    page = client.get(reverse("mentoring:mine"))
    assert b"Post once" in page.content
    assert b"Hi!" in page.content
    assert page.context["pairing"] == pairing


def test_the_pairing_screen_applies_overrides_and_refuses_broken_capacity(client, programme_admin):
    small = mentor(capacity=1)
    first, second = mentee(), mentee()
    client.force_login(programme_admin)
    page = client.get(reverse("mentoring:pairing_admin"))
    assert page.status_code == 200
    assert {p.mentee.user_id for p in page.context["proposals"]} == {first.pk}
    # Everyone who needs a mentor is listed, the one the proposal left out too, with the
    # mentors who could take them and their fit.
    rows = {row.mentee.user_id: row for row in page.context["rows"]}
    assert {first.pk, second.pk} <= set(rows)
    assert rows[second.pk].proposal is None
    assert [option.mentor.user_id for option in rows[second.pk].options] == [small.pk]
    assert f'name="mentee-{second.pk}"' in page.content.decode()
    assert "not proposed" in page.content.decode()
    over = client.post(
        reverse("mentoring:pairing_admin"),
        {f"mentee-{first.pk}": small.pk, f"mentee-{second.pk}": small.pk},
    )
    assert over.status_code == 409
    assert not Pairing.objects.exists()
    done = client.post(reverse("mentoring:pairing_admin"), {f"mentee-{second.pk}": small.pk})
    assert done.status_code == 302
    assert Pairing.objects.get().mentee == second


def test_only_the_programme_team_pairs(client, onboarded_user):
    client.force_login(onboarded_user)
    assert client.get(reverse("mentoring:pairing_admin")).status_code == 403


def test_preferences_are_saved_and_checked(client, onboarded_user):
    client.force_login(onboarded_user)
    data = {"is_mentor": "on", "capacity": "3", "networks": ["linkedin"], "languages": "english"}
    assert client.post(reverse("mentoring:mine"), data).status_code == 302
    onboarded_user.mentoring.refresh_from_db()
    assert (onboarded_user.mentoring.is_mentor, onboarded_user.mentoring.capacity) == (True, 3)
    assert client.post(reverse("mentoring:mine"), data | {"capacity": "9"}).status_code == 400
    assert (
        client.post(reverse("mentoring:mine"), data | {"networks": ["myspace"]}).status_code == 400
    )


def test_managers_see_their_own_teams_only(client, onboarded_user):
    from tests.recognition.factories import team_with_manager

    team, manager, [member] = team_with_manager(team_name="Support")
    _other, _their_manager, [stranger] = team_with_manager(team_name="Hardware Lab")
    client.force_login(manager)
    page = client.get(reverse("mentoring:teams"))
    assert page.status_code == 200
    [(shown_team, rows, _summary)] = page.context["teams"]
    assert shown_team == team
    assert [row["id"] for row in rows] == [member.pk]
    assert stranger.profile.name not in page.content.decode()
    client.force_login(onboarded_user)
    assert client.get(reverse("mentoring:teams")).status_code == 403
