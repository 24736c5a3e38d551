"""New hub content on people's topics: when an item is published, the people who follow
one of its topics, may see it, and chose "New content on my topics" for their phone get
a notification (in their list, and pushed in their working hours). Once per item."""

from django.urls import reverse

from portal.notifications.models import Notification
from portal.notifications.services import notification_send_many
from portal.people.models import Profile

from .models import ContentItem
from .selectors import audience_match, item_offered


def item_published(sender, instance, **kwargs) -> int:
    """Wagtail's ``published``. Returns how many people it told."""
    if not isinstance(instance, ContentItem) or not item_offered(instance):
        return 0
    topics = {tag.name.lower() for tag in instance.tags.all()}
    if not topics:
        return 0
    url = reverse("sharing:share", args=[instance.pk])
    told = set(
        Notification.objects.filter(kind="content", url=url).values_list("user_id", flat=True)
    )
    followers = (
        Profile.objects.filter(
            user__push_choice__content=True,
            user__is_active=True,
            onboarded_at__isnull=False,
            left_at__isnull=True,
            interests__name__in=topics,
        )
        .exclude(user_id__in=told)
        .select_related("user", "department")
        .distinct()
    )
    items = [
        {"user": profile.user, "kind": "content", "url": url,
         "title": f"New in the hub: {instance.title}", "body": instance.summary[:300]}
        for profile in followers
        if audience_match(item=instance, profile=profile).visible
    ]  # fmt: skip
    if items:
        notification_send_many(items)
    return len(items)
