"""The people screens programme admins use in the Wagtail admin."""

import html

import pytest

from portal.people.models import Profile, Team
from tests.people.factories import DepartmentFactory, TeamFactory, UserFactory


@pytest.fixture
def org(db):
    sales = DepartmentFactory(name="Sales")
    field = TeamFactory(name="Field", department=sales)
    other = TeamFactory(name="Platform", department=DepartmentFactory(name="Engineering"))
    boss = UserFactory(email="boss@example.com", first_name="Bea", last_name="Boss")
    lead = UserFactory(email="lead@example.com", first_name="Leo", last_name="Lead")
    Profile.objects.filter(user=lead).update(manager=boss)
    person = UserFactory(email="ana@example.com", first_name="Ana", last_name="Advocate")
    return {
        "sales": sales,
        "field": field,
        "other": other,
        "boss": boss,
        "lead": lead,
        "person": person,
    }


def profile_form(org, **changes):
    return {
        "display_name": "",
        "department": org["sales"].pk,
        "team": org["field"].pk,
        "manager_email": "lead@example.com",
        "location": "Lisbon",
        "job_role": "Account executive",
        **changes,
    }


@pytest.mark.django_db
class TestPeopleScreens:
    def edit_url(self, user):
        return f"/admin/people/profiles/edit/{user.profile.pk}/"

    def test_listing_and_search(self, client, programme_admin, org):
        client.force_login(programme_admin)
        response = client.get("/admin/people/profiles/?q=ana@example")
        assert response.status_code == 200
        assert "ana@example.com" in response.text
        assert "boss@example.com" not in response.text

    def test_assign_team_and_manager_by_email(self, client, programme_admin, org):
        client.force_login(programme_admin)
        response = client.post(self.edit_url(org["person"]), profile_form(org))
        assert response.status_code == 302
        profile = Profile.objects.get(user=org["person"])
        assert (profile.team, profile.manager, profile.location) == (
            org["field"],
            org["lead"],
            "Lisbon",
        )

    def test_team_sets_its_department_when_none_is_given(self, client, programme_admin, org):
        client.force_login(programme_admin)
        client.post(self.edit_url(org["person"]), profile_form(org, department=""))
        assert Profile.objects.get(user=org["person"]).department == org["sales"]

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"team": "OTHER"}, "Platform belongs to Engineering, not Sales."),
            (
                {"manager_email": "ghost@example.com"},
                "No one in the portal has the email ghost@example.com.",
            ),
            ({"manager_email": "not an email"}, "Enter one email address."),
            ({"manager_email": "nope"}, "Not valid email addresses: nope."),
        ],
    )
    def test_bad_input_is_explained(self, client, programme_admin, org, changes, message):
        if changes.get("team") == "OTHER":
            changes["team"] = org["other"].pk
        client.force_login(programme_admin)
        response = client.post(self.edit_url(org["person"]), profile_form(org, **changes))
        assert response.status_code == 200
        assert message in response.text
        assert Profile.objects.get(user=org["person"]).manager is None

    def test_reporting_cycles_are_refused(self, client, programme_admin, org):
        client.force_login(programme_admin)
        # The boss would report to the lead, who reports to the boss.
        response = client.post(
            self.edit_url(org["boss"]), profile_form(org, manager_email="lead@example.com")
        )
        assert response.status_code == 200
        assert "that would make a cycle" in response.text
        response = client.post(
            self.edit_url(org["boss"]), profile_form(org, manager_email="boss@example.com")
        )
        assert "cannot be their own manager" in response.text

    def test_team_managers_by_email(self, client, programme_admin, org):
        client.force_login(programme_admin)
        team = org["field"]
        response = client.post(
            f"/admin/people/teams/edit/{team.pk}/",
            {"name": "Field", "slug": team.slug, "department": org["sales"].pk,
             "manager_emails": "lead@example.com, BOSS@example.com"},
        )  # fmt: skip
        assert response.status_code == 302
        assert set(Team.objects.get(pk=team.pk).managers.values_list("email", flat=True)) == {
            "lead@example.com",
            "boss@example.com",
        }
        response = client.get("/admin/people/teams/")
        assert "Leo Lead" in response.text

    def test_advocates_cannot_reach_the_screens(self, client, onboarded_user, org):
        client.force_login(onboarded_user)
        assert client.get("/admin/people/profiles/").status_code in (302, 403)


@pytest.mark.django_db
def test_wagtail_user_screens_work_with_the_email_user(client, programme_admin):
    client.force_login(programme_admin)
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/users/new/").status_code == 200
    response = client.post(
        "/admin/users/new/",
        {"email": "Added.Person@Example.com", "first_name": "Added", "last_name": "Person",
         "password1": "a-long-enough-pass-1", "password2": "a-long-enough-pass-1"},
    )  # fmt: skip
    assert response.status_code == 302, response.text[-2000:]
    from portal.people.models import User

    assert User.objects.filter(email="added.person@example.com").exists()


@pytest.mark.django_db
def test_a_department_with_teams_is_not_deleted_and_says_why(client, org):
    """Wagtail refuses when its reference index knows the teams; when it does not (rows
    written before the admin was loaded), the database's protection is explained too."""
    from wagtail.models import ReferenceIndex

    ReferenceIndex.objects.all().delete()
    superuser = UserFactory(is_staff=True, is_superuser=True, profile__onboarded=True)
    client.force_login(superuser)
    response = client.post(f"/admin/people/departments/delete/{org['sales'].pk}/", follow=True)
    assert response.status_code == 200
    assert "Sales is still used by Field (Sales); move or delete those first." in html.unescape(
        response.text
    )
    assert org["sales"].__class__.objects.filter(pk=org["sales"].pk).exists()
