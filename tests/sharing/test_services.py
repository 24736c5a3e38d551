from datetime import timedelta

import pytest
from django.utils import timezone

from portal.activity.models import Activity, PointsRule, PointsTotal
from portal.activity.verbs import CONTENT_SHARED, SHARE_CLICKED, SHARE_QUALITY
from portal.people.models import PrivacySettings
from portal.sharing import quality, selectors, services
from portal.sharing.models import ClickKind, Kind, Network, Share, ShareClick, ShareDay
from tests.courses.factories import course_with_lessons
from tests.people.factories import DepartmentFactory
from tests.sharing.factories import content_item, share

pytestmark = pytest.mark.django_db


def hits(share_, count, *, kind=ClickKind.HUMAN, day=None, prefix="v"):
    day = day or timezone.localdate()
    return [
        services.Hit(share_.pk, day, f"{prefix}{number}", kind, timezone.now())
        for number in range(count)
    ]


def record(batch):
    from collections import Counter

    services.clicks_record(hits=batch, requests=Counter((hit.share_id, hit.day) for hit in batch))


def test_a_share_is_recorded_once_in_the_ledger(onboarded_user):
    item = content_item()
    first = share(user=onboarded_user, item=item)
    again = services.share_create(
        user=onboarded_user, item=item, network=Network.LINKEDIN, caption="New words of mine"
    )
    assert again.pk == first.pk
    assert again.caption == "New words of mine"
    statements = Activity.objects.filter(actor=onboarded_user, verb=CONTENT_SHARED.id)
    assert statements.count() == 1
    assert statements.get().result == {"network": "linkedin", "code": first.code}


def test_untrained_people_cannot_share(onboarded_user):
    course, _ = course_with_lessons(unlocks_sharing=True)
    with pytest.raises(services.SharingLocked) as refused:
        share(user=onboarded_user)
    assert refused.value.courses == [course]
    assert course.title in refused.value.message
    assert not Share.objects.exists()


def test_items_outside_the_audience_or_window_cannot_be_shared(onboarded_user):
    other = content_item(departments=[DepartmentFactory(name="Elsewhere")])
    ended = content_item(show_until=timezone.now() - timedelta(minutes=1))
    draft = content_item(live=False)
    for item in (other, ended, draft):
        with pytest.raises(services.NotFound):
            share(user=onboarded_user, item=item)
    assert not Share.objects.exists()


def test_text_is_required_and_fits_the_network(onboarded_user):
    item = content_item()
    with pytest.raises(services.InvalidInput, match="Write the text"):
        services.share_create(user=onboarded_user, item=item, network="x", caption="  ")
    with pytest.raises(services.InvalidInput, match="X allows 256"):
        services.share_create(user=onboarded_user, item=item, network="x", caption="a" * 257)
    with pytest.raises(services.InvalidInput, match="Choose"):
        services.share_create(user=onboarded_user, item=item, network="myspace", caption="Hi")


def test_quality_inputs_are_fixed_when_sharing(onboarded_user):
    department = DepartmentFactory(name="Engineering")
    onboarded_user.profile.department = department
    onboarded_user.profile.save()
    onboarded_user.profile.interests.set(["wind"])
    targeted = content_item(departments=[department])
    general = content_item(title="Report", kind=Kind.CURATED)
    followed = content_item(title="Tagged", kind=Kind.CURATED, tags=["Wind"])
    copied = services.share_create(
        user=onboarded_user, item=general, network="linkedin", caption=general.caption_linkedin
    )
    mine = share(user=onboarded_user, item=targeted)
    assert copied.personal_touch == 0
    assert copied.relevance == 0.5
    assert mine.personal_touch > 0
    assert mine.relevance == 0.8
    assert share(user=onboarded_user, item=followed).relevance == 0.8
    assert 0 < mine.balance <= 1


def test_unique_human_clicks_count_once_a_day_and_bots_and_self_do_not(onboarded_user):
    made = share(user=onboarded_user)
    batch = hits(made, 3) + hits(made, 3)  # the same three visitors twice
    batch += hits(made, 4, kind=ClickKind.PREVIEW, prefix="bot")
    batch += hits(made, 1, kind=ClickKind.SELF, prefix="me")
    record(batch)
    record(hits(made, 3))  # a later batch from the same visitors, same day
    made.refresh_from_db()
    assert (made.clicks, made.previews, made.self_clicks, made.requests) == (3, 4, 1, 14)
    assert Activity.objects.filter(verb=SHARE_CLICKED.id).count() == 3
    record(hits(made, 2, day=timezone.localdate() - timedelta(days=1)))  # yesterday: new day
    made.refresh_from_db()
    assert made.clicks == 5
    assert ShareDay.objects.filter(share=made).count() == 2


def test_quality_steps_give_points_within_the_daily_cap_and_feed_badges(onboarded_user):
    PointsRule.objects.update_or_create(
        verb=SHARE_QUALITY.id, defaults={"points": 20, "score_bonus": 0, "daily_cap": 50}
    )
    made = share(user=onboarded_user)
    start = made.quality
    assert start < 50
    record(hits(made, 60))
    for number in range(3):
        services.conversion_record(code=made.code, external_id=f"order-{number}")
    made.refresh_from_db()
    assert made.quality >= 75
    assert made.quality_step >= 75
    steps = Activity.objects.filter(verb=SHARE_QUALITY.id, actor=onboarded_user)
    assert sorted(row.result["step"] for row in steps) == [
        step for step in quality.STEPS if step <= made.quality
    ]
    assert sum(row.points for row in steps) == 50  # three steps of 20, capped at 50 a day
    assert PointsTotal.objects.get(user=onboarded_user).points >= 50
    record(hits(made, 60, prefix="again"))  # more clicks: no step given twice
    assert Activity.objects.filter(verb=SHARE_QUALITY.id).count() == steps.count()

    from badges.criteria import KINDS

    progress = KINDS["quality_shares"].progress(onboarded_user, {"count": 2})
    assert (progress.current, progress.target) == (1, 2)


def test_purge_deletes_old_raw_clicks_and_keeps_the_figures(onboarded_user, settings):
    assert PrivacySettings.load().retain_clicks_days == 30  # the default
    made = share(user=onboarded_user)
    old_day = timezone.localdate() - timedelta(days=40)
    record(
        [
            services.Hit(made.pk, old_day, "v1", ClickKind.HUMAN, timezone.now() - timedelta(40)),
            services.Hit(made.pk, timezone.localdate(), "v2", ClickKind.HUMAN, timezone.now()),
        ]
    )
    services.visitor_salt(day=old_day)
    today_salt = services.visitor_salt(day=timezone.localdate())
    assert services.clicks_purge() == 1
    assert list(ShareClick.objects.values_list("visitor", flat=True)) == ["v2"]
    made.refresh_from_db()
    assert made.clicks == 2  # the daily figures stay
    assert services.visitor_salt(day=timezone.localdate()) == today_salt


def test_conversions_count_once_and_unknown_codes_are_refused(onboarded_user):
    made = share(user=onboarded_user)
    services.conversion_record(code=made.code, external_id="order-1", label="Sign-up")
    with pytest.raises(services.Replayed):
        services.conversion_record(code=made.code, external_id="order-1")
    with pytest.raises(services.NotFound):
        services.conversion_record(code="nosuchcd", external_id="order-2")
    with pytest.raises(services.InvalidInput):
        services.conversion_record(code=made.code, external_id=" ")
    made.refresh_from_db()
    assert made.conversions == 1
    assert selectors.share_quality_of(made).parts[1].points > 0


def test_suggestions_are_drafts_in_moderation(onboarded_user):
    item = services.item_suggest(
        user=onboarded_user,
        title="A great report",
        url="https://example.org/report",
        kind=Kind.CURATED,
        summary="Worth reading.",
        tags=["Research"],
    )
    assert not item.live
    assert item.suggested_by == onboarded_user
    state = item.workflow_states.get()
    assert state.status == "in_progress"
    assert state.requested_by == onboarded_user
    assert not selectors.offered_items().filter(pk=item.pk).exists()
    with pytest.raises(services.InvalidInput):
        services.item_suggest(
            user=onboarded_user, title="Bad", url="javascript:alert(1)", kind=Kind.CURATED
        )


def test_the_purge_command_reports_what_it_deleted(onboarded_user):
    import io

    from django.core.management import call_command

    made = share(user=onboarded_user)
    old = timezone.now() - timedelta(days=400)
    record([services.Hit(made.pk, old.date(), "v1", ClickKind.HUMAN, old)])
    out = io.StringIO()
    call_command("purge_share_clicks", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 raw click older than 30 days."
