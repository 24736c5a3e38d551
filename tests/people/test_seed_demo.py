import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.models import BrandingSettings, GuidelinesPage, HomePage
from portal.activity.models import Activity
from portal.activity.services import points_rebuild
from portal.people.models import Department, Profile, Team, User
from portal.people.services import Role


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_organisation(capsys):
    call_command("seed_demo", "--password", "demo-pass-99")
    out = capsys.readouterr().out

    assert 35 <= User.objects.count() <= 45
    assert Department.objects.count() == 3
    assert Team.objects.count() == 6
    assert all(team.managers.exists() for team in Team.objects.all())
    for email in ("admin@example.com", "manager@example.com", "mentor@example.com",
                  "advocate@example.com"):  # fmt: skip
        assert email in out
        assert authenticate(username=email, password="demo-pass-99") is not None
    assert (
        User.objects.get(email="admin@example.com")
        .groups.filter(name=Role.PROGRAMME_ADMIN)
        .exists()
    )
    assert User.objects.get(email="mentor@example.com").groups.filter(name=Role.MENTOR).exists()
    assert User.objects.get(email="manager@example.com").managed_teams.exists()
    # The new advocate has not onboarded yet; everyone else has.
    assert Profile.objects.get(user__email="advocate@example.com").onboarded_at is None
    assert Profile.objects.filter(onboarded_at__isnull=True).count() == 1
    assert Profile.objects.exclude(interests=None).count() > 30
    # A lead-in group with history, consistent with the ledger.
    assert Activity.objects.filter(points__gt=0).values("actor").distinct().count() >= 8
    assert points_rebuild(check_only=True) == {}
    home = HomePage.objects.get()
    assert home.purpose
    assert len(home.calls_to_action) == 3
    assert GuidelinesPage.objects.live().exists()
    assert BrandingSettings.objects.get().organisation_name == "Northwind Energy"


@pytest.mark.django_db
def test_seed_demo_never_runs_twice(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "password: " in out
    assert "(as printed" not in out
    count = User.objects.count()
    with pytest.raises(CommandError, match="seeded only once"):
        call_command("seed_demo")
    call_command("seed_demo", "--if-new")
    assert "already has people" in capsys.readouterr().out
    assert User.objects.count() == count
