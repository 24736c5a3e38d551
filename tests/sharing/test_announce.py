"""New content on a person's topics reaches those who chose it for their phone, once,
and only people the item is for."""

import pytest

from portal.notifications import push
from portal.notifications.models import Notification
from tests.people.factories import DepartmentFactory, UserFactory
from tests.sharing.factories import content_item

pytestmark = pytest.mark.django_db


def follower(*topics, content=True, **profile):
    person = UserFactory(
        profile__onboarded=True, **{f"profile__{k}": v for k, v in profile.items()}
    )
    person.profile.interests.set(list(topics))
    push.choices_save(user=person, badges=False, recognition=False, mentoring=False,
                      content=content)  # fmt: skip
    return person


def test_publishing_tells_the_followers_it_is_for_once():
    sales, plant = DepartmentFactory(name="Sales"), DepartmentFactory(name="Plant")
    wind = follower("wind", department=sales)
    other_topic = follower("solar", department=sales)
    not_chosen = follower("wind", content=False, department=sales)
    other_department = follower("wind", department=plant)
    item = content_item(title="Our wind farm is live", tags=["Wind"], departments=[sales])
    item.save_revision().publish()
    item.save_revision().publish()  # published again: nobody is told twice
    told = Notification.objects.filter(kind="content")
    assert list(told.values_list("user_id", flat=True)) == [wind.pk]
    assert told.get().title == "New in the hub: Our wind farm is live"
    assert not {other_topic.pk, not_chosen.pk, other_department.pk} & set(
        told.values_list("user_id", flat=True)
    )


def test_a_draft_or_untagged_item_tells_nobody():
    follower("wind")
    content_item(title="Draft", tags=["wind"], live=False).save_revision()
    content_item(title="No topics").save_revision().publish()
    assert not Notification.objects.filter(kind="content").exists()
