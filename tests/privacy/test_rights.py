"""Data rights: the export is complete, erasure leaves nothing, retention applies, and the
pages that show them (notice, my privacy, what others see, the admin's requests)."""

import json
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from badges.models import BadgeAward
from courses import services as training
from leaderboards.services import leaderboards_rebuild
from leaderboards.store import rank_store
from portal.activity.models import Activity
from portal.activity.services import activity_record, points_rebuild
from portal.activity.verbs import MENTEE_ONBOARDED
from portal.mentoring import services as mentoring
from portal.mentoring.models import MentoringProfile
from portal.notifications.services import notification_send
from portal.people.models import ErasureRequest, PrivacySettings, Profile, User, Visibility
from portal.people.services import (
    Role,
    onboarding_complete,
    person_deactivate,
    profile_get_or_create,
)
from portal.privacy.erasure import Identity, references_find
from portal.privacy.export import EXCLUDED, user_relations
from portal.privacy.retention import retention_apply
from portal.recognition import services as recognition
from portal.recognition.models import Category, Recognition
from portal.sharing import services as sharing
from portal.sharing.models import ClickKind
from tests.badges.factories import badge
from tests.courses.factories import block, course_with_lessons, workshop
from tests.mentoring.factories import paired
from tests.people.factories import TeamFactory, UserFactory
from tests.sharing.factories import share

EMAIL = "zebulon.quixwort@example.com"
NAMES = ["Zebulon Quixwort", "Quixotic Zed", "Zebbo Q"]


def person_with_a_full_history():
    """Zebulon has done everything the portal records, and others' records mention him."""
    team = TeamFactory(name="Wind Ops")
    manager = UserFactory(first_name="Mona", last_name="Gerr", profile__onboarded=True)
    team.managers.add(manager)
    zeb = UserFactory(
        email=EMAIL,
        first_name="Zebulon",
        last_name="Quixwort",
        profile__team=team,
        profile__department=team.department,
    )
    colleague = UserFactory(
        profile__onboarded=True, profile__team=team, profile__department=team.department
    )
    onboarding_complete(
        user=zeb,
        display_name="Zebbo Q",
        interests=["wind", "careers"],
        advocacy_style="creator",
        leaderboard_visibility=Visibility.ALIAS,
        alias="Quixotic Zed",
        consent_feed=True,
        consent_badge_evidence=True,
        consent_material=False,
        mentor_opt_in=True,
    )
    course, [lesson] = course_with_lessons(
        lessons=[
            [
                block("paragraph", "<p>Hi</p>"),
                block("reflection", {"prompt": "What will you share?"}),
            ]
        ]
    )
    reflection_id = next(child.id for child in lesson.body if child.block_type == "reflection")
    training.reflection_save(user=zeb, lesson=lesson, block_id=reflection_id, text="Wind facts")
    training.lesson_complete(user=zeb, lesson=lesson)
    training.course_feedback_give(user=zeb, course=course, rating=5, comment="Good")
    page = workshop()
    prompt = next(iter(page.prompts()))
    training.workshop_answer_add(
        user=zeb, workshop=page, prompt_id=prompt, text="Named answer", options=[], anonymous=False
    )
    training.workshop_answer_add(
        user=zeb, workshop=page, prompt_id=prompt, text="Quiet answer", options=[], anonymous=True
    )
    training.workshop_contributions_credit(workshop=page, force=True)
    made = share(user=zeb)
    hits = [sharing.Hit(made.pk, timezone.localdate(), "v" * 32, ClickKind.HUMAN, timezone.now())]
    sharing.clicks_record(hits=hits, requests=Counter({(made.pk, timezone.localdate()): 1}))
    sharing.conversion_record(code=made.code, external_id="order-1")
    category = Category.objects.first()
    recognition.recognition_give(
        giver=manager,
        recipient=zeb,
        category=category,
        message="Zebulon Quixwort saved the day",
        points=20,
        badge=badge("manual", name="Hero"),
    )
    zeb.groups.add(Group.objects.get(name=Role.MANAGER))
    team.managers.add(zeb)
    given = recognition.recognition_give(
        giver=zeb, recipient=colleague, category=category, message="Well done", points=15
    )
    recognition.kudos_give(giver=zeb, recipient=colleague, message="Thanks from Zebbo Q")
    mentee_pairing = paired(mentee_user=zeb)
    mentoring.checkin_add(pairing=mentee_pairing, author=zeb, note="Went well")
    mentoring.goal_add(pairing=mentee_pairing, by=zeb, title="Post weekly", due_date=None)
    MentoringProfile.objects.update_or_create(
        user=zeb, defaults={"is_mentor": True, "capacity": 2, "topics": "wind"}
    )
    mentored = paired(mentor_user=zeb)
    mentor = mentee_pairing.mentor
    activity_record(  # the mentor's credit for Zebulon, as mentoring_hear writes it
        actor=mentor,
        verb=MENTEE_ONBOARDED.id,
        key=f"mentoring.mentee_onboarded:{mentor.pk}:{zeb.pk}",
        obj=zeb.profile,
        result={"mentee": zeb.profile.name},
    )
    notification_send(user=colleague, kind="recognition", title="Zebbo Q thanked you")
    Client().force_login(zeb)  # a session
    return {
        "zeb": zeb,
        "colleague": colleague,
        "mentor": mentor,
        "mentored": mentored.mentee,
        "given": given,
    }


@pytest.mark.django_db
def test_the_export_has_every_model_that_relates_to_a_person(client):
    people = person_with_a_full_history()
    zeb = people["zeb"]
    client.force_login(zeb)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-advocate-portal')
    document = json.loads(response.content)
    sections = document["data"]
    # Every relation to the user, in every app, has its section (the walk is generic, and
    # this fails if a relation is ever left out of it).
    for model, field_name in user_relations():
        label = model._meta.label_lower
        if label in EXCLUDED or model is User:
            continue
        assert f"{label}.{field_name}" in sections, f"{label}.{field_name} is not exported"
    # And they hold what Zebulon did.
    assert any(row["text"] == "Wind facts" for row in sections["courses.reflection.user"])
    assert any(row["text"] == "Named answer" for row in sections["courses.workshopanswer.author"])
    assert len(sections["people.consentrecord.user"]) == 3
    assert sections["people.profile.user"][0]["alias"] == "Quixotic Zed"
    assert sections["recognition.recognition.giver"][0]["recipient"] == "someone else"
    verbs = {statement["verb"]["display"]["en"] for statement in sections["activity.statements"]}
    assert {"lesson.completed", "content.shared", "recognition.received"} <= verbs
    assert any(row["model"] == "activity.activity" for row in sections["about_you"])
    assert document["person"]["email"] == EMAIL
    assert "password" not in json.dumps(document)
    # The anonymous answer is not theirs any more: it is not in their export.
    assert "Quiet answer" not in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_erasure_leaves_no_reference_and_nobody_elses_points_change(client):
    people = person_with_a_full_history()
    zeb, colleague, mentor = people["zeb"], people["colleague"], people["mentor"]
    totals_before = {person.pk: person.points_total.points for person in (colleague, mentor)}
    awards = list(BadgeAward.objects.filter(user=zeb).values_list("pk", flat=True))
    identity = Identity.of(zeb)
    assert set(NAMES) <= set(identity.names)

    admin = UserFactory(is_staff=True, profile__onboarded=True)
    admin.groups.add(Group.objects.get(name=Role.PROGRAMME_ADMIN))
    ErasureRequest.objects.create(user=zeb, reason="Leaving the programme")
    client.force_login(admin)
    response = client.post(reverse("privacy_erase"), {"email": EMAIL, "confirm": EMAIL})
    assert response.status_code == 302
    assert mail.outbox[-1].to == [EMAIL]

    found = references_find(
        user_id=identity.user_id, profile_id=identity.profile_id, strings=[EMAIL, *NAMES]
    )
    assert found == []
    if rank_store().__class__.__name__ == "RedisRankStore":
        redis = rank_store().redis
        for key in redis.scan_iter("*"):
            if redis.type(key) == b"zset":
                assert redis.zscore(key, identity.user_id) is None, key
    assert leaderboards_rebuild(check_only=True) == {}
    assert points_rebuild(check_only=True) == {}
    # Nobody else's totals or histories changed; what Zebulon gave stays, unnamed.
    for person in (colleague, mentor):
        person.points_total.refresh_from_db()
        assert person.points_total.points == totals_before[person.pk]
    kept = Recognition.objects.get(pk=people["given"].pk)
    assert kept.giver is None
    feed = client.get(reverse("recognition:feed")).content.decode()
    assert "a former colleague" in feed.lower()
    credit = Activity.objects.get(actor=mentor, verb=MENTEE_ONBOARDED.id)
    assert credit.object_label == "a former colleague"
    # Public assertions answer 410 with a neutral reason.
    for award in awards:
        gone = client.get(f"/badges/assertions/{award}.json")
        assert gone.status_code == 410
        assert gone.json()["revocationReason"] == "This badge is no longer available."
        assert client.get(f"/badges/assertions/{award}/").status_code == 410
    call_command("rebuild_points", "--check")
    call_command("rebuild_leaderboards", "--check")


@pytest.mark.django_db
def test_a_person_asks_for_erasure_once_and_sees_it(client, onboarded_user):
    client.force_login(onboarded_user)
    url = reverse("privacy:erasure_request")
    for bad in ("x" * 5000, "nul\x00byte"):
        refused = client.post(url, {"reason": bad}, follow=True)
        assert "Keep your note under 1,000 characters" in refused.content.decode()
    assert not ErasureRequest.objects.exists()
    assert client.post(url, {"reason": "I am leaving"}).status_code == 302
    assert client.post(url, {"reason": "again"}).status_code == 302  # a double click
    assert ErasureRequest.objects.filter(user=onboarded_user).count() == 1
    assert ErasureRequest.objects.get().reason == "I am leaving"
    assert "You asked on" in client.get(reverse("privacy:mine")).content.decode()
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_admins_see_requests_decline_with_a_reason_and_nobody_else_can(client, programme_admin):
    person = UserFactory(profile__onboarded=True)
    ErasureRequest.objects.create(user=person)
    client.force_login(programme_admin)
    page = client.get(reverse("privacy_erasure_requests")).content.decode()
    assert person.email in page
    erasure = ErasureRequest.objects.get()
    decline = reverse("privacy_decline", args=[erasure.pk])
    client.post(decline, {"reason": ""})
    client.post(decline, {"reason": "because\x00"})
    assert ErasureRequest.objects.get().declined_at is None
    huge = f"/admin/privacy/erasure/{2**70}/decline/"
    assert client.post(huge, {"reason": "x"}).status_code == 404
    assert client.post(reverse("privacy_erase"), {"email": "a\x00@example.com"}).status_code == 302
    client.post(decline, {"reason": "Records must be kept during the audit"})
    assert ErasureRequest.objects.get().declined_at is not None
    # A mistyped confirmation erases nobody.
    client.post(reverse("privacy_erase"), {"email": person.email, "confirm": "nope"})
    assert User.objects.filter(pk=person.pk).exists()
    # Someone without the right: the admin sends them to sign in, or refuses.
    for outsider in (person, UserFactory(is_staff=True, profile__onboarded=True)):
        client.force_login(outsider)
        listing = client.get(reverse("privacy_erasure_requests"))
        assert listing.status_code in (302, 403)
        assert person.email not in listing.content.decode()
        erase = client.post(
            reverse("privacy_erase"), {"email": person.email, "confirm": person.email}
        )
        assert erase.status_code in (302, 403)
        assert not erase.get("Location", "").startswith("/admin/privacy/")
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_retention_removes_what_is_past_its_time_and_dry_run_changes_nothing(capsys):
    from courses.models import Reflection
    from portal.notifications.models import Notification

    person = UserFactory(profile__onboarded=True)
    old = timezone.now() - timedelta(days=400)
    notification_send(user=person, kind="x", title="old")
    notification_send(user=person, kind="x", title="new")
    Notification.objects.filter(title="old").update(created_at=old)
    _course, [lesson] = course_with_lessons(lessons=[[block("reflection", {"prompt": "Why?"})]])
    reflection_id = lesson.body[0].id
    training.reflection_save(user=person, lesson=lesson, block_id=reflection_id, text="Because")
    Reflection.objects.update(updated_at=old)
    client = Client()
    client.force_login(person)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    leaver = UserFactory(profile__onboarded=True)
    person_deactivate(user=leaver)
    Profile.objects.filter(user=leaver).update(left_at=old)

    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "notifications: would remove 1" in out
    assert "leavers erased: would remove 1" in out
    assert Notification.objects.count() == 2
    assert User.objects.filter(pk=leaver.pk).exists()

    report = retention_apply()
    assert report.removed["notifications"] == 1
    assert report.removed["reflections"] == 1
    assert report.removed["sessions (ended, or unused for longer than the limit)"] == 1
    assert report.removed["leavers erased"] == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["new"]
    assert not User.objects.filter(pk=leaver.pk).exists()
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_the_daily_job_runs_once_a_day():
    from portal.privacy.daily import daily_run_once
    from portal.privacy.models import RetentionRun

    assert daily_run_once() is True
    assert daily_run_once() is False
    run = RetentionRun.objects.get()
    assert run.finished_at is not None
    assert "notifications" in run.report


@pytest.mark.django_db
def test_the_notice_is_public_and_written_from_the_settings(client):
    config = PrivacySettings.load()
    config.retain_clicks_days = 14
    config.contact = "dpo@northwind.example"
    config.save()
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "14 days" in page
    assert "dpo@northwind.example" in page
    assert "No IP address is stored or logged" in page
    assert "Name me in the recognition feed" in page


@pytest.mark.django_db
def test_my_privacy_page_shows_consent_history_with_the_words(client, user):
    onboarding_complete(
        user=user,
        display_name="",
        interests=[],
        advocacy_style="listener",
        leaderboard_visibility=Visibility.NAME,
        alias="",
        consent_feed=False,
        consent_badge_evidence=True,
        consent_material=False,
        mentor_opt_in=False,
    )
    client.force_login(user)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert page.count("declined or withdrew") == 2
    assert page.count("agreed") >= 1
    assert "When a badge comes with a recognition" in page  # the words themselves
    assert client.get(reverse("privacy:mine"), HTTP_HOST="testserver").status_code == 200


@pytest.mark.django_db
def test_what_others_see_follows_each_choice(client):
    person = UserFactory(
        first_name="Ada",
        last_name="Byron",
        profile__onboarded=True,
        profile__leaderboard_visibility=Visibility.HIDDEN,
    )
    client.force_login(person)
    page = client.get(reverse("privacy:seen")).content.decode()
    assert "Leaderboards do not list you" in page
    assert "only by your exact email" in page
    assert "Nobody mentors you now" in page
    profile = person.profile
    profile.leaderboard_visibility = Visibility.ALIAS
    profile.alias = "Countess"
    profile.consent_feed = True
    profile.save()
    page = client.get(reverse("privacy:seen")).content.decode()
    assert "Leaderboards list you as “Countess”" in page
    assert "with the messages you receive" in page


@pytest.mark.django_db
def test_works_council_mode_starts_people_hidden_and_keeps_managers_to_aggregates(client):
    from portal.people.importing import import_people
    from tests.recognition.factories import team_with_manager

    config = PrivacySettings.load()
    config.works_council_mode = True
    config.save()
    newcomer = User.objects.create_user(email="new@example.com")
    # A profile made on first use (sign-in, onboarding) starts hidden.
    assert profile_get_or_create(user=newcomer).leaderboard_visibility == Visibility.HIDDEN
    imported = import_people(
        data=b"email,first_name,last_name,department,team,manager_email,location,job_role\n"
        b"imp@example.com,Imp,Orted,Sales,North,,,\n"
    )
    assert imported.created == 1
    assert (
        Profile.objects.get(user__email="imp@example.com").leaderboard_visibility
        == Visibility.HIDDEN
    )

    _team, manager, members = team_with_manager(members=5, team_name="Turbines")
    sharer = members[0]
    sharer.profile.share_progress_with_manager = True
    sharer.profile.save()
    client.force_login(manager)
    response = client.get(reverse("mentoring:teams"))
    [(_shown, rows, summary)] = response.context["teams"]
    assert [row["id"] for row in rows] == [sharer.pk]
    assert summary["shown"] is True
    assert summary["members"] == 5
    page = response.content.decode()
    for member in members[1:]:
        assert member.profile.name not in page
    assert "5 members" in page


@pytest.mark.django_db
def test_team_figures_need_five_members(client):
    from tests.recognition.factories import team_with_manager

    _team, manager, _members = team_with_manager(members=3, team_name="Tiny")
    client.force_login(manager)
    response = client.get(reverse("mentoring:teams"))
    [(_shown, rows, summary)] = response.context["teams"]
    assert summary == {"members": 3, "shown": False}
    assert len(rows) == 3  # outside works-council mode the manager sees each person
    assert "Team figures appear from 5 members on" in response.content.decode()


@pytest.mark.django_db
def test_the_manager_choice_is_offered_only_where_it_changes_something(client, onboarded_user):
    form = {
        "display_name": "",
        "interests": "",
        "advocacy_style": "listener",
        "leaderboard_visibility": "name",
        "alias": "",
        "share_progress_with_manager": "on",
    }
    client.force_login(onboarded_user)
    assert "Let my manager see" not in client.get(reverse("people:profile")).content.decode()
    client.post(reverse("people:profile"), form)
    assert Profile.objects.get(user=onboarded_user).share_progress_with_manager is False

    config = PrivacySettings.load()
    config.works_council_mode = True
    config.save()
    assert "Let my manager see" in client.get(reverse("people:profile")).content.decode()
    assert client.post(reverse("people:profile"), form).status_code == 302
    assert Profile.objects.get(user=onboarded_user).share_progress_with_manager is True
    seen = client.get(reverse("privacy:seen")).content.decode()
    assert "Your training progress" in seen


@pytest.mark.django_db
def test_erasing_someone_leaves_ordinary_words_in_others_text_alone():
    from portal.notifications.models import Notification
    from portal.privacy.erasure import person_erase

    mentor = UserFactory(email="mentor@example.com", first_name="Mei", last_name="Chen")
    other = UserFactory()
    notification_send(user=other, kind="x", title="Your mentor Mei Chen left a note")
    person_erase(user=mentor)
    assert Notification.objects.get().title == "Your mentor a former colleague left a note"
