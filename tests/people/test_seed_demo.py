from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from cms.models import BrandingSettings, GuidelinesPage, HomePage
from portal.activity.deliveries import deliveries_sweep
from portal.activity.models import Activity, Delivery
from portal.activity.services import points_rebuild
from portal.locales import originals
from portal.measurement.models import Rollup, Target
from portal.measurement.rollups import rollups_rebuild
from portal.measurement.services import milestones_rebuild
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
        assert authenticate(HttpRequest(), username=email, password="demo-pass-99") is not None
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
    # The ledger's subscribers run after commit, which a test transaction never does:
    # apply what is waiting the way the worker's sweep would, then compare.
    # (Subscribers record statements of their own, badges for example: sweep until the
    # outbox is empty.)
    for _ in range(10):
        Delivery.objects.update(due=timezone.now() - timedelta(seconds=1))
        while deliveries_sweep(limit=5000):
            pass
        if not Delivery.objects.exists():
            break
    assert milestones_rebuild(check_only=True) == {}  # the dashboard's funnel agrees too
    assert rollups_rebuild(check_only=True) == 0  # and its daily figures
    # Months of history: the pilot's cohort joined about five months ago and shared then.
    pilot = Profile.objects.filter(cohort="Pilot (shining stars)")
    assert pilot.count() >= 8
    assert set(Profile.objects.values_list("cohort", flat=True)) == {
        "Pilot (shining stars)",
        "Wave 1",
        "Wave 2",
    }
    months = {
        (day.year, day.month)
        for day in Rollup.objects.filter(measure="content.shared").values_list("day", flat=True)
    }
    assert len(months) >= 4
    assert Target.objects.count() == 4
    # People were invited before they onboarded, so the funnel's waits are believable.
    assert not Profile.objects.filter(onboarded_at__lt=F("user__date_joined")).exists()
    _assert_training(out)
    _assert_badges()
    home = originals(HomePage.objects.all()).get()
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


def _assert_training(out):
    from courses.blocks import ScenarioBlock
    from courses.models import CoursePage, LessonPage, WorkshopAnswer
    from courses.scenarios import graph_problems
    from courses.selectors import purpose_published, sharing_allowed

    guidelines = CoursePage.objects.get(title="Social media guidelines")
    assert guidelines.unlocks_sharing
    assert guidelines.live
    lessons = LessonPage.objects.child_of(guidelines).live()
    assert lessons.count() >= 3
    scenarios = [c.value for lesson in lessons for c in lesson.body if c.block_type == "scenario"]
    assert len(scenarios) >= 4
    for value in scenarios:
        assert len(value["steps"]) >= 3
        ScenarioBlock().clean(value)  # the demo passes the editor's checks
        scenario = ScenarioBlock.scenario(value)
        assert not graph_problems(
            (s.id, [(c.next_step, c.score) for c in s.choices]) for s in scenario.steps
        )
    assert CoursePage.objects.filter(title="Sharing well").exists()
    assert WorkshopAnswer.objects.count() >= 5
    assert WorkshopAnswer.objects.filter(author=None).exists()
    assert purpose_published() is not None
    # The lead-in group completed the guidelines; the new advocate has not.
    assert Activity.objects.filter(verb="course.completed").count() >= 8
    assert sharing_allowed(user=User.objects.get(email="mentor@example.com"))
    assert not sharing_allowed(user=User.objects.get(email="advocate@example.com"))


def _assert_badges():
    from badges.criteria import KINDS
    from badges.models import Badge, BadgeAward

    badges = list(Badge.objects.all())
    assert len(badges) >= 10
    assert len({badge.criteria[0].block_type for badge in badges}) >= len(KINDS) - 1
    assert not any(badge.artwork for badge in badges)  # generated artwork
    # Earned through the ledger (guidelines completed, points) and given by hand.
    assert BadgeAward.objects.filter(badge__slug="guidelines-graduate").count() >= 8
    assert BadgeAward.objects.filter(badge__slug="shining-star", automatic=False).count() == 2
    assert BadgeAward.objects.filter(badge__slug="purpose-shaper").exists()
